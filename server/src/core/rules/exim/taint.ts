// Tainted data where Exim 4.94 and later refuse it, found where the value is written out
// (exim/taint.ts says what counts as tainted). Each seen with exim4 -odf: the config loads,
// then an appendfile file or directory named from it defers every delivery ("Tainted
// '/var/mail/alice' (file or directory name for t transport) not permitted") unless
// create_file is belowhome or a directory it lies in (then it is taken as clean), a pipe command
// argument built from it fails it for good ("Tainted arg 1 for t transport command": the
// message bounces; with use_shell the whole line goes to the shell and is not checked), and
// a redirect router's file named from it defers the address ("Tainted name ... for file read
// not permitted"), and so does an autoreply's file or once file, while its log is then
// never written ("Tainted filename ..."; an lmtp socket, require_files and
// transport_home_directory take it). A lookup's file is the expansion rule's.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, OptionSetting } from '../../exim/model';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { taintSource } from '../../exim/taint';
import { describe, given, on, opt } from './instance-options';
import { RUN_TIME } from './suggest';

const CLEAN_INSTEAD = 'Use $local_part_data or $domain_data (set when the router\'s local_parts, domains or check_local_user matched the address), $home, or a lookup\'s result instead.';

export function checkTaint(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    const driver = t.driver?.trim();
    // create_file = belowhome or a directory: a name below it is taken as clean (appendfile.c).
    // (Anything but anywhere and inhome: a value written with a macro may well be a directory.)
    const create = given(t, 'create_file')?.value?.trim();
    const below = create !== undefined && create !== 'anywhere' && create !== 'inhome';
    if (driver === 'appendfile' && !below) {
      for (const name of ['file', 'directory']) {
        tainted(t, name, out, (v) => `In ${describe(t)}, "${name}" is built from $${v}, which comes from the message and is tainted: Exim refuses a tainted file name, so every delivery through it defers ("Tainted '...' (file or directory name for ${t.name} transport) not permitted"). ${CLEAN_INSTEAD}`);
      }
    } else if (driver === 'autoreply') {
      for (const [name, what] of [['file', 'file'], ['once', 'once file']]) {
        tainted(t, name, out, (v) => `In ${describe(t)}, "${name}" is built from $${v}, which comes from the message and is tainted: Exim refuses a tainted file name, so every delivery through it defers ("Tainted '...' (${what} for ${t.name} transport) not permitted"). ${CLEAN_INSTEAD}`);
      }
      tainted(t, 'log', out, (v) => `In ${describe(t)}, "log" is built from $${v}, which comes from the message and is tainted: Exim sends the reply but never writes the log ("Tainted filename '...'" in its main log). ${CLEAN_INSTEAD}`);
    } else if (driver === 'pipe' && on(opt(t, 'use_shell')) === false) {
      // Cyrus's deliver is given the recipient: LMTP hands it over without a command line.
      const deliver = /(^|\/)deliver(\s|$)/.test(given(t, 'command')?.value?.trim().split(/\s+/)[0] ?? '') ? ' Or hand the mail to Cyrus over LMTP (an smtp transport with protocol = lmtp, or an lmtp transport on lmtpd\'s socket), which passes the address without a command line.' : '';
      tainted(t, 'command', out, (v) => `In ${describe(t)}, an argument of the command is built from $${v}, which comes from the message and is tainted: Exim will not run the command with it, so every delivery through it fails and the message bounces ("Tainted arg ... for ${t.name} transport command"). ${CLEAN_INSTEAD}${deliver}`);
    }
  }
  for (const r of cfg.routers) {
    if (r.driver?.trim() !== 'redirect') continue;
    tainted(r, 'file', out, (v) => `In ${describe(r)}, "file" is built from $${v}, which comes from the message and is tainted: Exim will not read a file named by it, so every address the router handles defers ("Tainted name '...' for file read not permitted"). ${CLEAN_INSTEAD}`);
  }
  return out;
}

function tainted(inst: DriverInstance, name: string, out: Finding[], message: (variable: string) => string): void {
  const s: OptionSetting | undefined = given(inst, name);
  const v = s?.expansion && taintSource(s.expansion);
  if (!s || !v) return;
  out.push(finding('exim/invalid-value', s.valueLoc?.file ?? s.nameLoc.file, v.range, message(v.name), RUN_TIME));
}
