// imapd/syntax: lines libconfig cannot read (it refuses to start) or reads surprisingly.
import type { Finding } from '../../diagnostic';
import type { ImapdConf } from '../../cyrus/model';

export function checkSyntax(conf: ImapdConf): Finding[] {
  return conf.parseFindings;
}
