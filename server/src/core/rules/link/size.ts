// link/message-size-limit: Exim accepts messages that Cyrus's lmtpd then refuses as too big.
//
// Found live with Debian's Exim 4.96 and Cyrus 3.6: lmtpd with maxmessagesize (bytes; 3.8
// also takes K, M and G) answers a MAIL whose SIZE is over it with "552 5.2.3 Message SIZE
// exceeds fixed maximum message size", and Exim's smtp transport declares the message's size
// plus size_addition (1024 unless set) and a little more. Exim takes the 552 as final and
// bounces a message it has already accepted: to a forged sender, that is backscatter. Exim
// refuses too big a message while the sender is still there only through its own
// message_size_limit (50M unless set), so that is the limit to keep under Cyrus's.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { ImapdSetting, LmtpListener } from '../../cyrus/model';
import type { DriverInstance } from '../../exim/model';
import { imapdSetting } from '../../cyrus/facts';
import { parseByteSize } from '../../cyrus/values';
import { eximInteger } from '../exim/values';
import type { LinkContext } from './context';
import { mainSetting, option } from './context';
import { reachedListeners } from './listeners';
import { listenerConfig } from './program-config';
import { cyrusTransports } from './routing';
import { deadReason } from './reach';

/** Exim's default message_size_limit. */
const EXIM_DEFAULT_LIMIT = 50 * 1024 * 1024;
const DEFAULT_SIZE_ADDITION = 1024;
/** maxmessagesize in bytes as Cyrus reads it (3.6's plain number is 3.8's BYTESIZE without a unit); undefined when not a size. */
function cyrusBytes(v: string): number | undefined {
  const r = parseByteSize(v, '');
  return 'bytes' in r ? r.bytes : undefined;
}

/** `n` bytes as a person reads them: 10485760 → 10M, 3000 → 3000 bytes. */
function shown(n: number): string {
  for (const [u, f] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) if (n >= f && n % f === 0) return `${n / f}${u}`;
  return `${n} bytes`;
}

/**
 * The transport's own message_size_limit below what Exim accepts: Exim checks it at
 * delivery (deliver.c, check_message_size) and fails the address, "message is too big
 * (transport limit = N)", so a message in between is accepted and then bounced, as with
 * Cyrus's own limit. Found live: message_size_limit = 100 on the LMTP transport, every
 * message accepted and none delivered.
 */
function transportLimit(tr: DriverInstance, eximLimit: number, eximDefault: boolean): Finding | undefined {
  const o = option(tr, 'message_size_limit');
  if (!o || o.negated || !o.value || o.value.includes('$')) return undefined;
  const limit = eximInteger(o.value);
  if (limit === undefined || limit <= 0 || (eximLimit !== 0 && limit >= eximLimit)) return undefined;
  const exim = eximLimit === 0 ? 'Exim accepts messages of any size (message_size_limit = 0)'
    : `Exim accepts messages up to ${shown(eximLimit)} (message_size_limit${eximDefault ? ', Exim\'s default' : ''})`;
  // A bare number is bytes: "100" meant as megabytes is the likely slip.
  const bare = /^\s*\d+\s*$/.test(o.value) && limit < 100_000 ? ` A number without K, M or G is bytes: for ${limit} megabytes write ${limit}M.` : '';
  const at = o.valueLoc ?? o.nameLoc;
  return finding('link/message-size-limit', at.file, at.range,
    `Transport ${tr.name} delivers to Cyrus only messages up to ${shown(limit)} (its message_size_limit), but ${exim}. A message in between is accepted, then failed at delivery ("message is too big (transport limit = ${limit})"), and Exim bounces it to its sender: backscatter when the sender is forged.${bare} Make the transport's limit at least the main one, or refuse bigger messages for Cyrus's domains in the DATA ACL (condition = \${if >{\$message_size}{${limit}}}) while the sender is still connected.`);
}

/** Where the configuration reads $message_size: an ACL or router may already hold big messages back. */
const READS_SIZE = /\$\{?message_size(?![\w])/;

export function checkMessageSize(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  if (!ctx.cyrus) return out;
  for (const f of ctx.cfg.files?.values() ?? []) if (READS_SIZE.test(f.text)) return out;
  const limitOpt = mainSetting(ctx.cfg, 'message_size_limit');
  if (limitOpt?.value?.includes('$')) return out;
  const eximLimit = !limitOpt ? EXIM_DEFAULT_LIMIT : limitOpt.negated ? 0 : eximInteger(limitOpt.value ?? '');
  if (eximLimit === undefined) return out;
  // Each transport's own limit once, and each set of Cyrus limits (and size addition) once.
  const ownSaid = new Set<string>();
  const limitsSaid = new Set<string>();
  for (const t of cyrusTransports(ctx)) {
    if (!ctx.used.has(t.transport.name)) continue;
    const own = transportLimit(t.transport, eximLimit, limitOpt === undefined);
    if (own && !ownSaid.has(t.transport.name)) {
      ownSaid.add(t.transport.name);
      out.push(own);
    }
    const add = option(t.transport, 'size_addition');
    const addition = t.kind === 'tcp' ? Math.max(0, add && !add.negated ? eximInteger(add.value ?? '') ?? DEFAULT_SIZE_ADDITION : DEFAULT_SIZE_ADDITION) : 0;
    const limits: { l: LmtpListener; s: ImapdSetting; bytes: number }[] = [];
    for (const l of reachedListeners(ctx, t).filter((x) => !deadReason(x))) {
      const conf = listenerConfig(ctx, l).imapd;
      const s = conf && imapdSetting(conf, 'maxmessagesize', l.entry.name);
      const bytes = s && cyrusBytes(s.value);
      // 0 (the default) is no limit; a negative number is no size to compare.
      if (s && bytes && bytes > 0) limits.push({ l, s, bytes });
    }
    if (!limits.length) continue;
    // Exim delivers through the first listener that takes the mail: the largest limit is the
    // most any delivery can count on; the smallest is what some deliveries meet.
    const cyrusLimit = Math.min(...limits.map((x) => x.bytes));
    if (eximLimit !== 0 && eximLimit + addition <= cyrusLimit) continue;
    const key = limits.map((x) => `${x.s.file}:${x.s.loc.range.start.line}`).join() + `/${addition}`;
    if (limitsSaid.has(key)) continue;
    limitsSaid.add(key);
    const smallest = limits.find((x) => x.bytes === cyrusLimit)!;
    const exim = eximLimit === 0
      ? 'Exim accepts messages of any size (message_size_limit = 0)'
      : `Exim accepts messages up to ${shown(eximLimit)} (message_size_limit${limitOpt ? '' : ', Exim\'s default'})`;
    const declared = addition ? `, counting the SIZE Exim declares, the message's size plus ${addition} bytes (size_addition${add ? '' : ', 1024 unless set'})` : '';
    const fitting = Math.floor((cyrusLimit - addition - 1024) / 1024);
    const advice = fitting > 0
      ? `Set message_size_limit = ${fitting}K (or less) so Exim refuses them while the sender is still connected, or raise maxmessagesize.`
      : 'Raise maxmessagesize, or lower message_size_limit well below it.';
    const at = limitOpt?.valueLoc ?? limitOpt?.loc ?? t.transport.nameLoc;
    const related: Related[] = limits.map((x) => ({ file: x.s.file, range: x.s.valueLoc.range, message: `lmtpd (service ${x.l.entry.name}) refuses messages over ${shown(x.bytes)} (${x.s.rawName})` }));
    if (!limitOpt) related.unshift({ file: t.transport.nameLoc.file, range: t.transport.nameLoc.range, message: `transport ${t.transport.name} delivers to Cyrus` });
    out.push(finding('link/message-size-limit', at.file, at.range,
      `${exim}, but Cyrus's lmtpd (service ${smallest.l.entry.name}) refuses those over ${shown(cyrusLimit)} (${smallest.s.rawName})${declared}. A message over that is accepted, then refused at delivery through transport ${t.transport.name} ("552 5.2.3 Message SIZE exceeds fixed maximum message size"), and Exim bounces it to its sender: backscatter when the sender is forged. ${advice}`,
      { related }));
  }
  return out;
}
