// link/plus-address-dropped: the Cyrus router strips a `+detail` suffix (local_part_suffix)
// and the LMTP transport leaves it out of the RCPT it sends (rcpt_include_affixes is off,
// Exim's default: transport_rcpt_address() rebuilds the address without its affixes). lmtpd
// then never sees the detail, so mail for user+folder lands in the INBOX instead of the folder
// Cyrus would post it to, and Sieve's subaddress tests see no :detail. Found live: without the
// option Exim logs `=> alice@… <alice+box@…>` and the message is in alice's INBOX; with it, or
// with no suffix on the router at all, it is in alice/box.
//
// Cyrus takes only `+` as its detail separator: any other suffix or prefix passed on becomes
// part of the user name lmtpd looks up (an unknown user), so rcpt_include_affixes is offered
// as the fix only where every affix the transport's routers strip is a `+` suffix.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import { splitList } from '../../exim/lists';
import type { LinkContext } from './context';
import { boolOption, option, value } from './context';
import { fix, insertOptionLine } from './edits';
import { cyrusRouters, sendsRcpt } from './routing';

/** The suffixes a router strips, as written; undefined when unset or known only at run time. */
function suffixes(r: DriverInstance): string[] | undefined {
  const v = value(r, 'local_part_suffix');
  if (!v || v.includes('$')) return undefined;
  const items = splitList(v).items.map((i) => i.text.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

const hasPrefix = (r: DriverInstance) => !!value(r, 'local_part_prefix')?.trim();

/** What lmtpd would get wrong if the transport passed this router's affixes on. */
function notDetail(r: DriverInstance): string[] {
  const out = (suffixes(r) ?? []).filter((s) => !s.startsWith('+')).map((s) => `suffix ${s}`);
  if (hasPrefix(r)) out.push(`prefix ${value(r, 'local_part_prefix')!.trim()}`);
  return out;
}

export function checkPlusAddress(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  const routers = ctx.cfg.routers ?? [];
  for (const c of cyrusRouters(ctx)) {
    const t = c.via.transport;
    if (!sendsRcpt(c.via) || boolOption(t, 'rcpt_include_affixes', false) !== false) continue;
    const plus = (suffixes(c.router) ?? []).filter((s) => s.startsWith('+'));
    if (!plus.length) continue;
    const sfx = option(c.router, 'local_part_suffix')!;
    const at = sfx.valueLoc ?? sfx.nameLoc;
    const example = plus[0].replace(/\*/g, 'folder');
    const own = notDetail(c.router);
    // Every router that uses this transport would pass its affixes on once the option is set.
    const others = routers.filter((r) => r !== c.router && value(r, 'transport')?.trim() === t.name && notDetail(r).length);
    let advice: string;
    let fixes;
    if (own.length) {
      advice = `Setting rcpt_include_affixes in transport ${t.name} would pass its ${own.join(' and ')} on too, which lmtpd reads as part of the user name and refuses as unknown: give the ${plus.join(' : ')} suffix a router and transport of its own with rcpt_include_affixes, or drop it if every +detail is meant for the INBOX.`;
    } else if (others.length) {
      advice = `Transport ${t.name} also serves router ${others.map((r) => r.name).join(', ')}, whose ${notDetail(others[0]).join(' and ')} lmtpd would read as part of the user name if the transport passed affixes on: give router ${c.router.name} a copy of the transport with rcpt_include_affixes set.`;
    } else {
      advice = `Set rcpt_include_affixes in transport ${t.name} (or drop the suffix if every +detail is meant for the INBOX).`;
      fixes = [fix(`Add rcpt_include_affixes to transport ${t.name}`, [insertOptionLine(ctx, t, 'rcpt_include_affixes')], true)];
    }
    out.push(finding('link/plus-address-dropped', at.file, at.range,
      `Router ${c.router.name} strips the suffix ${plus.join(' : ')} from local parts (local_part_suffix), and transport ${t.name} leaves it out of the RCPT it sends lmtpd (rcpt_include_affixes is off): mail for user${example}@domain reaches Cyrus as user@domain, so it lands in the INBOX, never in the folder the +detail names, and Sieve sees no :detail. ${advice}`,
      { related: [{ file: t.nameLoc.file, range: t.nameLoc.range, message: `transport ${t.name} sends lmtpd the address without its affixes` }], ...(fixes ? { fixes } : {}) }));
  }
  return out;
}
