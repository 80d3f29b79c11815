// smtp transports that deliver to this machine: link/localhost-not-allowed (Exim refuses
// without allow_localhost) and link/localhost-dns (the name "localhost" looked up in DNS).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import { splitList } from '../../exim/lists';
import { hostItem } from '../../lmtp/discover';
import type { LinkContext } from './context';
import { boolOption, option } from './context';
import { fix, insertOptionLine, replaceAt } from './edits';
import { isLocalHost } from './match';

function hostsOf(t: DriverInstance): { names: string[]; raw: string } | undefined {
  const o = option(t, 'hosts');
  if (!o || o.negated || !o.value || o.value.includes('$')) return undefined;
  const names: string[] = [];
  for (const it of splitList(o.value).items) {
    const h = hostItem(it.text);
    if (h) names.push(h.host);
  }
  return { names, raw: o.value };
}

export function checkLocalhost(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  for (const t of ctx.cfg.transports ?? []) {
    if ((t.driver ?? '').trim() !== 'smtp' || !ctx.used.has(t.name)) continue;
    const hosts = hostsOf(t);
    if (!hosts) continue;
    const hostsOpt = option(t, 'hosts')!;
    const at = hostsOpt.valueLoc ?? hostsOpt.loc;
    const local = hosts.names.filter((h) => isLocalHost(ctx, h));
    if (local.length && boolOption(t, 'allow_localhost', false) === false) {
      out.push(finding('link/localhost-not-allowed', at.file, at.range,
        `Transport ${t.name} delivers to ${local.join(', ')}, which is this machine, without allow_localhost: Exim refuses ("transport found host ${local[0]} to be local") and the mail stays queued. Set allow_localhost in the transport.`,
        { fixes: [fix('Add allow_localhost', [insertOptionLine(ctx, t, 'allow_localhost', hostsOpt)], true)] }));
    }
    const byName = hosts.names.some((h) => h.toLowerCase() === 'localhost');
    if (byName && boolOption(t, 'gethostbyname', false) === false) {
      const fixes = [fix('Add gethostbyname (look names up in /etc/hosts too)', [insertOptionLine(ctx, t, 'gethostbyname', hostsOpt)], true)];
      if (hostsOpt.valueLoc && hostsOpt.value?.trim().toLowerCase() === 'localhost' && hostsOpt.valueLoc.range.start.line === hostsOpt.valueLoc.range.end.line) {
        fixes.push(fix('Deliver to 127.0.0.1', [replaceAt(hostsOpt.valueLoc, '127.0.0.1')]));
      }
      out.push(finding('link/localhost-dns', at.file, at.range,
        `Transport ${t.name} looks "localhost" up in DNS only (gethostbyname is not set), and DNS servers often do not answer for it: delivery and recipient callouts then fail ("Could not complete recipient verify callout"). Set gethostbyname so /etc/hosts is used, or write 127.0.0.1.`,
        { fixes }));
    }
  }
  return out;
}
