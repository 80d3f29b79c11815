// The IPv6 colon-list rule reads every word of every host list with hand-written scans:
// they must answer as the regular expressions that define them (kept here as the reference).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv4, isIPv6 } from '../../server/src/core/lmtp/target';
import { offending, rewriteWithSemicolons } from '../../server/src/core/rules/link/ipv6-list';

function refIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function refIPv6(s: string): boolean {
  const zone = s.indexOf('%');
  const addr = zone >= 0 ? s.slice(0, zone) : s;
  if (zone >= 0 && !/^[A-Za-z0-9_.-]+$/.test(s.slice(zone + 1))) return false;
  if (!/^[0-9A-Fa-f:.]+$/.test(addr) || !addr.includes(':')) return false;
  let groups = addr.split(':');
  const last = groups[groups.length - 1];
  let want = 8;
  if (last.includes('.')) {
    if (!refIPv4(last)) return false;
    groups = groups.slice(0, -1);
    want = 6;
  }
  const dbl = addr.indexOf('::');
  if (dbl >= 0 && addr.indexOf('::', dbl + 1) >= 0) return false;
  if (dbl >= 0) {
    const filled = groups.filter((g) => g !== '');
    return filled.length < want && filled.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
  }
  return groups.length === want && groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
}

const bare = (w: string) => w.replace(/^!+/, '').replace(/\/\d+$/, '').replace(/^\[(.*)\]$/, '$1');
const twoColons = (s: string) => s.indexOf(':') >= 0 && s.indexOf(':', s.indexOf(':') + 1) >= 0;

function refOffending(value: string): string[] {
  if (!twoColons(value) || /^\s*<\s*[^\sA-Za-z0-9]/.test(value)) return [];
  return value.split(/\s+/).filter((w) => w && twoColons(w) && !w.includes('$') && refIPv6(bare(w)));
}

function refRewrite(value: string): string | undefined {
  if (value.includes('$') || value.includes(';')) return undefined;
  const items: string[] = [];
  let cur = '';
  const push = () => { if (cur.trim()) items.push(cur.trim()); cur = ''; };
  for (const w of value.trim().split(/\s+/)) {
    if (!w) continue;
    if (refIPv6(bare(w))) { cur += (cur ? ' ' : '') + w; continue; }
    if (w.includes('::')) return undefined;
    w.split(':').forEach((p, i) => {
      if (i > 0) push();
      if (p) cur += (cur ? ' ' : '') + p;
    });
  }
  push();
  return items.length ? `<; ${items.join(' ; ')}` : undefined;
}

/** A small deterministic generator (no randomness between runs). */
function* strings(): Generator<string> {
  let seed = 12345;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const chars = ['0', '1', '9', '2', '5', 'a', 'F', 'g', ':', ':', ':', '.', '.', '%', '!', '/', '[', ']', '$', ' ', '\t', '\u00a0', '\u2028', '<', ';', '_', '-', 'x'];
  for (let k = 0; k < 20000; k++) {
    let s = '';
    for (let n = rnd(16); n > 0; n--) s += chars[rnd(chars.length)];
    yield s;
  }
  const groups = ['', '0', '1', 'db8', '2001', 'ffff', 'FfFf', '12345', 'g', '1.2.3.4', '255.255.255.255', '256.1.1.1', '1.2.3', '01.002.3.4'];
  for (let k = 0; k < 20000; k++) {
    const n = 1 + rnd(10);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(groups[rnd(groups.length)]);
    let s = parts.join(':');
    if (rnd(5) === 0) s += ['%eth0', '%', '%a:b', '%x%y', '%1_.-'][rnd(5)];
    if (rnd(6) === 0) s = ['!', '!!', '[', ''][rnd(4)] + s + ['/64', '/', ']', ']/8', '/x'][rnd(5)];
    yield s;
  }
}

test('isIPv4 and isIPv6 answer as their regular-expression definitions', () => {
  const fixed = ['::', '::1', '1::', ':::', '::1::', 'fe80::1%eth0', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', ':1::2', '1.2.3.4', '', '%', ':%a', '1.2.3.4.', '0.0.0.0', '999.1.1.1'];
  for (const s of [...fixed, ...strings()]) {
    assert.equal(isIPv6(s), refIPv6(s), `isIPv6(${JSON.stringify(s)})`);
    assert.equal(isIPv4(s), refIPv4(s), `isIPv4(${JSON.stringify(s)})`);
  }
});

test('the colon-list scans find and rewrite as their regular-expression definitions', () => {
  const all = [...strings()];
  const lists = ['127.0.0.1 : ::1', ' <; ::1 ; 2001:db8::1', '< ::1', '<a ::1 : 1::2', '!2001:db8::/32 : [fe80::1] : ::1/128', 'a:b ::1:: c::d', '::1\u00a0: fe80::2\u3000x:y'];
  for (let k = 0; k + 3 < all.length; k += 3) lists.push(`${all[k]} ${all[k + 1]}:${all[k + 2]} : ${all[k + 3]}`);
  for (const v of lists) {
    assert.deepEqual(offending(v), refOffending(v), `offending(${JSON.stringify(v)})`);
    assert.equal(rewriteWithSemicolons(v), refRewrite(v), `rewriteWithSemicolons(${JSON.stringify(v)})`);
  }
});
