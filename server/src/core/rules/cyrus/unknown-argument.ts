// cyrus/unknown-argument: master looks arguments up by name and ignores the rest, so a
// misspelt `prefork` or `listen` is silently lost.
import { finding, type Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { CyrusConf } from '../../cyrus/model';
import { cyrusConfArgAnyVersion, cyrusConfArgs, cyrusConfArgTable } from '../../catalog/cyrus';
import { closest } from '../../cyrus/suggest';

export function checkUnknownArgument(conf: CyrusConf, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
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
      const names = cyrusConfArgs(e.section, opts.cyrusVersion).map((x) => x.name);
      const guess = closest(a.name, names);
      out.push(finding('cyrus/unknown-argument', conf.file, a.nameLoc.range,
        `${e.section} entries take no '${a.name}' argument; master ignores it.${guess ? ` Did you mean '${guess}'?` : ` Known: ${names.join(', ')}.`}`,
        guess ? { fixes: [{ title: `Change to ${guess}`, preferred: true, edits: [{ file: conf.file, range: a.nameLoc.range, newText: guess }] }] } : {}));
    }
  }
  return out;
}
