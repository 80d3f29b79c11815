// Whether Exim's client authenticators can authenticate to a Cyrus lmtpd at all, and
// link/auth-no-common-mechanism: hosts_require_auth where they cannot.
//
// What lmtpd offers in its LHLO reply, as Debian's Cyrus 3.6 does it (checked live, with
// Exim 4.96 delivering to it):
// - lmtpd -a offers only EXTERNAL, and never STARTTLS;
// - without -a, the mechanisms of sasl_mech_list (any case; all installed ones when unset),
//   but on a connection without TLS it withholds PLAIN and LOGIN unless allowplaintext is on,
//   and it is off by default. Exim starts TLS whenever lmtpd offers STARTTLS, unless
//   hosts_avoid_tls matches the host; over TLS, PLAIN and LOGIN are offered.
// - sasl_minimum_layer above 0 asks for a SASL security layer: on a connection without TLS
//   (whose strength counts as one) lmtpd then offers only mechanisms that can negotiate one
//   (DIGEST-MD5, GSSAPI), and Exim's client authenticators never negotiate a layer.
// `<service>_` settings win for that service, sasl_* ones included.
// Exim then tries the client authenticators whose public_name lmtpd offers (any case); with
// none it defers the message when hosts_require_auth matches ("authentication required but
// no common mechanisms were found", or "… server did not advertise AUTH support"), and
// otherwise goes on without AUTH, which an lmtpd without -a answers with 430.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { ImapdSetting, LmtpListener } from '../../cyrus/model';
import { imapdSetting } from '../../cyrus/facts';
import { parseSwitch } from '../../cyrus/values';
import { imapdOption } from '../../catalog/cyrus';
import type { DriverInstance } from '../../exim/model';
import type { LinkContext } from './context';
import { option } from './context';
import { manualFix, removeOptionLines } from './edits';
import { failingHosts, movesOnFrom } from './reach';
import { addressesOf, matchHost } from './match';
import { listenerConfig } from './program-config';
import { cyrusTransports, type TcpTransport as Tcp } from './routing';
import { lmtpdTls } from './tls';

/** Mechanisms a SASL server keeps back from a connection open to passive eavesdropping. */
const PLAINTEXT = new Set(['PLAIN', 'LOGIN']);
/** Mechanisms that can negotiate a security layer (sasl_minimum_layer); Exim's never do, but one named so is not judged. */
const LAYERED = new Set(['DIGEST-MD5', 'GSSAPI', 'GS2-KRB5']);

/** Why no client authenticator can authenticate to an lmtpd, with where that is written. */
export interface NoMechanism {
  why: string;
  related: Related[];
  /**
   * lmtpd advertises no AUTH at all (Exim then says so rather than "no common mechanisms");
   * undefined when that depends on the SASL mechanisms installed there.
   */
  noAuthLine?: boolean;
  /** lmtpd runs with -a: it needs no AUTH, so requiring it is the mistake. */
  preauth: boolean;
}

/** Authenticators with a client side. */
export function clientAuthenticators(ctx: LinkContext): DriverInstance[] {
  return (ctx.cfg.authenticators ?? []).filter((a) => (a.options ?? []).some((o) => o.name.startsWith('client_') && !o.negated));
}

/** The mechanism a client authenticator asks for: public_name, else its name; undefined when expanded. */
function mechanismOf(a: DriverInstance): string | undefined {
  const o = option(a, 'public_name');
  const v = (o && !o.negated && o.value !== undefined ? o.value : a.name).trim();
  return v.includes('$') ? undefined : v.toUpperCase();
}

/**
 * Why none of Exim's client authenticators can authenticate to `l` when Exim connects to
 * `hostName`; undefined when one may (or that cannot be known here).
 */
export function noCommonMechanism(ctx: LinkContext, t: Tcp, hostName: string, l: LmtpListener): NoMechanism | undefined {
  const names = clientAuthenticators(ctx).map(mechanismOf);
  if (!names.length || names.some((n) => n === undefined)) return undefined;
  const theirs = [...new Set(names as string[])].join(', ');
  const cmd = { file: l.cmdLoc.file, range: l.cmdLoc.range };
  const svc = l.entry.name;
  if (l.entry.cmd?.preauth) {
    if (names.includes('EXTERNAL')) return undefined;
    return {
      why: `lmtpd (service ${svc}) runs with -a, and then offers only EXTERNAL, which none of Exim's client authenticators (${theirs}) uses`,
      related: [{ ...cmd, message: `lmtpd -a (service ${svc}) offers AUTH EXTERNAL only` }], noAuthLine: false, preauth: true,
    };
  }
  const conf = listenerConfig(ctx, l);
  if (!conf.imapd) return undefined;
  const tls = lmtpdTls(ctx, l);
  if (tls === undefined) return undefined;
  const avoid = option(t.transport, 'hosts_avoid_tls');
  const avoided = !!avoid && !avoid.negated && !!avoid.value && matchHost(ctx, avoid.value, hostName, addressesOf(ctx, hostName)) === 'yes';
  const overTls = tls === 'offered' && !avoided;
  const mechSetting = imapdSetting(conf.imapd, 'sasl_mech_list', svc);
  const listed = mechSetting ? new Set(mechSetting.value.split(/[\s,]+/).filter(Boolean).map((m) => m.toUpperCase())) : undefined;
  const plainSetting = imapdSetting(conf.imapd, 'allowplaintext', svc);
  const allowPlain = (plainSetting && parseSwitch(plainSetting.value)) ?? parseSwitch(imapdOption('allowplaintext', 'latest')?.default ?? '0') ?? false;
  const withheld = !overTls && !allowPlain;
  const layerSetting = imapdSetting(conf.imapd, 'sasl_minimum_layer', svc);
  const needsLayer = !overTls && !!layerSetting && /^\s*\d+\s*$/.test(layerSetting.value) && Number(layerSetting.value) > 0;
  if (needsLayer && (names as string[]).some((m) => LAYERED.has(m))) return undefined;
  const offered = (m: string) => (!listed || listed.has(m)) && !(withheld && PLAINTEXT.has(m)) && !needsLayer;
  if ((names as string[]).some(offered)) return undefined;
  // Say what keeps each of Exim's mechanisms back.
  const reasons: string[] = [];
  const related: Related[] = [];
  const notListed = (names as string[]).filter((m) => listed && !listed.has(m));
  if (notListed.length && mechSetting) {
    reasons.push(`${mechSetting.rawName} offers only ${[...listed!].join(', ') || 'nothing'}`);
    related.push(settingRel(mechSetting, `${mechSetting.rawName} limits lmtpd's mechanisms`));
  }
  if (withheld && (names as string[]).some((m) => PLAINTEXT.has(m) && (!listed || listed.has(m)))) {
    const noTls = tls === 'offered' ? 'hosts_avoid_tls keeps Exim from starting TLS' : `it offers no STARTTLS, since ${tls.cause}`;
    reasons.push(`it keeps PLAIN and LOGIN back from a connection without TLS while allowplaintext is off${plainSetting ? '' : ' (Cyrus\'s default)'}, and ${noTls}`);
    if (plainSetting) related.push(settingRel(plainSetting, `${plainSetting.rawName} is off`));
    if (tls !== 'offered') related.push(...tls.related);
  }
  if (needsLayer && layerSetting) {
    const noTls = tls === 'offered' ? 'hosts_avoid_tls keeps Exim from starting TLS' : `lmtpd offers no STARTTLS, since ${tls.cause}`;
    reasons.push(`${layerSetting.rawName}: ${layerSetting.value.trim()} asks for a SASL security layer, so on a connection without TLS lmtpd offers only mechanisms that negotiate one (such as DIGEST-MD5), and Exim's client authenticators never do; ${noTls}`);
    related.push(settingRel(layerSetting, `${layerSetting.rawName} asks for a security layer`));
    if (tls !== 'offered') for (const r of tls.related) if (!related.includes(r)) related.push(r);
  }
  const left = listed ? [...listed].filter((m) => !(withheld && PLAINTEXT.has(m)) && !(needsLayer && !LAYERED.has(m))) : undefined;
  return {
    why: `lmtpd (service ${svc}) offers none of the mechanisms of Exim's client authenticators (${theirs}): ${reasons.join('; ')}`,
    related: related.length ? related : [{ ...cmd, message: `lmtpd (service ${svc}) reads ${conf.imapd.file}` }],
    noAuthLine: left === undefined ? undefined : left.length === 0, preauth: false,
  };
}

const settingRel = (s: ImapdSetting, message: string): Related => ({ file: s.file, range: s.valueLoc.range, message });

export function checkAuthMechanisms(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  if (!ctx.cyrus || !clientAuthenticators(ctx).length) return out;
  for (const t of cyrusTransports(ctx)) {
    if (t.kind !== 'tcp' || !t.hosts.length) continue;
    const o = option(t.transport, 'hosts_require_auth');
    if (!o || o.negated || !o.value?.trim()) continue;
    const found = failingHosts(ctx, t, o.value, (host, l) => noCommonMechanism(ctx, t, host, l));
    if (!found) continue;
    const { failing, every, reasons } = found;
    const preauth = reasons.every((r) => r.preauth);
    const said = reasons.every((r) => r.noAuthLine === true) ? 'server did not advertise AUTH support'
      : reasons.every((r) => r.noAuthLine === false) ? 'no common mechanisms were found'
      : 'no common mechanisms were found", or "authentication required but server did not advertise AUTH support" when it offers no mechanism at all';
    const at = o.valueLoc ?? o.loc;
    out.push(finding('link/auth-no-common-mechanism', at.file, at.range,
      `Transport ${t.transport.name} requires AUTH of ${failing.map((f) => f.host).join(', ')} (hosts_require_auth), but ${reasons.map((r) => r.why).join('; and ')}. Exim gives up before MAIL ("authentication required but ${said}"), so ${every
        ? 'every delivery to Cyrus and every recipient callout through it is deferred'
        : movesOnFrom(t, failing)}. ${preauth
        ? 'lmtpd -a needs no AUTH: remove hosts_require_auth, or leave this host out of it.'
        : 'Offer one of those mechanisms to lmtpd (in imapd.conf: allowplaintext: yes on loopback, a certificate so Exim starts TLS first, sasl_mech_list, or sasl_minimum_layer: 0 for this service), or give Exim a client authenticator for a mechanism lmtpd offers.'}`,
      {
        related: reasons.flatMap((r) => r.related),
        ...(preauth ? { fixes: [manualFix('Remove hosts_require_auth (lmtpd -a needs no AUTH)', [removeOptionLines(o)])] } : {}),
        ...(every ? {} : { severity: 'warning' as const }),
      }));
  }
  return out;
}
