// exim/invalid-value on ports Exim loads without a word and then gets wrong: an smtp
// transport's `port` and the items of daemon_smtp_ports, which Exim reads alike (strtol in
// base 0, cut to 16 bits: core/exim/port.ts). Characters after the digits defer every
// delivery through the transport ("invalid port number for t transport: 25x") or stop the
// daemon as it starts ("invalid SMTP port: 587x"); 0 is refused by every host, and the daemon
// listens on a port the kernel picks; a number above 65535 or with a leading 0 is another port
// than the one written (exim4 -odf connected to 4464 for 70000 and to 21 for 025, and
// exim4 -bdf listened there). A service name missing from /etc/services is the link rules'
// (they read the machine's file); an expansion is left alone.
//
// In a host list (an smtp transport's hosts and fallback_hosts, a router's fallback_hosts,
// the hosts of a manualroute router's route_list and route_data) ":" separates the hosts,
// so `127.0.0.1:2525` is two hosts, the second named "2525": its address lookup fails and
// delivery defers (exim4 -bt: "host lookup for 2525 did not complete"). The port goes in
// as `127.0.0.1::2525`, a doubled colon standing for one inside the item.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig, Loc, OptionSetting } from '../../exim/model';
import { splitList } from '../../exim/lists';
import { readPortOption } from '../../exim/port';
import { isStrictIPv4, isStrictIPv6 } from '../../exim/ip-address';
import type { CheckOptions } from '../../options';
import { describe, given, mainSetting, on, writtenValue } from './instance-options';
import { locOfText, ruleWords, spansText, splitList as valueItems } from './lists';
import { runTime } from './suggest';

/** What is wrong with a port written as `text`, in the words of `use` (how Exim fails on it). */
function portProblem(cfg: EximConfig, text: string, at: Loc, use: { invalid: string; zero: string }): { message: string; fixes?: Fix[] } | undefined {
  const p = readPortOption(text);
  if (p.kind === 'invalid') {
    const why = /^0\d/.test(text) ? ': a leading 0 makes it an octal number, where 8 and 9 are no digits' : '';
    return { message: `is no port number as Exim reads it${why}. ${use.invalid} Give the port as a decimal number (or a service name /etc/services defines).` };
  }
  if (p.kind !== 'number') return undefined;
  if (p.port === 0) return { message: `is port 0${p.written !== 0n ? ` (Exim keeps only the low 16 bits of ${p.written})` : ''}: ${use.zero}` };
  if (p.written > 65535n) return { message: `is above 65535, the highest TCP port: Exim keeps only its low 16 bits, which make port ${p.port}. Write the port meant.` };
  if (!p.octal) return undefined;
  const decimal = text.replace(/^0+/, '');
  const message = `is octal to Exim (a number with a leading 0), port ${p.port}, not ${decimal}. Write the port in decimal.`;
  // Only where the value is written as it stands (not through a macro) may the fix replace it.
  if (!spansText(cfg, at, text)) return { message };
  return { message, fixes: [{ title: `Write port ${decimal} (drop the leading zeros)`, edits: [{ file: at.file, range: at.range, newText: decimal }] }] };
}

/** Host lists of `text` (an option's value): whole, or the hosts part of each route rule. */
export function hostLists(name: string, text: string): string[] {
  if (name === 'hosts' || name === 'fallback_hosts') return [text];
  // route_data is "hosts options"; route_list rules "domains hosts options", ";" between rules.
  if (name === 'route_data') return ruleWords(text).slice(0, 1);
  if (/^\s*</.test(text)) return [];
  return text.split(';').map((rule) => ruleWords(rule)[1]).filter((h): h is string => h !== undefined);
}

const HOST_LIST_OPTIONS: Record<string, readonly string[]> = {
  smtp: ['hosts', 'fallback_hosts'], manualroute: ['route_list', 'route_data', 'fallback_hosts'],
};

/**
 * A host-list item that names no host: Exim looks the whole item up as a host name, the
 * lookup fails ("failed to lookup IP address for ..."), and each delivery to it defers.
 * Found live (Exim 4.96, an smtp transport's hosts and a manualroute router's route_list):
 * "+cyrus_hosts" (named lists are matched, never expanded, so a list of hosts to connect to
 * cannot be one), "[127.0.0.1]" (host.c strips brackets only from "[address]:port"),
 * "localhost, 127.0.0.1", "192.0.2.1 192.0.2.2", "127.0.0.1/32" (and "localhost/MX" in a
 * transport: /MX is a manualroute router's).
 */
function unknownHost(cfg: EximConfig, inst: DriverInstance, s: OptionSetting, host: string, sep: string, out: Finding[]): void {
  if (!host || host.includes('$') || !s.valueLoc) return;
  let why: string, fix: string | undefined;
  if (/^\+./.test(host)) {
    why = `a host list to connect to is not matched against, so "+${host.slice(1)}" is no named list here but a host of that name`;
  } else if (/^\[[^\]]*\]$/.test(host)) {
    why = 'square brackets go only around an address followed by a port ([::1]:2525), and alone they stay part of the name';
    fix = host.slice(1, -1);
  } else if (host.includes('/') && !(inst.section === 'routers' && /^[^/]+\/mx$/i.test(host))) {
    why = inst.section === 'transports'
      ? 'a "/" suffix is no part of a host name (a mask belongs in a host list Exim matches, and /MX in a manualroute router\'s hosts)'
      : 'a "/" suffix other than /MX is no part of a host name (a mask belongs in a host list Exim matches)';
    const base = host.slice(0, host.indexOf('/'));
    if (isStrictIPv4(base) || isStrictIPv6(base)) fix = base;
  } else if (host.includes(',')) {
    why = `"," separates nothing in a host list ("${sep}" does), so this is one host whose name holds commas`;
    fix = host.split(',').map((h) => h.trim()).filter(Boolean).join(` ${sep} `);
  } else if (/\s/.test(host)) {
    why = `white space separates nothing in a host list ("${sep}" does), so this is one host whose name holds spaces`;
  } else return;
  const at = locOfText(cfg, s.valueLoc, host);
  out.push(finding('exim/invalid-value', at.file, at.range,
    `In ${describe(inst)}, "${host}" in ${s.name} is no host Exim can look up: ${why}. Its address lookup fails (${inst.section === 'transports' ? `"failed to lookup IP address for ${host}"` : `"lookup of host \"${host}\" failed in ${inst.name} router"`}), and every delivery to it defers.${fix ? ` Write ${fix}.` : ` Write the hosts themselves, separated by "${sep}".`}`,
    runTime(fix && spansText(cfg, at, host) ? [{ title: `Write ${fix}`, edits: [{ file: at.file, range: at.range, newText: fix }] }] : undefined)));
}

/** The address of an IPv6 host item ("::1", or "[::1]:2003" with its port), else undefined. */
function ipv6Item(host: string): string | undefined {
  const a = /^\[([^\]]*)\]:\d+$/.exec(host)?.[1] ?? host;
  return isStrictIPv6(a) ? a : undefined;
}

/**
 * IPv6 addresses in a host list while disable_ipv6 is set: Exim then looks even an address up
 * as a name, finds nothing ("failed to lookup IP address for ::1", live with Exim 4.96), and
 * moves on to the next host; with no other host, every delivery defers.
 */
function ipv6Hosts(cfg: EximConfig, inst: DriverInstance, s: OptionSetting, hosts: string[], out: Finding[]): void {
  const v6 = hosts.filter((h) => ipv6Item(h) !== undefined);
  if (!v6.length) return;
  const others = hosts.filter((h) => h && ipv6Item(h) === undefined);
  const off = mainSetting(cfg, 'disable_ipv6');
  for (const h of new Set(v6)) {
    const at = locOfText(cfg, s.valueLoc!, h);
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(inst)}, ${s.name} names the IPv6 address ${ipv6Item(h)}, but disable_ipv6 is set: Exim finds no address for it ("failed to lookup IP address for ${ipv6Item(h)}")${others.length ? `, skips it and tries ${others.join(', ')}` : ', and every delivery through it defers'}. Write an IPv4 address of the same host (127.0.0.1 for ::1), or remove disable_ipv6.`,
      { ...runTime(), ...(off ? { related: [{ file: off.loc.file, range: off.loc.range, message: 'disable_ipv6 is set here' }] } : {}) }));
  }
}

/** Items of a ":" host list that are a port cut off the host before them. */
function hostListPorts(cfg: EximConfig, inst: DriverInstance, ipv6Off: boolean, out: Finding[]): void {
  const names = Object.hasOwn(HOST_LIST_OPTIONS, inst.driver?.trim() ?? '') ? HOST_LIST_OPTIONS[inst.driver!.trim()] : ['fallback_hosts'];
  for (const s of inst.options) {
    const v = names.includes(s.name) ? writtenValue(s) : undefined;
    if (!v || !s.valueLoc) continue;
    for (const list of hostLists(s.name, v)) {
      const { separator, items } = splitList(list.replace(/^"|"$/g, ''));
      // An IPv6 address cut apart at its colons is link/ipv6-colon-list's.
      const cutIPv6 = separator === ':' && list.includes('::');
      if (!cutIPv6) for (const it of items) unknownHost(cfg, inst, s, it.text.trim(), separator, out);
      if (!cutIPv6 && ipv6Off) ipv6Hosts(cfg, inst, s, items.map((it) => it.text.trim()), out);
      if (separator !== ':' || cutIPv6) continue;
      for (let k = 1; k < items.length; k++) {
        const port = items[k].text, host = items[k - 1].text;
        if (!/^\d+$/.test(port) || !host || /^\d+$/.test(host)) continue;
        const at = locOfText(cfg, s.valueLoc, `${host}:${port}`);
        out.push(finding('exim/invalid-value', at.file, at.range,
          `In ${describe(inst)}, "${host}:${port}" in ${s.name} is two hosts, "${host}" and one named "${port}": ":" separates the hosts, so the port is read as a host whose address lookup fails, and delivery to it defers. Write ${host}::${port} (a doubled colon is a colon inside the item), or set the transport's port.`,
          runTime(spansText(cfg, at, `${host}:${port}`) ? [{ title: `Write ${host}::${port}`, edits: [{ file: at.file, range: at.range, newText: `${host}::${port}` }] }] : undefined)));
      }
    }
  }
}

export function checkPorts(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const ipv6Off = on(mainSetting(cfg, 'disable_ipv6')) === true;
  for (const inst of [...cfg.routers, ...cfg.transports]) hostListPorts(cfg, inst, ipv6Off, out);
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'smtp') continue;
    const s = given(t, 'port');
    const text = writtenValue(s)?.trim();
    const at = s?.valueLoc;
    if (!text || !at) continue;
    const problem = portProblem(cfg, text, at, {
      invalid: `Exim defers every address delivered through it ("invalid port number for ${t.name} transport: ${text}").`,
      zero: 'no host listens there, and every delivery through it is deferred ("Connection refused"). Give the port the hosts listen on.',
    });
    if (problem) out.push(finding('exim/invalid-value', at.file, at.range, `In ${describe(t)}, port = ${text} ${problem.message}`, runTime(problem.fixes)));
  }
  const daemon = mainSetting(cfg, 'daemon_smtp_ports');
  const ports = writtenValue(daemon);
  if (ports && daemon?.valueLoc) {
    for (const it of valueItems(ports)) {
      const at = locOfText(cfg, daemon.valueLoc, it.text);
      const problem = portProblem(cfg, it.text, at, {
        invalid: `The daemon refuses to start ("Exim configuration error: invalid SMTP port: ${it.text}"); exim -bV does not see it.`,
        zero: 'the daemon listens on a port the kernel picks, different each start, where no client looks. Give the port clients connect to.',
      });
      if (problem) out.push(finding('exim/invalid-value', at.file, at.range, `daemon_smtp_ports item ${it.text} ${problem.message}`, runTime(problem.fixes)));
    }
  }
  return out;
}
