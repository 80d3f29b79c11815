// cyrus/duplicate-entry: SERVICES and DAEMON share one name space in master, which refuses
// to start on a repeated name. START and EVENTS entries of one name both run, which is
// rarely meant (a warning).
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf, CyrusEntry } from '../../cyrus/model';

export function checkDuplicateEntry(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  /** Name space to name to the first entry. */
  const spaces = new Map<string, Map<string, CyrusEntry>>();
  for (const e of conf.entries) {
    const space = e.section === 'SERVICES' || e.section === 'DAEMON' ? 'service' : e.section;
    let seen = spaces.get(space);
    if (!seen) spaces.set(space, seen = new Map());
    const first = seen.get(e.name);
    if (!first) { seen.set(e.name, e); continue; }
    const fatal = space === 'service';
    out.push(finding('cyrus/duplicate-entry', conf.file, e.nameLoc.range,
      fatal
        ? `'${e.name}' is already defined on line ${first.loc.range.start.line + 1}${first.section !== e.section ? ` (in ${first.section})` : ''}: master refuses to start with two services or daemons of one name. Rename one.`
        : `A second ${e.section} entry '${e.name}' (first on line ${first.loc.range.start.line + 1}): both run. Rename or remove one.`,
      { severity: fatal ? 'error' : 'warning', related: [{ file: conf.file, range: first.nameLoc.range, message: 'first defined here' }] }));
  }
  return out;
}
