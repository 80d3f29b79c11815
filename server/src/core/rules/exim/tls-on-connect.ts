// exim/tls-on-connect: a port whose clients expect the other way of starting TLS. Port 465
// (submissions, RFC 8314) is TLS from the first byte: a client there starts its handshake at
// once. Exim does so only on the ports tls_on_connect_ports lists; on any other it sends its
// "220" greeting in plain text, and every client's handshake fails ("wrong version number",
// seen with exim4 -bdf and openssl s_client, Exim 4.96). The other way round, clients on 25
// and 587 wait for that greeting, and a port in tls_on_connect_ports has none: both sides
// wait until one gives up.
//
// The ports the daemon listens on come from daemon_smtp_ports (default: smtp) and from ports
// written on local_interfaces items (`127.0.0.1.465`, `[::1]:465`); -oX on the command line
// is not ours to see. Service names are the ones /etc/services gives (core/services.ts).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { mainSetting } from './instance-options';
import { locOfText, splitList } from './lists';
import { wellKnownPort } from '../../services';
import { readPortOption } from '../../exim/port';
import { interfaceParts, isInterfaceAddress } from './local-interfaces';

const IMPLICIT_TLS = 465;
const PLAIN_FIRST: Record<number, string> = { 25: 'SMTP between servers', 587: 'submission with STARTTLS' };

/**
 * The port a list item stands for. The daemon reads daemon_smtp_ports as a transport reads
 * its port (a leading 0 is octal, core/exim/port.ts); it compares tls_on_connect_ports items
 * as decimal numbers, whatever follows the digits (its service names it resolves first).
 */
function portOf(text: string, list: 'daemon' | 'tls'): number | undefined {
  if (!/^\d/.test(text)) return wellKnownPort(text.toLowerCase());
  if (list === 'tls') return Number(/^\d+/.exec(text)![0]);
  const read = readPortOption(text);
  return read.kind === 'number' ? read.port : undefined;
}

/** The items of a port list (daemon_smtp_ports, tls_on_connect_ports) that name a port, with it. */
function portItems(s: OptionSetting | undefined, list: 'daemon' | 'tls'): { port: number; text: string }[] {
  if (!s?.value || s.negated) return [];
  const out: { port: number; text: string }[] = [];
  for (const it of splitList(s.value)) {
    const port = portOf(it.text, list);
    if (port !== undefined) out.push({ port, text: it.text });
  }
  return out;
}

/** The port written on a local_interfaces item, if any (after an address, for `addr.port`). */
function interfacePort(text: string): number | undefined {
  const { address, port, bracketed } = interfaceParts(text);
  return port !== undefined && (bracketed || isInterfaceAddress(address)) ? port : undefined;
}

interface Listened { port: number; text: string; setting: OptionSetting }

function listened(cfg: EximConfig): Listened[] {
  const out: Listened[] = [];
  const ifs = mainSetting(cfg, 'local_interfaces');
  let anyWithout = !ifs || ifs.negated || !ifs.value?.trim();
  if (ifs?.value && !ifs.negated) {
    for (const it of splitList(ifs.value)) {
      const port = interfacePort(it.text);
      if (port === undefined) anyWithout = true;
      else out.push({ port, text: it.text, setting: ifs });
    }
  }
  const ports = mainSetting(cfg, 'daemon_smtp_ports');
  if (anyWithout) for (const p of portItems(ports, 'daemon')) out.push({ ...p, setting: ports! });
  return out;
}

/**
 * A list written out as Exim reads it (no quotes, escapes, macros or continuation lines),
 * with ":" between its items: one more can go at its end. Not an expansion, nor a list with
 * a separator of its own.
 */
function appendable(cfg: EximConfig, s: OptionSetting): boolean {
  const v = s.value;
  const r = s.valueLoc?.range;
  if (!v?.trim() || !r || s.negated || r.start.line !== r.end.line || /[$<\\]/.test(v)) return false;
  const written = cfg.files.get(s.valueLoc!.file)?.lines.lineText(r.start.line).slice(r.start.character, r.end.character);
  return written === v;
}

export function checkTlsOnConnect(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const onConnect = mainSetting(cfg, 'tls_on_connect_ports');
  const tlsPorts = new Map(portItems(onConnect, 'tls').map((p) => [p.port, p.text]));
  const out: Finding[] = [];
  for (const l of listened(cfg)) {
    if (l.port !== IMPLICIT_TLS || tlsPorts.has(l.port) || !l.setting.valueLoc) continue;
    const at = locOfText(cfg, l.setting.valueLoc, l.text);
    const fixes = !onConnect ? [{
      title: 'Add "tls_on_connect_ports = 465"',
      edits: [{ file: l.setting.loc.file, range: { start: l.setting.loc.range.end, end: l.setting.loc.range.end }, newText: '\ntls_on_connect_ports = 465' }],
    }] : appendable(cfg, onConnect) ? [{
      title: 'Add 465 to tls_on_connect_ports',
      edits: [{ file: onConnect.valueLoc!.file, range: { start: onConnect.valueLoc!.range.end, end: onConnect.valueLoc!.range.end }, newText: ' : 465' }],
    }] : undefined;
    out.push(finding('exim/tls-on-connect', at.file, at.range,
      `Exim listens on port 465, but tls_on_connect_ports does not list it: clients there (mail programs submitting over TLS, RFC 8314) start TLS at once, and Exim answers their handshake with its plain-text greeting, so every connection fails. Add 465 to tls_on_connect_ports${onConnect ? '' : ' (tls_on_connect_ports = 465)'}.`,
      fixes ? { fixes } : {}));
    // One finding is enough: the same port written twice is the same mistake.
    break;
  }
  if (onConnect?.valueLoc) {
    for (const [port, text] of tlsPorts) {
      const what = PLAIN_FIRST[port];
      if (!what) continue;
      const at = locOfText(cfg, onConnect.valueLoc, text);
      out.push(finding('exim/tls-on-connect', at.file, at.range,
        `tls_on_connect_ports lists port ${port}, where clients (${what}) wait for Exim's greeting before anything else; on this port Exim waits for their TLS handshake instead, so both sides wait until one gives up. Remove ${port} from tls_on_connect_ports: on it Exim offers STARTTLS, which these clients use.`));
    }
  }
  return out;
}
