// What a `cmd=` runs. Master splits the value on white space (no quoting) and looks a
// relative program up in Cyrus's own program directory, so a bare name must be a program
// Cyrus ships.
import * as path from 'node:path';
import type { CyrusCommand, Loc } from './model';

/** Programs Cyrus 3.6 and later ship (services, daemons and maintenance tools). */
export const CYRUS_PROGRAMS: ReadonlySet<string> = new Set([
  // services and daemons
  'imapd', 'pop3d', 'lmtpd', 'nntpd', 'httpd', 'timsieved', 'sieved', 'mupdate', 'fud', 'notifyd', 'idled',
  'smmapd', 'ptloader', 'calalarmd', 'promstatsd', 'backupd', 'backupcyrusd', 'sync_server', 'sync_client', 'master',
  // maintenance tools
  'arbitron', 'arbitronsort', 'chk_cyrus', 'ctl_backups', 'ctl_conversationsdb', 'ctl_cyrusdb', 'ctl_deliver',
  'ctl_mboxlist', 'ctl_zoneinfo', 'cvt_cyrusdb', 'cvt_xlist_specialuse', 'cyr_backup', 'cyr_buildinfo', 'cyr_dbtool',
  'cyr_deny', 'cyr_df', 'cyr_expire', 'cyr_info', 'cyr_ls', 'cyr_pwd', 'cyr_synclog', 'cyr_userseen', 'cyr_virusscan',
  'cyr_withlock_run', 'cyr_guesstz', 'cyrdump', 'dav_reconstruct', 'deliver', 'fetchnews', 'ipurge', 'mbexamine',
  'mbpath', 'mbtool', 'ptdump', 'ptexpire', 'quota', 'reconstruct', 'relocate_by_id', 'remotepurge', 'restore',
  'squatter', 'sync_reset', 'tls_prune', 'unexpunge', 'upgrade-db', 'makedirs',
]);

/** Names of Cyrus 2.x programs whose work Cyrus 3 does in the ordinary ones. */
export const RETIRED_PROGRAMS: Record<string, string> = {
  proxyd: 'imapd', pop3proxyd: 'pop3d', lmtpproxyd: 'lmtpd',
};

/** Debian's `/usr/sbin/cyrus TOOL` wrapper: TOOL, else cyr_TOOL, else ctl_TOOL, `check` = chk_cyrus. */
const WRAPPERS = new Set(['/usr/sbin/cyrus']);

function resolveWrapped(tool: string): string {
  if (CYRUS_PROGRAMS.has(tool)) return tool;
  if (CYRUS_PROGRAMS.has('cyr_' + tool)) return 'cyr_' + tool;
  if (CYRUS_PROGRAMS.has('ctl_' + tool)) return 'ctl_' + tool;
  if (tool === 'check') return 'chk_cyrus';
  return tool;
}

/** Options that take an argument: master's service wrapper's, then each program's own. */
const ARG_OPTS: Record<string, string> = { '': 'CUT', imapd: 'CUTp', pop3d: 'CUTp' };

export function parseCommand(value: string, loc: Loc): CyrusCommand {
  const argv = value.split(/[ \t\n\v\f\r]+/).filter(Boolean);
  const program = argv[0] ?? '';
  let tool = path.posix.basename(program);
  let wrapper: string | undefined;
  let rest = argv.slice(1);
  if (WRAPPERS.has(program) && argv[1]) {
    wrapper = program;
    tool = resolveWrapped(argv[1]);
    rest = argv.slice(2);
  }
  const withArg = ARG_OPTS[tool] ?? ARG_OPTS[''];
  let configFile: string | undefined, preauth = false, tls = false;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (w === '--') break;
    if (!w.startsWith('-') || w === '-') continue;
    for (let j = 1; j < w.length; j++) {
      const c = w[j];
      if (withArg.includes(c)) {
        const arg = j + 1 < w.length ? w.slice(j + 1) : rest[++i];
        if (c === 'C') configFile = arg;
        break;
      }
      if (c === 'a' && tool === 'lmtpd') preauth = true;
      if (c === 's' && tool !== 'lmtpd') tls = true;
    }
  }
  // A cmd value sits on one line, so word offsets are character offsets from its start.
  const words = [...value.matchAll(/[^ \t\n\v\f\r]+/g)];
  const w = words[wrapper ? 1 : 0];
  const s = loc.range.start;
  const toolLoc: Loc = w
    ? { file: loc.file, range: { start: { line: s.line, character: s.character + w.index! }, end: { line: s.line, character: s.character + w.index! + w[0].length } } }
    : loc;
  return { program, tool, wrapper, argv, configFile, preauth, tls, loc, toolLoc };
}
