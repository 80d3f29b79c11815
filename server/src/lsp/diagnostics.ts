// Decides when to check and publishes the results. Checks run synchronously on the current
// texts, so a result always reflects the latest edit it was started after; the debounce
// only keeps a burst of keystrokes from running one check per key. It scales with what the
// file's last check cost: a config of a few hundred lines is checked in a few milliseconds,
// and waiting 150 ms after each key for it would be most of what the user waits; a 20k-line
// one takes 100 ms, and checking it at every key would leave the server no time to answer
// completion or hover between keys.
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import type { Finding } from '../core/diagnostic';
import { findingKey } from '../core/finding-key';
import type { Range } from '../core/text';
import type { ConfigWorkspace, Analysis } from '../core/features/workspace';
import type { Pairing } from '../core/features/pairing';
import { forUntitled, toDiagnostic, type DiagnosticSupport, type UriMap, isUntitledPath } from './convert';

/** The longest wait after an edit (for a file whose check is slow, or not yet measured). */
export const DEBOUNCE_MS = 150;
/** The shortest: keys typed as fast as people type still come in one check. */
export const MIN_DEBOUNCE_MS = 25;

/** How long to wait after an edit for a file whose last check (and publishing) took `costMs`. */
export function debounceFor(costMs: number | undefined): number {
  return costMs === undefined ? DEBOUNCE_MS : Math.min(DEBOUNCE_MS, Math.max(MIN_DEBOUNCE_MS, Math.round(2 * costMs)));
}

/** One run of the real Exim: its findings, and the text of each file they are in as Exim read it. */
export interface ExternalRun { findings: Finding[]; texts: Map<string, string | undefined> }

/** Set by the bench: each check is followed by a `timing {json}` log line. */
const LOG_TIMING = !!process.env.EXIM_CYRUS_TIMING;

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** By file: what its last check and publishing took (ms), which sets the debounce. */
  private readonly cost = new Map<string, number>();
  /** By file: the debounce its pending (or last) check was scheduled with, for the timing log. */
  private readonly delays = new Map<string, number>();
  /** Files each analysis published to, so a file it no longer covers gets cleared. */
  private readonly publishedBy = new Map<string, Set<string>>();
  /** The pairing behind each published analysis, to check it again when an edit drops it. */
  private readonly pairings = new Map<string, Pairing>();
  /**
   * `exim -bV` results per config root, kept until the next run for that config, with the
   * text each file had on disk when Exim read it: a result stands only while the editor
   * holds that text (lines inserted above an error move it; the result would not).
   */
  readonly external = new Map<string, ExternalRun>();
  /** With LOG_TIMING: analyses already timed, and publications not yet written (the time logged includes writing them). */
  private readonly timed = new WeakSet<Analysis>();
  private readonly sending: Promise<unknown>[] = [];
  /** By file: the URI its diagnostics were last published under. */
  private readonly spelling = new Map<string, string>();
  /** By URI: what was last published, for which document version. */
  private readonly lastSent = new Map<string, { version: number | undefined; findings: Finding[] }>();

  private externalFor(file: string): Finding[] {
    const out: Finding[] = [];
    let text: string | undefined | null = null;
    for (const run of this.external.values()) for (const f of run.findings) {
      if (path.resolve(f.file) !== file) continue;
      if (text === null) text = this.ws().host.readFile(file);
      if (text === run.texts.get(file)) out.push(f);
    }
    return out;
  }

  /**
   * After an edit: the file's `exim -bV` results go when its text is no longer the one Exim
   * read. What was last sent is sent again without them, at once, whether or not the edit
   * is checked before the next save.
   */
  documentChanged(file: string): void {
    const uri = this.uris.uriOf(file);
    const prev = this.lastSent.get(uri);
    if (!prev?.findings.some((f) => f.code === 'exim/external')) return;
    const still = new Set(this.externalFor(file));
    this.send(file, prev.findings.filter((f) => f.code !== 'exim/external' || still.has(f)));
  }

  constructor(
    private readonly connection: Connection,
    /** Getter: the workspace comes into being with the checker (lsp/core.ts). */
    private readonly ws: () => ConfigWorkspace,
    private readonly uris: UriMap,
    /** Getter: what the client shows of a diagnostic is known once it has initialized. */
    private readonly support: () => DiagnosticSupport,
    private readonly versionOf: (file: string) => number | undefined,
    private readonly log: (msg: string) => void,
    /** Called after each check (the files it read may have changed). */
    private readonly afterCheck: () => void = () => {},
  ) {}

  schedule(file: string, delay = debounceFor(this.cost.get(file))): void {
    if (LOG_TIMING) this.delays.set(file, delay);
    const prev = this.timers.get(file);
    if (prev) clearTimeout(prev);
    this.timers.set(file, setTimeout(() => {
      this.timers.delete(file);
      this.publishNow(file);
    }, delay));
  }

  cancel(file: string): void {
    const t = this.timers.get(file);
    if (t) clearTimeout(t);
    this.timers.delete(file);
  }

  /** Checks the pairing the file belongs to and publishes every file it covers. */
  publishNow(file: string): Analysis | undefined {
    const t0 = performance.now();
    let a: Analysis;
    try {
      a = this.ws().analyseFile(file);
    } catch (e) {
      this.log(`check of ${file} failed: ${(e as Error)?.stack ?? e}`);
      return undefined;
    }
    for (const err of a.errors) this.log(`internal error (results may be incomplete): ${err}`);
    // Other configs that read this file (an include shared by two) were invalidated by the
    // same edit: check them again too, so the file shows what every one of them finds.
    const others = this.staleCovering(file, a.key);
    this.publishAnalysis(a);
    for (const b of others) this.publishAnalysis(b);
    this.afterCheck();
    this.cost.set(file, performance.now() - t0);
    if (LOG_TIMING) {
      const sent = this.sending.splice(0);
      void Promise.all(sent).then(() => this.logTiming(file, a, performance.now() - t0));
    }
    return a;
  }

  /** The check's own time only the first time an analysis is published: later it came from the cache. */
  private logTiming(file: string, a: Analysis, totalMs: number): void {
    const checkMs = this.timed.has(a) ? undefined : a.checkMs;
    this.timed.add(a);
    this.log(`timing ${JSON.stringify({ file, version: this.versionOf(file), checkMs, totalMs, delayMs: this.delays.get(file) })}`);
  }

  publishAnalysis(a: Analysis): void {
    const before = this.publishedBy.get(a.key) ?? new Set<string>();
    const now = new Set<string>();
    for (const f of a.byFile.keys()) {
      // Findings for files nobody has open are still useful (an include's mistake), but an
      // untitled buffer that was closed must not be resurrected.
      if (isUntitledPath(f) && !this.ws().isOpen(f)) continue;
      now.add(f);
    }
    this.publishedBy.set(a.key, now);
    this.pairings.set(a.key, a.pairing);
    for (const f of now) this.send(f, this.findingsFor(f, a));
    for (const f of before) if (!now.has(f)) this.send(f, this.findingsFor(f));
  }

  /**
   * What a file shows: the findings of every published analysis that covers it (a file
   * two configs include gets both configs' findings, whichever was checked last), without
   * repeats, then Exim's own.
   */
  private findingsFor(file: string, a?: Analysis): Finding[] {
    const covering: Analysis[] = a ? [a] : [];
    for (const b of this.ws().analysesCovering(file)) {
      if (b !== a && b.key !== a?.key && this.publishedBy.get(b.key)?.has(file)) covering.push(b);
    }
    const external = this.externalFor(file);
    if (covering.length <= 1) return [...covering[0]?.byFile.get(file) ?? [], ...external];
    const found = new Map<string, { f: Finding; by: Analysis[] }>();
    for (const b of covering) for (const f of b.byFile.get(file) ?? []) {
      const k = findingKey(f);
      const hit = found.get(k);
      if (hit) { if (!hit.by.includes(b)) hit.by.push(b); } else found.set(k, { f, by: [b] });
    }
    // A finding only some of the configs make says which: the same include can be right
    // for one config (the transport is used there) and wrong for another.
    const out = [...found.values()].map(({ f, by }) => by.length === covering.length ? f
      : { ...f, message: `${f.message} (when read by ${by.map((b) => path.basename(b.pairing.exim ?? b.pairing.cyrus ?? b.pairing.imapd ?? '?')).join(', ')})` });
    out.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
    return [...out, ...external];
  }

  /** Whether some open document is checked as part of this pairing. */
  private live(p: Pairing): boolean {
    const ws = this.ws();
    return ws.openFiles().some((f) => {
      const q = ws.pairingFor(f);
      return q.exim === p.exim && q.cyrus === p.cyrus && q.imapd === p.imapd;
    });
  }

  /**
   * Analyses published for `file` whose result an edit has dropped from the workspace's
   * cache: checked again when an open document still needs them, else forgotten (their
   * findings leave the files they were published to).
   */
  private staleCovering(file: string, except: string): Analysis[] {
    const ws = this.ws();
    const cached = new Set(ws.analysesCovering(file).map((a) => a.key));
    const out: Analysis[] = [];
    for (const [key, files] of [...this.publishedBy]) {
      if (key === except || cached.has(key) || !files.has(file)) continue;
      const p = this.pairings.get(key);
      if (!p || !this.live(p)) { this.forget(key); continue; }
      let b: Analysis;
      try { b = ws.analyse(p); } catch (e) { this.log(`check of ${p.exim ?? p.cyrus ?? p.imapd} failed: ${(e as Error)?.stack ?? e}`); continue; }
      // Settings changed since: the same pairing is now checked under another key.
      if (b.key !== key) { this.publishedBy.delete(key); this.pairings.delete(key); }
      if (b.key !== except && !out.includes(b)) out.push(b);
    }
    return out;
  }

  /** An analysis no open document needs: its findings leave the files it covered. */
  private forget(key: string): void {
    const files = this.publishedBy.get(key) ?? new Set<string>();
    this.publishedBy.delete(key);
    this.pairings.delete(key);
    for (const f of files) this.send(f, this.findingsFor(f));
  }

  /**
   * After a document is closed: analyses published before and no longer needed by any open
   * document are forgotten; those still needed are checked again.
   */
  afterClose(): void {
    const ws = this.ws();
    for (const [key, files] of [...this.publishedBy]) {
      const p = this.pairings.get(key);
      const cached = [...files].some((f) => ws.analysesCovering(f).some((a) => a.key === key));
      if (cached) continue;
      if (!p || !this.live(p)) this.forget(key);
      else {
        const open = ws.openFiles().find((f) => { const q = ws.pairingFor(f); return q.exim === p.exim && q.cyrus === p.cyrus && q.imapd === p.imapd; });
        if (open) this.schedule(open);
      }
    }
  }

  /** Re-sends a file's diagnostics (e.g. after the external check finished). */
  republish(file: string): void {
    const covering = this.ws().analysesCovering(file);
    if (covering.length) for (const a of covering) this.publishAnalysis(a);
    else this.publishNow(file);
  }

  clear(file: string): void {
    this.cancel(file);
    this.cost.delete(file);
    this.delays.delete(file);
    this.send(file, []);
    for (const set of this.publishedBy.values()) set.delete(file);
  }

  /**
   * Publishes unless the client already has exactly this for this version of the document:
   * an edit re-checks every file of its pairing (a conf.d has dozens), and the files not
   * edited mostly have the same findings as before.
   */
  private send(file: string, findings: Finding[]): void {
    const uri = this.uris.uriOf(file);
    // The client's spelling of a URI becomes known when it opens the file (`%2B` where
    // Node writes `+`): what went out under the other spelling is cleared, or a client
    // that keys diagnostics by the URI as written would keep it for good.
    const spelt = this.spelling.get(file);
    if (spelt !== undefined && spelt !== uri && this.lastSent.delete(spelt)) {
      void this.connection.sendDiagnostics({ uri: spelt, diagnostics: [] }).catch(() => undefined);
    }
    this.spelling.set(file, uri);
    const version = this.versionOf(file);
    const prev = this.lastSent.get(uri);
    if (prev && prev.version === version && sameFindings(prev.findings, findings)) return;
    this.lastSent.set(uri, { version, findings });
    const untitled = isUntitledPath(file) ? this.ws().host.readFile(file) : undefined;
    const support = this.support();
    const diagnostics = findings.map((f) => toDiagnostic(untitled === undefined ? f : forUntitled(f, untitled), this.uris, support));
    const sent = this.connection.sendDiagnostics({ uri, version, diagnostics }).catch(() => undefined);
    if (LOG_TIMING) this.sending.push(sent);
  }
}

/** Whether two lists would become the same diagnostics (everything toDiagnostic reads). */
function sameFindings(a: Finding[], b: Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (x.code !== y.code || x.severity !== y.severity || x.message !== y.message || x.source !== y.source
      || !sameRange(x.range, y.range) || (x.related?.length ?? 0) !== (y.related?.length ?? 0)) return false;
    for (let k = 0; k < (x.related?.length ?? 0); k++) {
      const r = x.related![k], s = y.related![k];
      if (r.file !== s.file || r.message !== s.message || !sameRange(r.range, s.range)) return false;
    }
  }
  return true;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}
