// Exim <-> Cyrus link rules: whether the Exim configuration really delivers to the Cyrus
// described by cyrus.conf and imapd.conf. Each rule reads a LinkContext and returns
// findings on the line to change, with `related` pointing into the other file.
import { append } from '../../append';
import type { Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { EximConfig } from '../../exim';
import type { CyrusConf, ImapdConf } from '../../cyrus';
import type { SourceHost } from '../../host';
import { makeContext, type LinkContext } from './context';
import { checkListeners } from './listeners';
import { checkLocalhost } from './localhost';
import { checkShadowed } from './shadowed';
import { checkAclDomains } from './acl-domains';
import { checkVirtdomains } from './virtdomains';
import { checkIpv6Lists } from './ipv6-list';
import { checkAvoidEsmtp } from './avoid-esmtp';
import { checkNoVerify } from './no-verify';
import { checkUnseen } from './unseen';
import { checkTls } from './tls';
import { checkAuthMechanisms } from './auth';
import { checkMessageSize } from './size';
import { checkUnknownUsers } from './unknown-users';
import { checkPlusAddress } from './plus-address';
import { checkAffixRequired } from './affix-required';
import { checkRetryRules } from './retry';
import { checkSocketAccess } from './socket-access';
import { checkRecipientCase } from './recipient-case';
import { checkCutthrough } from './cutthrough';
import { checkVerifyOnly } from './verify-only';
import { checkAutocreate } from './autocreate';
import { checkDeliverCommand } from './deliver-command';

/**
 * `host` is how /etc/services is read (Exim resolves port names through it); without one
 * only the built-in port table is used.
 */
export interface LinkInput { exim: EximConfig; cyrus?: CyrusConf; imapd?: ImapdConf; host?: SourceHost }

// Keyed by a name for the internal-error message (bundles are minified).
const PAIRED: Record<string, (ctx: LinkContext) => Finding[]> = {
  'listeners': checkListeners,
  'localhost': checkLocalhost,
  'shadowed': checkShadowed,
  'acl-domains': checkAclDomains,
  'virtdomains': checkVirtdomains,
  'avoid-esmtp': checkAvoidEsmtp,
  'no-verify': checkNoVerify,
  'unseen': checkUnseen,
  'tls': checkTls,
  'auth-mechanisms': checkAuthMechanisms,
  'message-size': checkMessageSize,
  'unknown-users': checkUnknownUsers,
  'plus-address': checkPlusAddress,
  'affix-required': checkAffixRequired,
  'retry-rules': checkRetryRules,
  'socket-access': checkSocketAccess,
  'recipient-case': checkRecipientCase,
  'cutthrough': checkCutthrough,
  'verify-only': checkVerifyOnly,
  'autocreate': checkAutocreate,
};

/** What needs only Exim's side, and so runs without Cyrus files too: how Exim runs Cyrus's programs. */
const ALWAYS: Record<string, (ctx: LinkContext) => Finding[]> = {
  'deliver-command': checkDeliverCommand,
};

/**
 * The IPv6 list check and ALWAYS need only Exim, so they run without Cyrus files too. The
 * others describe how Exim and Cyrus fit together and run when at least one Cyrus file is
 * paired with the config.
 */
export function checkLinks(input: LinkInput, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const guard = (name: string, f: () => Finding[]) => {
    try {
      append(out, f());
    } catch (e) {
      // One broken rule must not hide the others' findings.
      const file = input.exim.files?.keys().next().value ?? input.exim.root;
      out.push({ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'warning', code: 'link/lmtp-no-listener',
        message: `Internal error in the ${name} link rule (please report it): ${(e as Error).message}` });
    }
  };
  guard('ipv6-colon-list', () => checkIpv6Lists(input.exim));
  const paired = !!(input.cyrus || input.imapd);
  // Alone, Exim's side matters only where a transport runs a command (most configs have none).
  if (!paired && !input.exim.transports?.some((t) => /^(lmtp|pipe)$/.test((t.driver ?? '').trim()))) return out;
  let ctx: LinkContext | undefined;
  guard('context', () => { ctx = makeContext(input.exim, input.cyrus, input.imapd, input.host); return []; });
  if (!ctx) return out;
  for (const [name, rule] of Object.entries(ALWAYS)) guard(name, () => rule(ctx!));
  if (!paired) return out;
  for (const [name, rule] of Object.entries(PAIRED)) guard(name, () => rule(ctx!));
  return out;
}
