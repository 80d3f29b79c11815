// imapd/duplicate-option: libconfig refuses to start when one name is set twice (names are
// compared lower-cased, across @include files). A service-specific form (`lmtp_admins`)
// next to the plain one (`admins`) is fine.
import { finding, type Finding } from '../../diagnostic';
import type { ImapdConf, ImapdSetting } from '../../cyrus/model';

export function checkDuplicateOption(conf: ImapdConf): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, ImapdSetting>();
  for (const s of conf.settings) {
    if (s.kind === 'include') continue;
    const first = seen.get(s.key);
    if (!first) { seen.set(s.key, s); continue; }
    const where = first.file === s.file ? `line ${first.loc.range.start.line + 1}` : `${first.file}:${first.loc.range.start.line + 1}`;
    out.push(finding('imapd/duplicate-option', s.file, s.nameLoc.range,
      `'${s.rawName}' is already set on ${where}: Cyrus refuses to start when an option is set twice. Keep one.`,
      { related: [{ file: first.file, range: first.nameLoc.range, message: 'first set here' }] }));
  }
  return out;
}
