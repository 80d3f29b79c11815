// All Exim rule families over one loaded configuration. `checkExim` (core/exim) adds the
// parser's own findings to these.
import type { Finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { checkOptions } from './options';
import { checkDrivers } from './drivers';
import { checkNames } from './names';
import { checkAcls } from './acl';
import { checkAclReach } from './acl-reach';
import { checkAclAccepts } from './acl-accepts';
import { checkOpenRelay } from './open-relay';
import { checkAclVariables } from './acl-variables';
import { checkReferences } from './references';
import { checkExpansions } from './expansion';
import { checkUnused } from './unused';
import { checkConsistency } from './consistency';
import { checkUndefinedMacros } from './undefined-macro';
import { checkRegexes } from './regexes';
import { checkListLookups } from './list-lookups';
import { checkAbsolutePaths } from './absolute-paths';
import { checkDeliveryUsers } from './delivery-user';
import { checkTaint } from './taint';
import { checkDataVariables } from './data-variables';
import { checkHeaderLines } from './header-lines';
import { checkSmtpInterface } from './smtp-interface';
import { checkDkimSigning } from './dkim-signing';
import { checkAuthVariables } from './auth-variables';
import { checkAuthSocket } from './auth-socket';
import { checkScannerAddresses } from './scanner-addresses';
import { checkTlsDhparam } from './tls-dhparam';
import { checkRedirectData } from './redirect-data';
import { checkTransportDestination } from './transport-destination';
import { checkContentScan } from './content-scan';
import { checkListCommas } from './list-commas';
import { checkHostMasks } from './host-masks';
import { checkTlsOnConnect } from './tls-on-connect';
import { checkListLoops } from './list-loops';
import { checkPorts } from './ports';
import { checkLogFilePath } from './log-file-path';
import { checkLocalInterfaces } from './local-interfaces';
import { checkExpandedNumbers } from './expanded-numbers';
import { checkRouterSet } from './router-set';
import { checkRouteOptions } from './route-options';
import { checkPipeCommands } from './pipe-command';
import { checkListPatterns } from './list-patterns';
import { checkTlsCiphers } from './tls-ciphers';
import { checkAclVerbs } from './acl-verbs';
import { checkAclVerifySense } from './acl-verify-sense';
import { checkIgnoredHosts } from './ignored-hosts';
import { checkRouterSenders } from './router-senders';
import { checkAclFakeAnswers } from './acl-fake-answers';

// Keyed by a name for the internal-error message: bundles are minified, so a function's own
// name there would be two letters.
export const EXIM_RULE_FAMILIES: Record<string, (cfg: EximConfig, opts: CheckOptions) => Finding[]> = {
  'options': checkOptions,
  'drivers': checkDrivers,
  'names': checkNames,
  'acls': checkAcls,
  'acl-reach': checkAclReach,
  'acl-accepts': checkAclAccepts,
  'open-relay': checkOpenRelay,
  'acl-variables': checkAclVariables,
  'references': checkReferences,
  'expansions': checkExpansions,
  'unused': checkUnused,
  'consistency': checkConsistency,
  'undefined-macros': checkUndefinedMacros,
  'regexes': checkRegexes,
  'list-lookups': checkListLookups,
  'absolute-paths': checkAbsolutePaths,
  'delivery-users': checkDeliveryUsers,
  'taint': checkTaint,
  'data-variables': checkDataVariables,
  'header-lines': checkHeaderLines,
  'smtp-interface': checkSmtpInterface,
  'dkim-signing': checkDkimSigning,
  'auth-variables': checkAuthVariables,
  'auth-socket': checkAuthSocket,
  'scanner-addresses': checkScannerAddresses,
  'tls-dhparam': checkTlsDhparam,
  'redirect-data': checkRedirectData,
  'transport-destination': checkTransportDestination,
  'content-scan': checkContentScan,
  'list-commas': checkListCommas,
  'host-masks': checkHostMasks,
  'tls-on-connect': checkTlsOnConnect,
  'list-loops': checkListLoops,
  'ports': checkPorts,
  'log-file-path': checkLogFilePath,
  'local-interfaces': checkLocalInterfaces,
  'expanded-numbers': checkExpandedNumbers,
  'router-set': checkRouterSet,
  'route-options': checkRouteOptions,
  'pipe-commands': checkPipeCommands,
  'list-patterns': checkListPatterns,
  'tls-ciphers': checkTlsCiphers,
  'acl-verbs': checkAclVerbs,
  'acl-verify-sense': checkAclVerifySense,
  'ignored-hosts': checkIgnoredHosts,
  'router-senders': checkRouterSenders,
  'acl-fake-answers': checkAclFakeAnswers,
};

export function runEximRules(cfg: EximConfig, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const [name, rule] of Object.entries(EXIM_RULE_FAMILIES)) {
    try {
      // One at a time: spread into push, a rule's findings are arguments, and past some
      // 100,000 of them (a large generated config) that overflows the stack.
      for (const f of rule(cfg, opts)) out.push(f);
    } catch (e) {
      // One broken rule must not hide the others' findings; say which one failed.
      const file = cfg.files.keys().next().value ?? cfg.root;
      out.push({ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'warning', code: 'exim/syntax',
        message: `Internal error in the ${name} rule family (please report it): ${(e as Error).message}` });
    }
  }
  return out;
}
