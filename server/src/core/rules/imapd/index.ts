// The imapd.conf rule families, run in this order.
import type { Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { CyrusConf, ImapdConf } from '../../cyrus/model';
import { checkSyntax } from './syntax';
import { checkUnknownOption } from './unknown-option';
import { checkInvalidValue } from './invalid-value';
import { checkDeprecatedOption } from './deprecated-option';
import { checkDuplicateOption } from './duplicate-option';
import { checkMissingOption } from './missing-option';
import { checkTlsServiceNoCert } from './tls-service-no-cert';
import { checkTlsVersions } from './tls-versions';
import { checkTlsCiphers } from './tls-ciphers';
import { checkSaslPwcheck } from './sasl-pwcheck';

export function runImapdRules(conf: ImapdConf, opts: CheckOptions, cyrus?: CyrusConf): Finding[] {
  return [
    ...checkSyntax(conf),
    ...checkUnknownOption(conf, opts, cyrus),
    ...checkInvalidValue(conf, opts),
    ...checkDeprecatedOption(conf, opts),
    ...checkDuplicateOption(conf),
    ...checkMissingOption(conf),
    ...checkTlsServiceNoCert(conf, cyrus),
    ...checkTlsVersions(conf),
    ...checkTlsCiphers(conf),
    ...checkSaslPwcheck(conf),
  ];
}
