// What a `cmd=` runs. Master splits the value on white space (no quoting) and looks a
// relative program up in Cyrus's own program directory, so a bare name must be a program
// Cyrus ships.
import * as path from 'node:path';
import { isSpace } from './chars';
import { lineLoc } from './entry';
import type { ValuePlace } from './endpoint';
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
const ARG_OPTS = new Map<string, string>([['', 'CUT'], ['imapd', 'CUTp'], ['pop3d', 'CUTp']]);

/** Options master's service wrapper (master/service.c) takes itself; the rest go to the program. */
const WRAPPER_OPTS = 'CUTDX';
/** Every option a service program's own getopt takes, where we know it; any other makes it exit. */
const PROGRAM_OPTS = new Map<string, string>([['lmtpd', 'a']]);


const spaceEnd = (s: string, p: number) => { while (p < s.length && isSpace(s.charCodeAt(p))) p++; return p; };
const wordEnd = (s: string, p: number) => { while (p < s.length && !isSpace(s.charCodeAt(p))) p++; return p; };

/** A value split as master splits it: on white space, no quoting. */
function words(value: string): string[] {
  const out: string[] = [];
  for (let p = spaceEnd(value, 0); p < value.length; p = spaceEnd(value, p)) {
    const e = wordEnd(value, p);
    out.push(value.slice(p, e));
    p = e;
  }
  return out;
}

/** Where word `n` (from 0) of a value split on white space starts, or -1. */
function wordStart(value: string, n: number): number {
  for (let p = spaceEnd(value, 0), w = 0; p < value.length; p = spaceEnd(value, wordEnd(value, p)), w++) if (w === n) return p;
  return -1;
}

type FlagProblems = CyrusCommand['flagProblems'];
/** Commands without flag problems share this one (frozen: nothing may add to it). */
const NO_PROBLEMS = Object.freeze([]) as unknown as FlagProblems;
const withProblem = (list: FlagProblems, p: FlagProblems[number]): FlagProblems => {
  if (list === NO_PROBLEMS) return [p];
  list.push(p);
  return list;
};

// The reader's form of a command: like entries (entry.ts) it places its Locs when read.
// Fields are declared and all set in the constructor, so every instance has one shape.
class Command implements CyrusCommand {
  declare program: string;
  declare tool: string;
  declare wrapper: string | undefined;
  declare configFile: string | undefined;
  declare configUnreadable: boolean | undefined;
  declare preauth: boolean;
  declare tls: boolean;
  declare flagProblems: FlagProblems;
  /** The value as written, to find a word's place when its Loc is read. */
  declare private readonly value: string;
  /** The word that holds -C's FILE (-1 for none). */
  declare private readonly configWord: number;
  /** Where the value is (the reader's argument, which places it when read). */
  readonly #at: ValuePlace;

  /** A cmd value sits on one line, so word offsets are character offsets from the value's start. */
  constructor(value: string, at: ValuePlace) {
    this.#at = at; this.value = value;
    // Words are read in place (offsets into value); only the ones kept are sliced out.
    const n = value.length;
    const ps = spaceEnd(value, 0);
    /** Where reading goes on: the end of the last word read. */
    let p = wordEnd(value, ps);
    const program = value.slice(ps, p);
    let slash = -1;
    for (let i = ps; i < p; i++) if (value.charCodeAt(i) === 47 /* / */) slash = i;
    // A bare name is its own basename (most cmd values are bare names).
    let tool = slash < 0 ? program : path.posix.basename(program);
    let wrapper: string | undefined;
    let word = 1;
    if (slash >= 0 && WRAPPERS.has(program) && spaceEnd(value, p) < n) {
      const ws = spaceEnd(value, p);
      p = wordEnd(value, ws);
      wrapper = program;
      tool = resolveWrapped(value.slice(ws, p));
      word = 2;
    }
    // Maps, not objects: a word read from the file is hashed once, not internalised per lookup.
    const withArg = ARG_OPTS.get(tool) ?? ARG_OPTS.get('')!;
    const own = PROGRAM_OPTS.get(tool);
    let configFile: string | undefined, configWord = -1, preauth = false, tls = false;
    let flagProblems = NO_PROBLEMS;
    for (; spaceEnd(value, p) < n; word++) {
      const ws = spaceEnd(value, p), we = wordEnd(value, ws), at = word;
      p = we;
      if (value.charCodeAt(ws) !== 45 /* - */ || we - ws === 1) continue;
      if (we - ws === 2 && value.charCodeAt(ws + 1) === 45) break; // --
      // The wrapper's getopt loop exits on any option word longer than "-x" ("options and
      // arguments MUST be separated by whitespace"), grouped flags included.
      if (we - ws > 2) flagProblems = withProblem(flagProblems, { kind: 'grouped', word: value.slice(ws, we), loc: this.wordLoc(at) });
      for (let j = ws + 1; j < we; j++) {
        const c = value[j];
        if (withArg.includes(c)) {
          let arg: string | undefined;
          if (j + 1 < we) arg = value.slice(j + 1, we);
          else if (spaceEnd(value, p) < n) {
            const as = spaceEnd(value, p);
            p = wordEnd(value, as);
            word++;
            arg = value.slice(as, p);
          }
          if (c === 'C' && arg !== undefined) { configFile = arg; configWord = j + 1 < we ? at : word; }
          break;
        }
        if (own !== undefined && !own.includes(c) && !WRAPPER_OPTS.includes(c)) flagProblems = withProblem(flagProblems, { kind: 'unknown-flag', word: `-${c}`, loc: this.wordLoc(at) });
        if (c === 'a' && tool === 'lmtpd') preauth = true;
        if (c === 's' && tool !== 'lmtpd') tls = true;
      }
    }
    this.program = program; this.tool = tool; this.wrapper = wrapper;
    this.configFile = configFile; this.configUnreadable = undefined; this.preauth = preauth; this.tls = tls;
    this.flagProblems = flagProblems; this.configWord = configWord;
  }

  get loc(): Loc { return this.#at.valueLoc; }
  /** Every word, argv[0] included (split again on each read: rarely read). */
  get argv(): string[] { return words(this.value); }
  get toolLoc(): Loc { return this.wordLoc(this.wrapper ? 1 : 0); }
  get configLoc(): Loc | undefined { return this.configWord < 0 ? undefined : this.wordLoc(this.configWord); }

  /** Word `n` (the loc of the whole value when there is none). */
  private wordLoc(n: number): Loc {
    const ws = wordStart(this.value, n), loc = this.loc;
    if (ws < 0) return loc;
    const { line, character } = loc.range.start;
    return lineLoc(loc.file, line, character + ws, character + wordEnd(this.value, ws));
  }
}

export function parseCommand(value: string, loc: Loc): CyrusCommand {
  return new Command(value, { valueLoc: loc });
}

/** parseCommand for the reader: `at` places the value when a Loc is read. */
export function commandAt(value: string, at: ValuePlace): CyrusCommand {
  return new Command(value, at);
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
