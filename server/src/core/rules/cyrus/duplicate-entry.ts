// cyrus/duplicate-entry: SERVICES and DAEMON share one name space in master, which refuses
// to start on a repeated name. START and EVENTS entries of one name both run, which is
// rarely meant (a warning).
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf, CyrusEntry } from '../../cyrus/model';

export function checkDuplicateEntry(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, CyrusEntry>();
  for (const e of conf.entries) {
    const space = e.section === 'SERVICES' || e.section === 'DAEMON' ? 'service' : e.section;
    const k = space + '\0' + e.name;
    const first = seen.get(k);
    if (!first) { seen.set(k, e); continue; }
    const fatal = space === 'service';
    out.push(finding('cyrus/duplicate-entry', conf.file, e.nameLoc.range,
      fatal
        ? `'${e.name}' is already defined on line ${first.loc.range.start.line + 1}${first.section !== e.section ? ` (in ${first.section})` : ''}: master refuses to start with two services or daemons of one name. Rename one.`
        : `A second ${e.section} entry '${e.name}' (first on line ${first.loc.range.start.line + 1}): both run. Rename or remove one.`,
      { severity: fatal ? 'error' : 'warning', related: [{ file: conf.file, range: first.nameLoc.range, message: 'first defined here' }] }));
  }
  return out;
}
