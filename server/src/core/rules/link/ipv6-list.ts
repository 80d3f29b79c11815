// link/ipv6-colon-list: in a list separated by `:`, an IPv6 address falls apart (`::1` is a
// doubled separator, i.e. a literal colon, then `1`). Needs no Cyrus file.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, Loc } from '../../exim/model';
import { lookupOption } from '../../catalog/exim';
import { isIPv6 } from '../../lmtp/target';
import { fix, replaceAt } from './edits';

/** Options that hold host lists or lists of IP addresses, beyond those the catalog types as host lists. */
const HOSTISH = new Set(['hosts', 'fallback_hosts', 'local_interfaces', 'extra_local_interfaces']);

function bareAddress(word: string): string {
  return word.replace(/^!+/, '').replace(/\/\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** At least two colons: every IPv6 address has them, and most list words do not (a cheap test first). */
function twoColons(s: string): boolean {
  const i = s.indexOf(':');
  return i >= 0 && s.indexOf(':', i + 1) >= 0;
}

function offending(value: string): string[] {
  if (!twoColons(value) || /^\s*<\s*[^\sA-Za-z0-9]/.test(value)) return [];
  return value.split(/\s+/).filter((w) => w && twoColons(w) && !w.includes('$') && isIPv6(bareAddress(w)));
}

/**
 * The list rewritten with `;` as separator: IPv6 words stay whole, other words split at
 * their colons. Undefined when that cannot be done safely.
 */
export function rewriteWithSemicolons(value: string): string | undefined {
  if (value.includes('$') || value.includes(';')) return undefined;
  const items: string[] = [];
  let cur = '';
  const push = () => { if (cur.trim()) items.push(cur.trim()); cur = ''; };
  for (const w of value.trim().split(/\s+/)) {
    if (!w) continue;
    if (isIPv6(bareAddress(w))) { cur += (cur ? ' ' : '') + w; continue; }
    if (w.includes('::')) return undefined;
    const parts = w.split(':');
    parts.forEach((p, i) => {
      if (i > 0) push();
      if (p) cur += (cur ? ' ' : '') + p;
    });
  }
  push();
  return items.length ? `<; ${items.join(' ; ')}` : undefined;
}

function check(cfg: EximConfig, value: string | undefined, loc: Loc | undefined, what: string, out: Finding[]): void {
  if (!value || !loc) return;
  const bad = offending(value);
  if (!bad.length) return;
  const written = cfg.files?.get(loc.file);
  const sameText = written && loc.range.start.line === loc.range.end.line
    && written.lines.lineText(loc.range.start.line).slice(loc.range.start.character, loc.range.end.character) === value;
  const rewritten = sameText ? rewriteWithSemicolons(value) : undefined;
  out.push(finding('link/ipv6-colon-list', loc.file, loc.range,
    `${what} is separated by ":", so the IPv6 address ${bad.join(', ')} is cut apart at its colons (a doubled colon even stands for a literal ":") and never matches. Start the list with "<;" and separate it with ";" instead.`,
    rewritten ? { fixes: [fix('Separate the list with ";"', [replaceAt(loc, rewritten)], true)] } : {}));
}

export function checkIpv6Lists(cfg: EximConfig): Finding[] {
  const out: Finding[] = [];
  for (const l of cfg.lists ?? []) if (l.kind === 'hostlist') check(cfg, l.value, l.valueLoc, `hostlist ${l.name}`, out);
  for (const s of cfg.main ?? []) {
    if (s.negated) continue;
    if (HOSTISH.has(s.name) || lookupOption('main', s.name)?.listKind === 'hostlist') check(cfg, s.value, s.valueLoc, s.name, out);
  }
  for (const d of [...(cfg.routers ?? []), ...(cfg.transports ?? [])]) {
    const driver = (d.driver ?? '').trim();
    for (const o of d.options ?? []) {
      if (o.negated || o.name === 'route_list') continue;
      const kind = (driver && lookupOption(driver, o.name)?.listKind) || lookupOption(d.section, o.name)?.listKind;
      if (HOSTISH.has(o.name) || kind === 'hostlist') check(cfg, o.value, o.valueLoc, `${o.name} of ${d.name}`, out);
    }
  }
  for (const a of cfg.acls ?? []) {
    for (const s of a.statements) for (const i of s.items) {
      if (i.name === 'hosts') check(cfg, i.value, i.valueLoc, `The hosts condition`, out);
    }
  }
  return out;
}
