// The cyrus.conf rule families, run in this order.
import type { Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { CyrusConf } from '../../cyrus/model';
import { checkSyntax } from './syntax';
import { checkUnknownSection } from './unknown-section';
import { checkUnknownArgument } from './unknown-argument';
import { checkMissingArgument } from './missing-argument';
import { checkInvalidValue } from './invalid-value';
import { checkDuplicateEntry } from './duplicate-entry';
import { checkListenConflict } from './listen-conflict';
import { checkUnknownProgram } from './unknown-program';
import { checkPreauthExposed } from './preauth-exposed';
import { checkTlsOnConnect } from './tls-on-connect';

export function runCyrusRules(conf: CyrusConf, opts: CheckOptions): Finding[] {
  return [
    ...checkSyntax(conf),
    ...checkUnknownSection(conf),
    ...checkUnknownArgument(conf, opts),
    ...checkMissingArgument(conf, opts),
    ...checkInvalidValue(conf, opts),
    ...checkDuplicateEntry(conf),
    ...checkListenConflict(conf),
    ...checkUnknownProgram(conf),
    ...checkPreauthExposed(conf),
    ...checkTlsOnConnect(conf),
  ];
}
