import * as path from 'node:path';
import { append } from '../append';
import type { Finding } from '../diagnostic';
import type { CheckOptions } from '../options';
import { defaultOptions } from '../options';
import type { FileKind, Input, Models } from '../project';
import { checkFiles, checkMachine, checkPairing, eximRootOf, eximSourceOf, loadInput } from '../project';
import type { SourceHost } from '../host';
import { sortFindings } from '../diagnostic';
import type { EximConfig } from '../exim';
import type { CyrusConf, ImapdConf } from '../cyrus';
import { checkImapdConf } from '../cyrus';
import { CachedHost } from './cached-host';
import { RecordingHost, type Reads, sameReads } from './recording-host';
import type { Pairing, PairingSettings } from './pairing';
import { confDirOf, findPartner, kindByName, kindOf } from './pairing';

export interface FolderSettings extends PairingSettings { options: CheckOptions }

/** One check of a pairing, with the models kept for the editor features. */
export interface Analysis {
  key: string;
  pairing: Pairing;
  options: CheckOptions;
  exim?: EximConfig;
  cyrus?: CyrusConf;
  imapd?: ImapdConf;
  findings: Finding[];
  /** Findings by absolute file path; every file the analysis covers has an entry, maybe empty. */
  byFile: Map<string, Finding[]>;
  /** A rule or parser that threw: the rest of the results still stand. */
  errors: string[];
  /** Milliseconds spent loading and checking (parse + rules), apart from the bookkeeping around it. */
  checkMs: number;
  /** What loading and checking read (or looked for and did not find): a change there changes the result. */
  watched: WatchedPaths;
  /** What it looked up about this machine (owners and modes of paths): polled, not watched. */
  machine: Reads;
}

/** Files (present or not) whose change on disk changes an analysis, and directories whose listing does. */
export interface WatchedPaths { files: string[]; dirs: string[] }

/**
 * What the editor is looking at: open documents over the disk, the settings of each
 * workspace folder, and the last analysis of each pairing. Editor-agnostic; the language
 * server drives it and turns its plain data into protocol messages.
 */
export class ConfigWorkspace {
  readonly host = new CachedHost();
  private folders: string[] = [];
  private readonly settings = new Map<string, FolderSettings>();
  private readonly declaredKinds = new Map<string, FileKind>();
  private readonly cache = new Map<string, Analysis>();
  /**
   * Pairings found by name, kept until files appear, vanish or settings change: finding
   * one can mean listing directories, which a keystroke should not pay for.
   */
  private readonly pairings = new Map<string, Pairing>();
  /** The last load and check of each cyrus.conf/imapd.conf, reused while what it read is unchanged. */
  private readonly cyrusParts = new Map<string, CyrusPart>();

  setFolders(folders: string[]): void {
    this.folders = folders.map((f) => path.resolve(f)).sort((a, b) => b.length - a.length);
    this.cache.clear();
    this.cyrusParts.clear();
    this.pairings.clear();
  }

  /** Settings of a folder ('' for files outside any folder). */
  setSettings(folder: string, s: Partial<FolderSettings>): void {
    const key = folder ? path.resolve(folder) : '';
    const prev = this.settings.get(key) ?? { options: defaultOptions };
    this.settings.set(key, { ...prev, ...s, options: { ...prev.options, ...(s.options ?? {}) } });
    this.cache.clear();
    this.pairings.clear();
  }

  settingsFor(file: string): FolderSettings {
    const folder = this.folderOf(file);
    return this.settings.get(folder ?? '') ?? this.settings.get('') ?? { options: defaultOptions };
  }

  folderOf(file: string): string | undefined {
    const abs = path.resolve(file);
    return this.folders.find((f) => abs === f || abs.startsWith(f.endsWith(path.sep) ? f : f + path.sep));
  }

  open(file: string, text: string, kind?: FileKind): void {
    const abs = path.resolve(file);
    if (kind) this.declaredKinds.set(abs, kind);
    this.pairings.clear();
    this.update(abs, text);
  }

  update(file: string, text: string): void {
    this.host.setDocument(file, text);
    this.invalidate(file);
  }

  close(file: string): void {
    const abs = path.resolve(file);
    this.host.deleteDocument(abs);
    this.declaredKinds.delete(abs);
    this.pairings.clear();
    this.invalidate(abs);
  }

  /** A file changed, appeared or vanished on disk (not through the editor). */
  changedOnDisk(file: string): void {
    this.host.forget(file);
    // A new or deleted file can change a conf.d listing, an include's target or a pairing.
    this.cache.clear();
    this.pairings.clear();
  }

  isOpen(file: string): boolean { return this.host.hasDocument(file); }
  openFiles(): string[] { return this.host.documents(); }

  /**
   * A file's kind: as the editor declared it, else by name; a file an Exim config reads
   * (an include, whatever its name) is Exim; else by content.
   */
  kindOf(file: string): FileKind | undefined {
    const abs = path.resolve(file);
    return this.declaredKinds.get(abs) ?? kindByName(abs) ?? (this.readByExim(abs) ? 'exim' : undefined) ?? kindOf(abs, this.host);
  }

  private readByExim(abs: string): boolean {
    for (const a of this.cache.values()) if (a.exim?.files.has(abs)) return true;
    return false;
  }

  /** Which pairing a file belongs to. */
  pairingFor(file: string): Pairing {
    const abs = path.resolve(file);
    const hit = this.pairings.get(abs);
    if (hit) return hit;
    const p = this.findPairing(abs);
    this.pairings.set(abs, p);
    return p;
  }

  private findPairing(abs: string): Pairing {
    const folder = this.folderOf(abs);
    const s = this.settingsFor(abs);
    const kind = this.kindOf(abs);
    const explicitExim = s.eximConfig ? path.resolve(folder ?? path.dirname(abs), s.eximConfig) : undefined;
    let exim: string | undefined;
    if (kind === 'exim') exim = this.eximRootOf(abs, folder, explicitExim);
    else exim = explicitExim ?? findPartner(abs, 'exim', folder, undefined, this.host);
    const cyrus = kind === 'cyrus-conf' && !s.cyrusConfig ? abs : findPartner(exim ?? abs, 'cyrus-conf', folder, s.cyrusConfig, this.host);
    const imapd = kind === 'imapd-conf' && !s.imapdConfig ? abs : findPartner(exim ?? abs, 'imapd-conf', folder, s.imapdConfig, this.host);
    return { exim, cyrus, imapd, folder };
  }

  private eximRootOf(abs: string, folder: string | undefined, explicit: string | undefined): string {
    if (explicit && (explicit === abs || this.modelHolds(explicit, abs))) return explicit;
    const confd = confDirOf(abs);
    if (confd) return confd;
    for (const a of this.cache.values()) {
      if (a.pairing.exim && a.pairing.exim !== abs && a.exim?.files.has(abs)) return a.pairing.exim;
    }
    // An include file opened before the file that includes it: try the nearest main config.
    const main = findPartner(abs, 'exim', folder, undefined, this.host);
    if (main && main !== abs && this.modelHolds(main, abs)) return main;
    return abs;
  }

  private modelHolds(root: string, file: string): boolean {
    try {
      const m = this.analyse({ exim: root, folder: this.folderOf(root) }).exim;
      return !!m?.files.has(file);
    } catch { return false; }
  }

  /** The analysis of the pairing a file belongs to (cached until one of its files changes). */
  analyseFile(file: string): Analysis {
    const abs = path.resolve(file);
    const pairing = this.pairingFor(abs);
    const a = this.analyse(pairing);
    if (!a.byFile.has(abs)) a.byFile.set(abs, []);
    return a;
  }

  /** Everything the cached analyses read from disk: what an editor should watch for changes. */
  watchedPaths(): WatchedPaths {
    const files = new Set<string>(), dirs = new Set<string>();
    for (const a of this.cache.values()) {
      for (const f of a.watched.files) files.add(f);
      for (const d of a.watched.dirs) dirs.add(d);
    }
    return { files: [...files].sort(), dirs: [...dirs].sort() };
  }

  /**
   * Whether the machine changed under a cached analysis since it was made (a path's owner,
   * group or mode: chmod and chown fire no file watcher); those analyses are dropped, so the
   * next check sees the machine as it is now.
   */
  machineChanged(): boolean {
    let changed = false;
    for (const [k, a] of this.cache) {
      if (a.machine.length && !sameReads(a.machine, this.host)) { this.cache.delete(k); changed = true; }
    }
    return changed;
  }

  /** Every cached analysis that covers the file; what must be re-published after it changes. */
  analysesCovering(file: string): Analysis[] {
    const abs = path.resolve(file);
    return [...this.cache.values()].filter((a) => a.byFile.has(abs));
  }

  analyse(pairing: Pairing): Analysis {
    const options = this.settingsFor(pairing.exim ?? pairing.cyrus ?? pairing.imapd ?? '').options;
    const key = JSON.stringify([pairing.exim, pairing.cyrus, pairing.imapd, options]);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const a = runAnalysis(key, pairing, options, this.host, this.cyrusParts);
    this.cache.set(key, a);
    return a;
  }

  private invalidate(file: string): void {
    const abs = path.resolve(file);
    const dir = path.dirname(abs);
    for (const [k, a] of this.cache) {
      const m = a.exim;
      const covers = a.byFile.has(abs) || !m || m.files.has(abs)
        || [a.pairing.exim, a.pairing.cyrus, a.pairing.imapd].some((p) => p === abs || p === dir || (p && confDirOf(abs) === p));
      if (covers) this.cache.delete(k);
    }
  }
}

/** A Cyrus file loaded and checked on its own, with everything it read to get there. */
interface CyrusPart {
  reads: Reads;
  models: Models;
  unreadable?: Finding;
  findings: Finding[];
  errors: string[];
  /** imapd.conf is checked against its cyrus.conf: the part it was checked with. */
  partner?: CyrusPart;
}

type Guard = <T>(what: string, f: () => T) => T | undefined;

function guarded(errors: string[]): Guard {
  return <T>(what: string, f: () => T): T | undefined => {
    try { return f(); } catch (e) { errors.push(`${what}: ${(e as Error)?.stack ?? e}`); return undefined; }
  };
}

/**
 * Loads and checks a cyrus.conf or imapd.conf, or reuses the last result when every file it
 * read (itself, /etc/services, @include files) reads the same: an edit of the Exim config
 * need not parse its partners again.
 */
function cyrusPart(input: Input, options: CheckOptions, host: CachedHost, parts: Map<string, CyrusPart>, partner?: CyrusPart): CyrusPart {
  const key = JSON.stringify([input.kind, path.resolve(input.path), options]);
  const prev = parts.get(key);
  if (prev && prev.partner === partner && sameReads(prev.reads, host)) return prev;
  const errors: string[] = [];
  const guard = guarded(errors);
  const recording = new RecordingHost(host);
  const models: Models = {};
  const unreadable = loadInput(input, models, options, recording, guard);
  const findings = input.kind === 'cyrus-conf'
    ? checkFiles({ cyrus: models.cyrus }, options, guard)
    : models.imapd ? [...guard('checking imapd.conf', () => checkImapdConf(models.imapd!, options, partner?.models.cyrus)) ?? [], ...checkMachine({ imapd: models.imapd }, recording, guard)] : [];
  const part: CyrusPart = { reads: recording.reads, models, unreadable, findings, errors, partner };
  parts.set(key, part);
  return part;
}

function watchedOf(all: Reads[]): WatchedPaths {
  const files = new Set<string>(), dirs = new Set<string>();
  for (const reads of all) for (const r of reads) {
    if ('file' in r) files.add(path.resolve(r.file));
    else if ('dir' in r) dirs.add(path.resolve(r.dir));
    // A path's owner, group and mode: polled (machineChanged), not watched.
    else if ('isDir' in r) (r.result ? dirs : files).add(path.resolve(r.isDir));
  }
  return { files: [...files], dirs: [...dirs] };
}

/**
 * What to load for an Exim root: Debian's exim4.conf.template is read after
 * exim4.conf.localmacros, so when the template is what its /etc/exim4-like directory runs,
 * the directory is loaded, as the CLI loads it (eximSourceOf gives the prelude).
 */
function eximInputOf(root: string, host: SourceHost): string {
  // Only the template has a prelude: other roots need no look at their directory (which
  // would then be watched as a whole).
  if (path.basename(root) !== 'exim4.conf.template') return root;
  const dir = path.dirname(root);
  const source = eximSourceOf(dir, host);
  return source.prelude.length && path.resolve(source.root) === path.resolve(root) ? dir : root;
}

function runAnalysis(key: string, pairing: Pairing, options: CheckOptions, host: CachedHost, parts: Map<string, CyrusPart>): Analysis {
  const errors: string[] = [];
  const guard = guarded(errors);
  const t0 = performance.now();
  // The order analyseSetup (project.ts) gives: unreadable inputs, each file's own findings
  // (Exim, cyrus.conf, imapd.conf), then the pairing's; sorting keeps that order for ties.
  const models: Models = {};
  const unreadable: Finding[] = [];
  const recording = new RecordingHost(host);
  if (pairing.exim) {
    const u = loadInput({ path: eximInputOf(pairing.exim, recording), kind: 'exim' }, models, options, recording, guard);
    if (u) unreadable.push(u);
  }
  const cyrus = pairing.cyrus ? cyrusPart({ path: pairing.cyrus, kind: 'cyrus-conf' }, options, host, parts) : undefined;
  const imapd = pairing.imapd ? cyrusPart({ path: pairing.imapd, kind: 'imapd-conf' }, options, host, parts, cyrus) : undefined;
  for (const p of [cyrus, imapd]) if (p) {
    Object.assign(models, p.models);
    if (p.unreadable) unreadable.push(p.unreadable);
    append(errors, p.errors);
  }
  const out = [
    ...unreadable,
    ...checkFiles({ exim: models.exim }, options, guard),
    ...checkMachine({ exim: models.exim }, recording, guard),
    ...cyrus?.findings ?? [],
    ...imapd?.findings ?? [],
    ...checkPairing(models, options, recording, guard),
  ];
  sortFindings(out);
  const reads = [recording.reads, cyrus?.reads ?? [], imapd?.reads ?? []];
  const watched = watchedOf(reads);
  const machine = reads.flat().filter((r) => 'stat' in r);
  const a: Analysis = { key, pairing, options, ...models, findings: out, byFile: new Map(), errors, checkMs: performance.now() - t0, watched, machine };
  const eximRoot = pairing.exim && eximRootOf(pairing.exim, host);
  const files = new Set<string>();
  const m = a.exim;
  if (m) for (const f of m.files.keys()) files.add(path.resolve(f));
  else if (eximRoot && !host.isDirectory(eximRoot)) files.add(path.resolve(eximRoot));
  if (pairing.cyrus) files.add(path.resolve(pairing.cyrus));
  if (pairing.imapd) files.add(path.resolve(pairing.imapd));
  for (const f of files) a.byFile.set(f, []);
  // Thousands of findings name a handful of files: resolve each name once.
  const resolved = new Map<string, string>();
  for (const f of out) {
    let p = resolved.get(f.file);
    if (p === undefined) resolved.set(f.file, p = path.resolve(f.file));
    const list = a.byFile.get(p);
    if (list) list.push(f); else a.byFile.set(p, [f]);
  }
  return a;
}
