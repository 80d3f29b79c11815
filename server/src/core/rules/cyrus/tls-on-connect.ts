// cyrus/tls-on-connect: a service whose -s does not match its port. On the TLS ports (imaps
// 993, pop3s 995, nntps 563, https 443) clients start TLS at once; without -s the server
// greets them in plain text and every handshake fails ("wrong version number", seen with
// Cyrus 3.6's imapd and a TLS client). On the plain ports (143, 110, 119, 80) clients wait
// for the greeting and use STARTTLS; with -s the server waits for a TLS handshake instead,
// and both sides wait until one gives up.
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf } from '../../cyrus/model';
import { ownEntry } from '../../own';
import { wellKnownPort } from '../../services';

/** For each program that takes -s: the services of its TLS port and of its plain one. */
const SERVICES: Record<string, { tls: string; plain: string }> = {
  imapd: { tls: 'imaps', plain: 'imap' },
  proxyd: { tls: 'imaps', plain: 'imap' },
  pop3d: { tls: 'pop3s', plain: 'pop3' },
  pop3proxyd: { tls: 'pop3s', plain: 'pop3' },
  nntpd: { tls: 'nntps', plain: 'nntp' },
  httpd: { tls: 'https', plain: 'http' },
};

/** Whether `tool`'s -s means TLS from the first byte. */
export const takesTlsFlag = (tool: string): boolean => ownEntry(SERVICES, tool) !== undefined;

export function checkTlsOnConnect(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  for (const e of conf.entries) {
    const l = e.listen, cmd = e.cmd;
    if (e.section !== 'SERVICES' || !cmd || l?.kind !== 'tcp' || e.listenProblem) continue;
    // A program of any name may be written here ("constructor" too): only the table's own count.
    const names = ownEntry(SERVICES, cmd.tool);
    if (!names) continue;
    const { tls: tlsName, plain: plainName } = names;
    const tlsPort = wellKnownPort(tlsName)!, plainPort = wellKnownPort(plainName)!;
    if (l.port === tlsPort && !cmd.tls) {
      const tool = cmd.toolLoc;
      out.push(finding('cyrus/tls-on-connect', l.loc.file, l.loc.range,
        `Service ${e.name} listens on port ${tlsPort} (${tlsName}), where clients start TLS at once, but ${cmd.tool} runs without -s and greets them in plain text: every client's TLS handshake fails. Add -s to its cmd ("${cmd.tool} -s").`,
        { fixes: [{ title: `Add -s to ${cmd.tool} (TLS from the first byte)`, preferred: true, edits: [{ file: tool.file, range: { start: tool.range.end, end: tool.range.end }, newText: ' -s' }] }] }));
    } else if (l.port === plainPort && cmd.tls) {
      out.push(finding('cyrus/tls-on-connect', l.loc.file, l.loc.range,
        `Service ${e.name} listens on port ${plainPort} (${plainName}), where clients wait for the server's greeting and then use STARTTLS, but ${cmd.tool} -s waits for a TLS handshake first: both sides wait until one gives up. Remove -s, or listen on ${tlsPort} (${tlsName}).`));
    }
  }
  return out;
}
