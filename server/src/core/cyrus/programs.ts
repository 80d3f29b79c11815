// What a `cmd=` runs. Master splits the value on white space (no quoting) and looks a
// relative program up in Cyrus's own program directory, so a bare name must be a program
// Cyrus ships.
import * as path from 'node:path';
import type { CyrusCommand, CyrusEntry, Loc } from './model';

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

/** Options master's service wrapper (master/service.c) takes itself; the rest go to the program. */
const WRAPPER_OPTS = 'CUTDX';
/** Every option a service program's own getopt takes, where we know it; any other makes it exit. */
const PROGRAM_OPTS: Record<string, string> = { lmtpd: 'a' };

export function parseCommand(value: string, loc: Loc): CyrusCommand {
  // A cmd value sits on one line, so word offsets are character offsets from its start.
  const words = [...value.matchAll(/[^ \t\n\v\f\r]+/g)];
  const s = loc.range.start;
  const wordLoc = (i: number): Loc => {
    const w = words[i];
    return w ? { file: loc.file, range: { start: { line: s.line, character: s.character + w.index! }, end: { line: s.line, character: s.character + w.index! + w[0].length } } } : loc;
  };
  const argv = words.map((w) => w[0]);
  const program = argv[0] ?? '';
  let tool = path.posix.basename(program);
  let wrapper: string | undefined;
  let first = 1;
  if (WRAPPERS.has(program) && argv[1]) {
    wrapper = program;
    tool = resolveWrapped(argv[1]);
    first = 2;
  }
  const withArg = ARG_OPTS[tool] ?? ARG_OPTS[''];
  const own = PROGRAM_OPTS[tool];
  let configFile: string | undefined, configLoc: Loc | undefined, preauth = false, tls = false;
  const flagProblems: CyrusCommand['flagProblems'] = [];
  for (let i = first; i < argv.length; i++) {
    const w = argv[i];
    if (w === '--') break;
    if (!w.startsWith('-') || w === '-') continue;
    const at = i;
    // The wrapper's getopt loop exits on any option word longer than "-x" ("options and
    // arguments MUST be separated by whitespace"), grouped flags included.
    if (w.length > 2) flagProblems.push({ kind: 'grouped', word: w, loc: wordLoc(at) });
    for (let j = 1; j < w.length; j++) {
      const c = w[j];
      if (withArg.includes(c)) {
        const merged = j + 1 < w.length;
        const arg = merged ? w.slice(j + 1) : argv[++i];
        if (c === 'C' && arg !== undefined) { configFile = arg; configLoc = wordLoc(merged ? at : i); }
        break;
      }
      if (own !== undefined && !own.includes(c) && !WRAPPER_OPTS.includes(c)) flagProblems.push({ kind: 'unknown-flag', word: `-${c}`, loc: wordLoc(at) });
      if (c === 'a' && tool === 'lmtpd') preauth = true;
      if (c === 's' && tool !== 'lmtpd') tls = true;
    }
  }
  return { program, tool, wrapper, argv, configFile, configLoc, preauth, tls, flagProblems, loc, toolLoc: wordLoc(wrapper ? 1 : 0) };
}

/**
 * Why a service whose address master binds still serves no connection, or undefined: a
 * flag its program does not take, or a word of grouped flags master's service wrapper
 * refuses, makes it exit each time master starts it (cyrus/invalid-value reports it).
 */
export function exitsAtStart(e: CyrusEntry): string | undefined {
  const p = e.cmd?.flagProblems?.[0];
  return p && `its cmd has ${p.word}, which ${p.kind === 'grouped' ? "master's service wrapper refuses" : `${e.cmd!.tool} does not take`}, so it exits at every connection`;
}
