// cyrus/syntax: what the reader found (lines master cannot parse or silently ignores).
import type { Finding } from '../../diagnostic';
import type { CyrusConf } from '../../cyrus/model';

export function checkSyntax(conf: CyrusConf): Finding[] {
  return conf.parseFindings;
}
