// The imapd.conf a Cyrus program really reads, and the service name it reads it under
// (`<service>_<option>` wins over `<option>` for it): lmtpd reads the file its cmd names
// with -C, else Cyrus's default; under master its service name is its cyrus.conf entry's.
// Exim's `deliver` reads its own -C (or the default) as the service "deliver".
import * as path from 'node:path';
import type { ImapdConf, LmtpListener, Loc } from '../../cyrus/model';
import { parseImapdConf } from '../../cyrus/imapd-parser';
import type { LinkContext } from './context';

/** Where Cyrus reads its settings without -C (upstream's and Debian's builds). */
export const DEFAULT_IMAPD_CONF = '/etc/imapd.conf';

export interface ProgramConfig {
  /** The settings the program reads; undefined when they cannot be known here. */
  imapd?: ImapdConf;
  service?: string;
  /** A -C FILE that cannot be read here: checks that need its settings are skipped. */
  unreadable?: { path: string; loc: Loc };
}

/** Whether a program with `-C configFile` (or none) reads the imapd.conf at `file`, which stands for Cyrus's default. */
export function readsImapdConf(configFile: string | undefined, file: string | undefined): boolean {
  return !configFile || configFile === DEFAULT_IMAPD_CONF || (!!file && path.resolve(file) === path.resolve(configFile));
}

/**
 * The paired imapd.conf stands for Cyrus's default file: a program without -C, or with
 * -C naming the default or the paired file, reads it. Another file is read through the
 * host (an editor's buffer wins), once per check.
 */
export function programConfig(ctx: LinkContext, configFile: string | undefined, configLoc: Loc | undefined, service: string | undefined): ProgramConfig {
  if (!configFile || readsImapdConf(configFile, ctx.imapd?.file)) {
    return { imapd: ctx.imapd, service };
  }
  const unreadable = configLoc ? { path: configFile, loc: configLoc } : undefined;
  // A relative path is opened from the program's working directory, which we cannot know.
  if (!configFile.startsWith('/') || configFile.includes('$') || !ctx.host) return { service, unreadable };
  let conf = ctx.otherImapd.get(configFile);
  if (conf === undefined && !ctx.otherImapd.has(configFile)) {
    conf = ctx.host.readFile(configFile) === undefined ? undefined : parseImapdConf(configFile, ctx.host);
    ctx.otherImapd.set(configFile, conf);
  }
  return conf ? { imapd: conf, service } : { service, unreadable };
}

export function listenerConfig(ctx: LinkContext, l: LmtpListener): ProgramConfig {
  const c = l.entry.cmd;
  return programConfig(ctx, c?.configFile, c?.configLoc ?? l.cmdLoc, l.entry.name);
}

/** Options of deliver that take an argument (imap/deliver.c's getopt string). */
const DELIVER_ARG_OPTS = 'CfrmaFE';

/** What a `deliver` command line asks of it, as Exim runs it (no shell: split on white space) and deliver's getopt reads it. */
export interface DeliverArgs {
  /** -C FILE. */
  configFile?: string;
  /** -l: speak LMTP on stdin and stdout and pass it on to lmtpd. */
  lmtp: boolean;
  /** -m MAILBOX. */
  mailbox: boolean;
  /** Words that are no option (recipients), before and after `--`. */
  recipients: number;
}

/**
 * The Cyrus program a command runs and its arguments, as Exim splits it (no shell: on white
 * space): directly, or through Debian's /usr/sbin/cyrus wrapper ("cyrus deliver -l", which
 * execs /usr/lib/cyrus/bin/deliver with the rest). `program` is the text naming it.
 */
export function cyrusProgram(command: string): { program: string; name: string; args: string[] } {
  const words = command.trim().split(/\s+/);
  if (path.basename(words[0] ?? '') === 'cyrus' && words.length > 1) return { program: `${words[0]} ${words[1]}`, name: words[1], args: words.slice(2) };
  return { program: words[0] ?? '', name: path.basename(words[0] ?? ''), args: words.slice(1) };
}

/**
 * Directories of other mail systems: Dovecot's local delivery agent is named deliver too
 * (/usr/lib/dovecot/deliver, /usr/libexec/dovecot/deliver), and takes the mail its own way.
 */
const OTHER_MAIL_SYSTEM = /(^|\/)[^/]*(dovecot|courier|qmail|postfix|sendmail)[^/]*\//i;

/** Whether the command runs Cyrus's deliver (some distributions rename it cyrdeliver). */
export function runsDeliver(command: string): boolean {
  const { program, name } = cyrusProgram(command);
  if (name === 'cyrdeliver') return true;
  return name === 'deliver' && !OTHER_MAIL_SYSTEM.test(program);
}

export function deliverArgs(command: string): DeliverArgs {
  const words = cyrusProgram(command).args;
  const out: DeliverArgs = { lmtp: false, mailbox: false, recipients: 0 };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--') { out.recipients += words.length - i - 1; break; }
    // GNU getopt moves options before the other words, wherever they stand.
    if (!w.startsWith('-') || w === '-') { if (w) out.recipients++; continue; }
    for (let j = 1; j < w.length; j++) {
      if (w[j] === 'l') out.lmtp = true;
      if (!DELIVER_ARG_OPTS.includes(w[j])) continue;
      const arg = j + 1 < w.length ? w.slice(j + 1) : words[++i];
      if (w[j] === 'C') out.configFile = arg;
      if (w[j] === 'm') out.mailbox = true;
      break;
    }
  }
  return out;
}
