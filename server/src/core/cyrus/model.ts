// The Cyrus model: what the cyrus.conf and imapd.conf parsers produce and what rules, link
// checks and editor features read. Every name and value carries the place the user wrote it.
import type { Finding } from '../diagnostic';
import type { LineIndex, Range } from '../text';

export interface Loc { file: string; range: Range }

// ---------------------------------------------------------------- cyrus.conf

export type CyrusSectionName = 'START' | 'SERVICES' | 'EVENTS' | 'DAEMON';

/** `key=value` or `key="value"` on an entry line. */
export interface CyrusArg {
  name: string;
  /** Without the quotes. */
  value: string;
  quoted: boolean;
  nameLoc: Loc;
  /** The value without its quotes (an empty range just after `=` for `key=`). */
  valueLoc: Loc;
  /** From the name to the closing quote or the end of the word. */
  loc: Loc;
}

/**
 * A TCP or UDP address as master binds it, or a UNIX socket. `host` is absent for
 * "all addresses" (a bare port, `*` or an empty host); IPv6 hosts are given without brackets.
 */
export type Endpoint =
  | { kind: 'tcp'; host?: string; port: number; portName?: string; loc: Loc }
  | { kind: 'unix'; path: string; loc: Loc };

/**
 * `cmd` split as master splits it (on whitespace, no quoting). Debian runs maintenance
 * tools through its `/usr/sbin/cyrus TOOL` wrapper; `tool` sees through that.
 */
export interface CyrusCommand {
  /** argv[0] as written. */
  program: string;
  /** The Cyrus program that really runs: basename, wrapper resolved (`cyrus expire` → `cyr_expire`). */
  tool: string;
  /** The wrapper when one is used (`/usr/sbin/cyrus`). */
  wrapper?: string;
  /** Every word, argv[0] included. */
  argv: string[];
  /** `-C FILE`: the imapd.conf this program reads (master does not pass its own down). */
  configFile?: string;
  /** Where FILE is written. */
  configLoc?: Loc;
  /**
   * Set by loadCyrusConf when FILE (absolute) cannot be read through the host: the program
   * would exit at start if it is missing on the mail server too.
   */
  configUnreadable?: boolean;
  /** lmtpd `-a`: clients are treated as authenticated, so no AUTH is demanded over TCP. */
  preauth: boolean;
  /** `-s`: TLS from the first byte (imaps, pop3s, …). lmtpd has no such flag. */
  tls: boolean;
  /**
   * Flags that make a service exit whenever master starts it: one its program does not take
   * (lmtpd takes only -a besides master's -C -U -T -D -X), or a word of grouped flags or of
   * an option glued to its argument (`-aU30`, `-C/etc/x.conf`), which master's service
   * wrapper refuses. `word` is the flag (`-s`) or the whole word.
   */
  flagProblems: { kind: 'unknown-flag' | 'grouped'; word: string; loc: Loc }[];
  /** Where the `cmd` value is, for quick fixes that add flags. */
  loc: Loc;
  /** The word that names the tool (argv[0], or the wrapper's argument). */
  toolLoc: Loc;
}

/** One `name arg=value …` line of a section. */
export interface CyrusEntry {
  section: CyrusSectionName | string;
  name: string;
  nameLoc: Loc;
  /** In written order. Master uses the FIRST of two arguments of one name. */
  args: CyrusArg[];
  /** By name; the first occurrence, as master reads it. */
  argMap: Map<string, CyrusArg>;
  /** Derived from `cmd` when present. */
  cmd?: CyrusCommand;
  /** Derived from `listen` (SERVICES) when it can be understood. */
  listen?: Endpoint;
  /** Why `listen` cannot be understood or will not work (reported as cyrus/invalid-value). */
  listenProblem?: { message: string; warning: boolean };
  /** `proto`, defaulting to `tcp` as master does. */
  proto: string;
  /** The whole line. */
  loc: Loc;
  /** A syntax error cut the argument list short (master would not start at all). */
  truncated?: boolean;
}

export interface CyrusSection {
  /** As written. */
  name: string;
  /**
   * The section master reads this block as, or undefined when it skips it: master matches
   * the first letter exactly and the rest in any case, so `Services` is SERVICES but
   * `services` is nothing.
   */
  kind?: CyrusSectionName;
  headerLoc: Loc;
  /** From the header to the closing brace (or the end of the file when it is missing). */
  blockLoc: Loc;
  entries: CyrusEntry[];
}

export interface CyrusConf {
  file: string;
  text: string;
  lines: LineIndex;
  sections: CyrusSection[];
  /** Entries of all known sections, in file order. */
  entries: CyrusEntry[];
  /** Problems found while reading (cyrus/syntax, and values that cannot be understood). */
  parseFindings: Finding[];
}

/** An lmtpd service as the link checks see it. */
export interface LmtpListener {
  entry: CyrusEntry;
  endpoint: Endpoint;
  /** TCP without `-a`: lmtpd demands AUTH before it accepts mail. */
  authRequired: boolean;
  /** The `cmd` value's place, for a fix that adds `-a`. */
  cmdLoc: Loc;
}

// ---------------------------------------------------------------- imapd.conf

/** What kind of name an imapd.conf line sets. */
export type ImapdKeyKind =
  /** An option of the catalog (possibly with a service or channel prefix). */
  | 'option'
  /** partition-, metapartition-, archivepartition-, backuppartition-, …searchpartition-. */
  | 'partition'
  /** sasl_…: passed to the SASL library. */
  | 'sasl'
  /** xlist-FLAG and other names Cyrus looks up by pattern. */
  | 'pattern'
  /** `@include: FILE`. */
  | 'include'
  /** Not recognised (Cyrus keeps it silently; we report it). */
  | 'unknown';

/** One `name: value` setting (one logical line: backslash continuations joined). */
export interface ImapdSetting {
  /** The name as written. */
  rawName: string;
  /** Lower-cased, as libconfig stores it. */
  key: string;
  /** The catalog option name after any prefix (`lmtp_admins` → `admins`). */
  option: string;
  /** A service (cyrus.conf entry) or sync channel prefix, when there is one. */
  prefix?: string;
  kind: ImapdKeyKind;
  /** Leading and trailing white space removed, as libconfig does. */
  value: string;
  nameLoc: Loc;
  valueLoc: Loc;
  loc: Loc;
  /** The file the setting came from (differs from the root for `@include`). */
  file: string;
}

export interface ImapdFile { path: string; text: string; lines: LineIndex }

export interface ImapdConf {
  file: string;
  text: string;
  lines: LineIndex;
  /** Every file read: the root first, then `@include`d files in the order met. */
  files: ImapdFile[];
  /** In the order libconfig reads them (includes expanded in place). */
  settings: ImapdSetting[];
  /** Problems found while reading (imapd/syntax, unreadable includes). */
  parseFindings: Finding[];
}

/** A fact the link checks need: the effective value and the setting it came from (none = default). */
export interface Fact<T> { value: T; setting?: ImapdSetting }

export interface ImapdFacts {
  virtdomains: Fact<'off' | 'userid' | 'on'>;
  defaultdomain: Fact<string | undefined>;
  unixhierarchysep: Fact<boolean>;
  lmtpDowncaseRcpt: Fact<boolean>;
  /** `{configdirectory}` substituted; the catalog default when unset. */
  lmtpsocket: Fact<string>;
  configdirectory: Fact<string | undefined>;
  servername: Fact<string | undefined>;
  /** Split on white space. */
  admins: Fact<string[]>;
}
