// link/virtdomains: lmtpd with `virtdomains: off` drops the domain of every recipient
// (mbname_from_recipient), so alice@a and alice@b land in one mailbox; and a `deliver`
// pipe given only $local_part loses the domain Cyrus needs when virtdomains is on.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import { imapdFacts } from '../../cyrus/facts';
import type { LinkContext } from './context';
import { option } from './context';
import { fix, insertLine, replaceAt } from './edits';
import { cyrusRouters, routerDomains } from './routing';

export function checkVirtdomains(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  if (!ctx.imapd) return out;
  const facts = imapdFacts(ctx.imapd, 'lmtp');
  const vd = facts.virtdomains;
  const setting = vd.setting;
  const routers = cyrusRouters(ctx);

  const full = routers.filter((c) => c.via.kind !== 'command' || /\$\{?domain\b/.test(c.via.command) || (c.via.transport.driver ?? '').trim() === 'lmtp');
  const domains = [...new Set(full.flatMap((c) => routerDomains(ctx, c.router) ?? []))];
  if (vd.value === 'off' && domains.length > 1) {
    const r = full.find((c) => (routerDomains(ctx, c.router) ?? []).length)!.router;
    const rd = option(r, 'domains')!;
    const rAt = rd.valueLoc ?? rd.loc;
    const message = `Exim hands mail for ${domains.join(', ')} to Cyrus as local_part@domain, but imapd.conf has virtdomains: off${setting ? '' : ' (the default)'}, so lmtpd ignores the domain: ${domains.map((d) => `alice@${d}`).slice(0, 2).join(' and ')} go to the same mailbox user/alice. Set virtdomains: userid to keep the domains apart.`;
    const edit = setting
      ? replaceAt({ file: setting.file, range: setting.valueLoc.range }, 'userid')
      : insertLine(ctx, ctx.imapd.file, ctx.imapd.lines.lineCount, 'virtdomains: userid');
    const fixes = [fix('Set virtdomains: userid', [edit], true)];
    if (setting) {
      out.push(finding('link/virtdomains', setting.file, setting.valueLoc.range, message,
        { related: [{ file: rAt.file, range: rAt.range, message: `router ${r.name} sends ${domains.join(', ')} to Cyrus` }], fixes }));
    } else {
      out.push(finding('link/virtdomains', rAt.file, rAt.range, message, { fixes }));
    }
  }

  if (vd.value === 'off') return out;
  for (const c of routers) {
    if (c.via.kind !== 'command' || (c.via.transport.driver ?? '').trim() !== 'pipe') continue;
    const cmd = c.via.command;
    if (!/\$\{?local_part\b/.test(cmd) || /\$\{?domain\b/.test(cmd)) continue;
    const own = routerDomains(ctx, c.router);
    const dflt = facts.defaultdomain.value?.toLowerCase();
    // Mail for the default domain needs no domain part: Cyrus files it without one.
    if (own && own.every((d) => d === dflt)) continue;
    const opt = c.via.commandOpt;
    const at = opt.valueLoc ?? opt.loc;
    const uses = cmd.match(/\$\{?local_part\}?/g) ?? [];
    const fixes = uses.length === 1 && opt.valueLoc && opt.value === opt.rawValue
      ? [fix('Pass $local_part@$domain', [replaceAt(opt.valueLoc, cmd.replace(/\$\{?local_part\}?/, '$local_part@$domain'))])]
      : undefined;
    out.push(finding('link/virtdomains', at.file, at.range,
      `Transport ${c.via.transport.name} passes only $local_part to Cyrus's deliver, but imapd.conf has virtdomains: ${vd.value}: mail for ${own?.filter((d) => d !== dflt).join(', ') || 'domains other than the defaultdomain'} is filed as if it were for ${dflt ? `the default domain ${dflt}` : 'a user without a domain'}. Pass $local_part@$domain.`,
      { ...(setting ? { related: [{ file: setting.file, range: setting.valueLoc.range, message: `virtdomains: ${setting.value}` }] } : {}), ...(fixes ? { fixes } : {}) }));
  }
  return out;
}
