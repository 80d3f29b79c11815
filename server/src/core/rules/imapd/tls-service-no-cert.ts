// imapd/tls-service-no-cert: a cyrus.conf service run with -s (TLS from the first byte:
// imaps, pop3s, …) that reads this imapd.conf, which gives it no certificate and key. The
// program then cannot start TLS at all and drops every connection at the handshake (seen with
// Cyrus 3.6: imapd -s without tls_server_cert and tls_server_key resets the connection).
// Judged only with the cyrus.conf beside it, for services whose cmd reads this file (no -C,
// -C naming it, or Cyrus's default /etc/imapd.conf), and only when the file was read whole.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { CyrusConf, ImapdConf } from '../../cyrus/model';
import { tlsFilesOf } from '../../cyrus/facts';
import { readsImapdConf } from '../link/program-config';
import { takesTlsFlag } from '../cyrus/tls-on-connect';

export function checkTlsServiceNoCert(conf: ImapdConf, cyrus?: CyrusConf): Finding[] {
  if (!cyrus || conf.parseFindings.length) return [];
  const out: Finding[] = [];
  for (const e of cyrus.entries) {
    const cmd = e.cmd;
    if (e.section !== 'SERVICES' || !cmd?.tls || !takesTlsFlag(cmd.tool) || e.listenProblem || !readsImapdConf(cmd.configFile, conf.file)) continue;
    const { cert, key, on, off } = tlsFilesOf(conf, e.name);
    if (on) continue;
    const what = !cert && !key ? 'neither tls_server_cert nor tls_server_key' : off.length ? off.map((s) => `${s.rawName}: "${s.value}"`).join(' and ') : `no ${cert ? 'tls_server_key' : 'tls_server_cert'}`;
    const start = { line: 0, character: 0 };
    out.push(finding('imapd/tls-service-no-cert', cmd.loc.file, cmd.loc.range,
      `Service ${e.name} runs ${cmd.tool} -s (TLS from the first byte), but ${conf.file} gives it ${what}: ${cmd.tool} cannot start TLS and drops every connection at the handshake. Set tls_server_cert and tls_server_key there (or ${e.name}_tls_server_cert and ${e.name}_tls_server_key for this service alone).`,
      { related: off.length ? off.map((s) => ({ file: s.file, range: s.valueLoc.range, message: `${s.rawName} turns TLS off` })) : [{ file: conf.file, range: { start, end: start }, message: `the imapd.conf service ${e.name} reads` }] }));
  }
  return out;
}
