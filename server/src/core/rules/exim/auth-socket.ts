// exim/invalid-value (warning): a dovecot authenticator's server_socket Exim cannot read. It
// is a UNIX socket's absolute path, or a host and a port (or port range) after white space
// (ip_streamsocket in ip.c): "127.0.0.1:12345" or a relative "auth-client" is an "invalid
// socket", and every AUTH with the mechanism gets "435 Unable to authenticate at present"
// (exim4 -bh). A path that is absolute but missing is this machine's business, not the config's.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, writtenValue } from './instance-options';
import { replaceWrittenFix, runTime } from './suggest';
import { isMacroName } from './undefined-macro';

/** What sscanf("%255s %u-%u") takes: a word, white space, a number (and maybe "-number"). */
const HOST_PORT = /^\s*\S+\s+\+?\d+/;

export function checkAuthSocket(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const a of cfg.authenticators) {
    if (a.driver?.trim() !== 'dovecot') continue;
    const s = given(a, 'server_socket');
    const v = writtenValue(s);
    if (v === undefined || !s?.valueLoc || v.startsWith('/') || HOST_PORT.test(v) || /^\s*$/.test(v) || isMacroName(v)) continue;
    const hostPort = /^\s*\[?([^\s\]]+?)\]?:(\d+)\s*$/.exec(v);
    const meant = hostPort ? `${hostPort[1]} ${hostPort[2]}` : undefined;
    const why = meant ? `write the host and the port with a space between them (${meant})` : 'give the socket\'s absolute path (Debian\'s Dovecot: /run/dovecot/auth-client), or a host and a port with a space between them';
    out.push(finding('exim/invalid-value', s.valueLoc.file, s.valueLoc.range,
      `In ${describe(a)}, server_socket "${v}" is neither a UNIX socket's absolute path nor a host and port, so Exim answers every AUTH with it "435 Unable to authenticate at present" ("invalid socket"). ${why[0].toUpperCase()}${why.slice(1)}.`,
      runTime(replaceWrittenFix(cfg, s.valueLoc, v, meant))));
  }
  return out;
}
