// smtp transports that deliver to this machine: link/localhost-not-allowed (Exim refuses
// without allow_localhost) and link/localhost-dns (the name "localhost" looked up in DNS).
// A manualroute router whose first host is this machine needs `self = send`: by default
// (`self = freeze`) routing stops with "remote host address is the local host". The
// transport then needs no allow_localhost: that checks only the transport's own hosts.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import { splitList } from '../../exim/lists';
import { hostItem, transportHosts } from '../../lmtp/discover';
import type { LinkContext } from './context';
import { boolOption, option, value } from './context';
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

/** Splits on white space, keeping a double-quoted word (quotes removed) whole. */
function words(s: string): string[] {
  return [...s.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** The first host of each static host list a manualroute router routes to. */
function firstHosts(r: DriverInstance): { opt: NonNullable<ReturnType<typeof option>>; host: string }[] {
  const out: { opt: NonNullable<ReturnType<typeof option>>; host: string }[] = [];
  const first = (list: string | undefined) => {
    if (!list || list.includes('$')) return undefined;
    const item = splitList(list).items[0];
    return item ? hostItem(item.text)?.host : undefined;
  };
  const data = option(r, 'route_data');
  if (data && !data.negated && data.value !== undefined) {
    const h = first(words(data.value)[0]);
    if (h) out.push({ opt: data, host: h });
    return out;
  }
  const list = option(r, 'route_list');
  // A list with its own separator (`<`) or an expansion is left alone.
  if (!list || list.negated || !list.value || list.value.includes('$') || list.value.trim().startsWith('<')) return out;
  for (const rule of list.value.split(';')) {
    const h = first(words(rule)[1]);
    if (h) out.push({ opt: list, host: h });
  }
  return out;
}

function checkRouters(ctx: LinkContext, out: Finding[]): void {
  for (const r of ctx.cfg.routers ?? []) {
    if ((r.driver ?? '').trim() !== 'manualroute' || option(r, 'self')) continue;
    const local = firstHosts(r).filter((h) => isLocalHost(ctx, h.host));
    if (!local.length) continue;
    const opt = local[0].opt;
    const at = opt.valueLoc ?? opt.loc;
    const hosts = [...new Set(local.map((h) => h.host))];
    const transport = value(r, 'transport')?.trim();
    out.push(finding('link/localhost-not-allowed', at.file, at.range,
      `Router ${r.name} routes to ${hosts.join(', ')}, which is this machine, and self is not set: by default (self = freeze) Exim stops there ("remote host address is the local host") and the mail is frozen. Set self = send in the router to deliver to this machine${transport ? ` through transport ${transport}` : ''}.`,
      { fixes: [fix('Add self = send', [insertOptionLine(ctx, r, 'self = send', opt)], true)] }));
  }
}

export function checkLocalhost(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  checkRouters(ctx, out);
  for (const t of ctx.cfg.transports ?? []) {
    if ((t.driver ?? '').trim() !== 'smtp' || !ctx.used.has(t.name)) continue;
    const hosts = hostsOf(t);
    if (!hosts) continue;
    const hostsOpt = option(t, 'hosts')!;
    // A manualroute router's own hosts replace these (no hosts_override): they are not used.
    if (transportHosts(ctx.cfg.routers ?? [], t).from !== hostsOpt) continue;
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
