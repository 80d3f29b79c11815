// imapd/tls-file-access: on this machine, Cyrus cannot read the certificate or key imapd.conf
// gives it (who Cyrus runs as: cyrus-identity.ts).
// Found live (Cyrus 3.6, Debian): with the files in a root-only directory, imapd and lmtpd
// still offer STARTTLS, then answer it "NO Error initializing TLS" and "454 4.3.3 Error
// initializing TLS"; Exim delivering to that lmtpd goes on in clear, and with
// hosts_require_tls defers ("a TLS session is required, but an attempt to start TLS
// failed"). With the directory's group the Cyrus user's, the same files serve.
// TLS is on for a service only when both a certificate and a key are set for it (and neither
// is "disabled"); only paths whose every piece exists here are judged, except a file missing
// from a directory that is here, where Cyrus is installed here too: imapd.c and lmtpengine.c
// offer STARTTLS on the settings alone (tls_enabled) and load the files only when a client
// asks (tls_init_serverengine), so a missing file fails the same way, and imaps and pop3s
// (-s) hang up at once. A warning: nothing stops, and a config from elsewhere may name it.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { ImapdConf, ImapdSetting } from '../../cyrus/model';
import { tlsFilesOf } from '../../cyrus/facts';
import type { SourceHost } from '../../host';
import { blockedPaths, describePath, identityText, machineView, needText, readAdvice } from '../../path-access';
import { certbotHint } from '../exim/tls-files';
import { cyrusIdentity } from './cyrus-identity';
import { cyrusProgramDir } from '../cyrus/program-files';
import * as path from 'node:path';

const CERT = ['tls_server_cert', 'tls_cert_file'] as const;
const KEY = ['tls_server_key', 'tls_key_file'] as const;

/** The certificate and key settings in force for each service that has TLS on. */
function tlsSettings(conf: ImapdConf): ImapdSetting[] {
  const services = new Set<string | undefined>([undefined]);
  for (const s of conf.settings) if (s.prefix && [...CERT, ...KEY].includes(s.option as never)) services.add(s.prefix);
  const out = new Set<ImapdSetting>();
  for (const service of services) {
    const { cert, key, on } = tlsFilesOf(conf, service);
    if (on) out.add(cert!).add(key!);
  }
  return [...out];
}

export function checkImapdTlsFiles(conf: ImapdConf, host: SourceHost): Finding[] {
  const settings = host.stat ? tlsSettings(conf).filter((s) => s.value.startsWith('/')) : [];
  const v = settings.length ? machineView(host, (a) => cyrusIdentity(conf, a)) : undefined;
  if (!v) return [];
  const blocked = blockedPaths(host, v.id, settings, (s) => s.value, 4);
  const out = blocked.map((b) => {
    const s = b.item;
    return finding('imapd/tls-file-access', s.file, s.valueLoc.range,
      `On this machine Cyrus's services run as ${identityText(v.a, v.id)}, and ${describePath(v.a, b.blocked)} does not let them ${needText(b.blocked.need)}, so they cannot read ${s.rawName} ${s.value}: imapd, pop3d and lmtpd still offer STARTTLS and then refuse it ("NO Error initializing TLS", "454 4.3.3 Error initializing TLS"), so clients that insist on TLS cannot log in, and an Exim transport that requires TLS of lmtpd (hosts_require_tls) defers every delivery. ${readAdvice(v, b, 'Cyrus', `, or point ${s.rawName} at a copy it can read`)}${certbotHint(s.value)}`);
  });
  missingFiles(host, settings, new Set(blocked.map((b) => b.path)), out);
  return out;
}

function missingFiles(host: SourceHost, settings: ImapdSetting[], said: Set<string>, out: Finding[]): void {
  const stat = (f: string) => host.stat!(f);
  let installed: boolean | undefined;
  const seen = new Set<string>();
  for (const s of settings) {
    const file = s.value;
    if (said.has(file) || seen.has(file) || stat(file)) continue;
    seen.add(file);
    const dir = path.posix.dirname(file);
    if (stat(dir)?.kind !== 'directory' || !(installed ??= !!cyrusProgramDir(stat))) continue;
    const what = CERT.includes(s.option as never) ? 'certificate' : 'key';
    out.push(finding('imapd/tls-file-access', s.file, s.valueLoc.range,
      `There is no ${s.rawName} ${file} on this machine (its directory ${dir} is here, and so is Cyrus): imapd, pop3d and lmtpd still offer STARTTLS and then refuse it ("NO Error initializing TLS", "454 4.3.3 Error initializing TLS"), and a service run with -s (imaps, pop3s) hangs up on every client, so clients that insist on TLS cannot log in, and an Exim transport that requires TLS of lmtpd (hosts_require_tls) defers every delivery. Put the ${what} there, or correct the path.`,
      { severity: 'warning' }));
  }
}
