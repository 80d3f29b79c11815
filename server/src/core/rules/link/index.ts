// Exim <-> Cyrus link rules. Filled in by the link-check family.
import type { Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { EximConfig } from '../../exim';
import type { CyrusConf, ImapdConf } from '../../cyrus';

export interface LinkInput { exim: EximConfig; cyrus?: CyrusConf; imapd?: ImapdConf }

export function checkLinks(_input: LinkInput, _opts: CheckOptions): Finding[] { return []; }
