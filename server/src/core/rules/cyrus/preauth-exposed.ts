// cyrus/lmtp-preauth-exposed: lmtpd -a listening beyond this machine. With -a, lmtpd counts
// every TCP connection as authenticated (it asks for no AUTH, and offers no STARTTLS: checked
// live with Cyrus 3.6), so whoever reaches its port can put mail into any mailbox, past
// Exim's ACLs, spam and virus checks. Flagged: every interface (no address, 0.0.0.0, ::) and
// an address on the public internet. A private or loopback address, and a host name, are the
// admin's call (a Cyrus backend fed by an Exim on the LAN is a normal design).
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf } from '../../cyrus/model';
import { isIPv4, isIPv6 } from '../../lmtp/target';

/** Loopback, private (RFC 1918, unique-local), link-local and CGNAT ranges. */
function internal(ip: string): boolean {
  if (isIPv4(ip)) {
    // Without splitting: a big file has one such address per service.
    const dot = ip.indexOf('.');
    const a = +ip.slice(0, dot), b = parseInt(ip.slice(dot + 1), 10);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const v = ip.toLowerCase();
  return v === '::1' || /^f[cd]/.test(v) || /^fe[89ab]/.test(v) || /^::ffff:/.test(v) && internal(v.slice(7));
}

export function checkPreauthExposed(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  for (const e of conf.entries) {
    const l = e.listen;
    // A listen= master cannot use disables the service (cyrus/invalid-value says so).
    if (e.section !== 'SERVICES' || !e.cmd?.preauth || e.cmd.tool !== 'lmtpd' || l?.kind !== 'tcp' || e.listenProblem) continue;
    const h = l.host;
    const everywhere = h === undefined || h === '0.0.0.0' || h === '::' || h === '::0';
    // 127.x first: nearly every lmtpd -a listens there, and a big file has thousands.
    if (!everywhere && (!h || h.startsWith('127.') || !(isIPv4(h) || isIPv6(h)) || internal(h))) continue;
    const port = l.portName ?? String(l.port);
    const where = everywhere ? 'on every interface' : `on ${h}, an address on the public internet`;
    out.push(finding('cyrus/lmtp-preauth-exposed', l.loc.file, l.loc.range,
      `lmtpd -a (service ${e.name}) listens ${where}: -a counts every connection as authenticated, so anyone who reaches port ${port} can put mail into any mailbox, past Exim's checks. Listen on loopback (127.0.0.1:${port}) when Exim runs on this machine, or firewall the port to Exim's host.`,
      { fixes: [{ title: `Listen on 127.0.0.1:${port} only (Exim on this machine)`, manual: true, edits: [{ file: l.loc.file, range: l.loc.range, newText: `127.0.0.1:${port}` }] }] }));
  }
  return out;
}
