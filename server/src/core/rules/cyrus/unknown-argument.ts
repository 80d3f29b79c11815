// cyrus/unknown-argument: master looks arguments up by name and ignores the rest, so a
// misspelt `prefork` or `listen` is silently lost. It takes the first of one name, so a
// second `listen=` in an entry is lost the same way (Cyrus 3.6 master listened on the first
// address only; the second port refused connections).
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
      if (!a.name) continue;
      if (known.has(a.name)) {
        const first = e.args.find((x) => x.name === a.name);
        if (first !== a && first) {
          out.push(finding('cyrus/unknown-argument', conf.file, a.nameLoc.range,
            `A second '${a.name}' in ${e.section} entry '${e.name}': master reads only the first (column ${first.nameLoc.range.start.character + 1}) and ignores this one. Keep one.`));
        }
        continue;
      }
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
      // Renamed onto an argument the entry gives already, it would be a second one, ignored all the same.
      const given = guess !== undefined && e.args.some((x) => x !== a && x.name === guess);
      out.push(finding('cyrus/unknown-argument', conf.file, a.nameLoc.range,
        `${e.section} entries take no '${a.name}' argument; master ignores it.${adv.say}${given ? ` This entry gives '${guess}' already, and master reads only the first: keep one.` : ''}`,
        guess && !given ? { fixes: [{ title: `Change to ${guess}`, preferred: true, edits: [{ file: conf.file, range: a.nameLoc.range, newText: guess }] }] } : {}));
    }
  }
  return out;
}
