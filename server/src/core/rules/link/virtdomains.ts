// link/virtdomains: lmtpd with `virtdomains: off` drops the domain of every recipient
// (mbname_from_recipient), so alice@a and alice@b land in one mailbox; and a `deliver`
// pipe given only $local_part loses the domain Cyrus needs when virtdomains is on.
// What counts is the lmtpd each router's transport really reaches: the imapd.conf it reads
// (its -C, else the paired one) under its own service name (`lmtptcp_virtdomains` wins
// over `virtdomains` for the service lmtptcp).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import { imapdFacts } from '../../cyrus/facts';
import type { ImapdConf } from '../../cyrus/model';
import type { LinkContext } from './context';
import { option } from './context';
import { fix, insertLine, manualFix, replaceAt } from './edits';
import { reachedListeners } from './listeners';
import { listenerConfig, type ProgramConfig } from './program-config';
import { cyrusRouters, routerDomains, type CyrusRouter } from './routing';

/**
 * `$local_part` or `${local_part}`, or the clean copy Exim 4.94 and later want in a command
 * (`$local_part_data`), not `$local_part_suffix` and the like; with the `@$domain` (or
 * `@$domain_data`) deliver needs right after it, when it is there.
 */
const LOCAL_PART = /\$(?:\{local_part(?:_data)?\}|local_part(?:_data)?(?![A-Za-z0-9_]))(@\$(?:\{domain(?:_data)?\}|domain(?:_data)?(?![A-Za-z0-9_])))?/g;
/** Whether a deliver command passes some local part with its domain. */
const passesDomain = (cmd: string) => [...cmd.matchAll(LOCAL_PART)].some((m) => !!m[1]);
/** The domain to pass beside a local part as written: the clean copy beside the clean copy. */
const withDomain = (m: string) => m.startsWith('${') ? `${m}@\${domain${m.includes('_data') ? '_data' : ''}}` : `${m}@$domain${m.includes('_data') ? '_data' : ''}`;

interface View { imapd: ImapdConf; service?: string; routers: CyrusRouter[] }

/**
 * The settings of the lmtpd each Cyrus router ends up at, with the routers sharing them.
 * Without cyrus.conf (or when no lmtpd is reached, which the listener rules report) the
 * paired imapd.conf's plain settings stand in.
 */
function views(ctx: LinkContext, routers: CyrusRouter[], out: Finding[]): View[] {
  const byKey = new Map<string, View>();
  const skipped = new Set<string>();
  for (const c of routers) {
    const reached = ctx.cyrus ? reachedListeners(ctx, c.via) : [];
    const configs: ProgramConfig[] = reached.length ? reached.map((l) => listenerConfig(ctx, l)) : [{ imapd: ctx.imapd }];
    for (const cfg of configs) {
      if (cfg.unreadable) {
        const u = cfg.unreadable;
        if (!skipped.has(u.path + '\0' + cfg.service)) {
          skipped.add(u.path + '\0' + cfg.service);
          out.push(finding('link/virtdomains', u.loc.file, u.loc.range,
            `lmtpd (service ${cfg.service}) reads its settings from ${u.path} (-C), which cannot be read here, so whether it keeps apart the domains Exim hands it (virtdomains) was not checked.`,
            { severity: 'information' }));
        }
        continue;
      }
      if (!cfg.imapd) continue;
      const key = `${cfg.imapd.file}\0${cfg.service ?? ''}`;
      let v = byKey.get(key);
      if (!v) byKey.set(key, v = { imapd: cfg.imapd, service: cfg.service, routers: [] });
      if (!v.routers.includes(c)) v.routers.push(c);
    }
  }
  return [...byKey.values()];
}

export function checkVirtdomains(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  if (!ctx.imapd && !ctx.cyrus) return out;
  for (const v of views(ctx, cyrusRouters(ctx), out)) checkView(ctx, v, out);
  return out;
}

function checkView(ctx: LinkContext, view: View, out: Finding[]): void {
  const facts = imapdFacts(view.imapd, view.service);
  const vd = facts.virtdomains;
  const setting = vd.setting;
  const routers = view.routers;
  const who = view.service ? `lmtpd (service ${view.service})` : 'lmtpd';

  const full = routers.filter((c) => c.via.kind !== 'command' || passesDomain(c.via.command) || (c.via.transport.driver ?? '').trim() === 'lmtp');
  // The machine's own names are the same mail domain as the one it serves: alice@localhost
  // sharing alice@example.com's mailbox is the normal single-domain setup.
  const counted = (c: CyrusRouter) => (routerDomains(ctx, c.router) ?? []).filter((d) => d !== 'localhost' && d !== ctx.primaryHostname);
  const domains = [...new Set(full.flatMap(counted))];
  if (vd.value === 'off' && domains.length > 1) {
    const r = full.find((c) => counted(c).length)!.router;
    const rd = option(r, 'domains')!;
    const rAt = rd.valueLoc ?? rd.loc;
    // The setting lmtpd really reads: `<service>_virtdomains` wins over `virtdomains`.
    const name = setting?.rawName ?? 'virtdomains';
    // With virtdomains on, Cyrus keeps the domain of a recipient unless it is the
    // defaultdomain: the mailboxes made without one (user/alice) stay the defaultdomain's.
    const dflt = facts.defaultdomain.value?.toLowerCase();
    const keeps = dflt ?? domains[0];
    const others = domains.filter((d) => d !== keeps);
    const message = `Exim hands mail for ${domains.join(', ')} to Cyrus as local_part@domain, but ${who} reads ${name}: off${setting ? '' : ' (the default)'}, so it ignores the domain: ${domains.map((d) => `alice@${d}`).slice(0, 2).join(' and ')} go to the same mailbox user/alice. To keep the domains apart, set ${name}: userid${dflt ? '' : ` with defaultdomain: ${keeps}`}; the mailboxes there now (user/alice) then stay ${keeps}'s, and mail for ${others.join(', ')} goes to mailboxes of its own (user/alice@${others[0]}), which must be made first: until then it is refused.`;
    const addDefault = dflt ? '' : `\ndefaultdomain: ${keeps}`;
    const edits = setting
      ? [replaceAt({ file: setting.file, range: setting.valueLoc.range }, 'userid'),
        ...addDefault ? [insertLine(ctx, setting.file, setting.loc.range.end.line + 1, addDefault.slice(1))] : []]
      : [insertLine(ctx, view.imapd.file, view.imapd.lines.lineCount, `virtdomains: userid${addDefault}`)];
    // Mail for the other domains is refused until their mailboxes exist: the user decides when.
    const fixes = [manualFix(`Set ${name}: userid${dflt ? '' : ` and defaultdomain: ${keeps}`} (make the mailboxes of ${others.join(', ')} first)`, edits)];
    if (setting) {
      out.push(finding('link/virtdomains', setting.file, setting.valueLoc.range, message,
        { related: [{ file: rAt.file, range: rAt.range, message: `router ${r.name} sends ${domains.join(', ')} to Cyrus` }], fixes }));
    } else {
      out.push(finding('link/virtdomains', rAt.file, rAt.range, message, { fixes }));
    }
  }

  if (vd.value === 'off') return;
  for (const c of routers) {
    if (c.via.kind !== 'command' || (c.via.transport.driver ?? '').trim() !== 'pipe') continue;
    const cmd = c.via.command;
    // deliver takes the domain only in the user name: each local part without one loses it.
    const uses = [...cmd.matchAll(LOCAL_PART)].filter((m) => !m[1]).map((m) => m[0]);
    if (!uses.length) continue;
    const own = routerDomains(ctx, c.router);
    const dflt = facts.defaultdomain.value?.toLowerCase();
    // Mail for the default domain needs no domain part: Cyrus files it without one.
    if (own && own.every((d) => d === dflt)) continue;
    const opt = c.via.commandOpt;
    const at = opt.valueLoc ?? opt.loc;
    const fixes = uses.length === 1 && opt.valueLoc && opt.value === opt.rawValue
      ? [fix(`Pass ${withDomain(uses[0])}`, [replaceAt(opt.valueLoc, cmd.replace(LOCAL_PART, (m, domain) => domain ? m : withDomain(m)))])]
      : undefined;
    out.push(finding('link/virtdomains', at.file, at.range,
      `Transport ${c.via.transport.name} passes only ${uses[0]} to Cyrus's deliver, but ${who} reads virtdomains: ${vd.value}: mail for ${own?.filter((d) => d !== dflt).join(', ') || 'domains other than the defaultdomain'} is filed as if it were for ${dflt ? `the default domain ${dflt}` : 'a user without a domain'}. Pass ${withDomain(uses[0])}.`,
      { ...(setting ? { related: [{ file: setting.file, range: setting.valueLoc.range, message: `virtdomains: ${setting.value}` }] } : {}), ...(fixes ? { fixes } : {}) }));
  }
}
