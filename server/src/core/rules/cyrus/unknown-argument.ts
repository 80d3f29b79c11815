// cyrus/unknown-argument: master looks arguments up by name and ignores the rest, so a
// misspelt `prefork` or `listen` is silently lost.
import { finding, type Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { CyrusConf } from '../../cyrus/model';
import { cyrusConfArgAnyVersion, cyrusConfArgs, cyrusConfArgTable } from '../../catalog/cyrus';
import { closest } from '../../cyrus/suggest';

export function checkUnknownArgument(conf: CyrusConf, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  /**
   * For this run, section to unknown name to its suggestion and what the message says: one
   * misspelling repeated over many entries is looked for among the known names once.
   */
  const advice = new Map<string, Map<string, { guess?: string; say: string }>>();
  for (const e of conf.entries) {
    const known = cyrusConfArgTable(e.section, opts.cyrusVersion);
    for (const a of e.args) {
      if (!a.name || known.has(a.name)) continue;
      const other = cyrusConfArgAnyVersion(e.section, a.name);
      if (other) {
        const hint = e.section === 'EVENTS' && a.name === 'cron' ? ' Use at=HHMM or period=MINUTES instead.' : '';
        out.push(finding('cyrus/unknown-argument', conf.file, a.nameLoc.range,
          `'${a.name}' is not read by Cyrus ${opts.cyrusVersion} master (it is newer), so this entry ignores it.${hint}`));
        continue;
      }
      let bySection = advice.get(e.section);
      if (!bySection) advice.set(e.section, bySection = new Map());
      let adv = bySection.get(a.name);
      if (!adv) {
        const names = cyrusConfArgs(e.section, opts.cyrusVersion).map((x) => x.name);
        const g = closest(a.name, names);
        bySection.set(a.name, adv = { guess: g, say: g ? ` Did you mean '${g}'?` : ` Known: ${names.join(', ')}.` });
      }
      const guess = adv.guess;
      out.push(finding('cyrus/unknown-argument', conf.file, a.nameLoc.range,
        `${e.section} entries take no '${a.name}' argument; master ignores it.${adv.say}`,
        guess ? { fixes: [{ title: `Change to ${guess}`, preferred: true, edits: [{ file: conf.file, range: a.nameLoc.range, newText: guess }] }] } : {}));
    }
  }
  return out;
}
