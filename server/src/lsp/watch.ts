// Asks the editor to watch the files the checks read, so that an include, a conf.d piece or
// a partner file edited outside the editor is checked again. The server registers the
// watchers itself (workspace/didChangeWatchedFiles, dynamically) because only it knows
// which files those are; every client that supports dynamic registration gets them.
import * as path from 'node:path';
import type { ClientCapabilities, Connection, Disposable, FileSystemWatcher } from 'vscode-languageserver/node';
import { DidChangeWatchedFilesNotification } from 'vscode-languageserver/node';
import type { ConfigWorkspace, WatchedPaths } from '../core/features/workspace';
import type { UriMap } from './convert';

/** Files a pairing is found by: one appearing or vanishing can change which files are checked together. */
const DISCOVERY_GLOBS = [
  '**/{exim.conf,exim4.conf,exim4.conf.template,configure,*.exim,cyrus.conf,*.cyrus.conf,imapd.conf,*.imapd.conf}',
  '**/conf.d/**',
];

/** A client's file watcher would be overwhelmed past this many directories; the rest goes unwatched. */
const MAX_WATCHERS = 500;

const GLOB_SPECIAL = /[*?[\]{},\\]/;

/**
 * The watchers for a set of paths: one per directory, naming the files read there, or `*`
 * for a directory whose listing was read (a conf.d part). With RelativePattern support
 * the base is the directory (watchable outside the workspace); otherwise an absolute glob.
 */
export function watchersFor(paths: WatchedPaths, relative: boolean, uris: UriMap): FileSystemWatcher[] {
  const byDir = new Map<string, Set<string> | '*'>();
  for (const d of paths.dirs) byDir.set(d, '*');
  for (const f of paths.files) {
    const dir = path.dirname(f), name = path.basename(f);
    const have = byDir.get(dir);
    if (have === '*') continue;
    // A name a glob cannot spell literally: watch its whole directory.
    if (GLOB_SPECIAL.test(name)) { byDir.set(dir, '*'); continue; }
    if (have) have.add(name); else byDir.set(dir, new Set([name]));
  }
  const out: FileSystemWatcher[] = DISCOVERY_GLOBS.map((globPattern) => ({ globPattern }));
  for (const [dir, names] of [...byDir].sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, MAX_WATCHERS)) {
    const pattern = names === '*' ? '*' : names.size === 1 ? [...names][0] : `{${[...names].sort().join(',')}}`;
    if (relative) out.push({ globPattern: { baseUri: uris.uriOf(dir), pattern } });
    else if (!GLOB_SPECIAL.test(dir)) out.push({ globPattern: `${dir.split(path.sep).join('/')}/${pattern}` });
  }
  return out;
}

export class FileWatches {
  private enabled = false;
  private relative = false;
  private registered?: Promise<Disposable | undefined>;
  private lastKey = '';
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly connection: Connection,
    /** Getter: the workspace comes into being with the checker (lsp/core.ts). */
    private readonly ws: () => ConfigWorkspace,
    private readonly uris: UriMap,
    private readonly log: (m: string) => void,
  ) {}

  /** From `initialize`: watching needs the client to accept registrations at run time. */
  setCapabilities(c: ClientCapabilities): void {
    const w = c.workspace?.didChangeWatchedFiles;
    this.enabled = w?.dynamicRegistration === true;
    this.relative = w?.relativePatternSupport === true;
  }

  /** After checks: registers the watchers again when what the analyses read has changed. */
  schedule(delay = 300): void {
    if (!this.enabled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; this.update(); }, delay);
  }

  private update(): void {
    let watchers: FileSystemWatcher[];
    try {
      watchers = watchersFor(this.ws().watchedPaths(), this.relative, this.uris);
    } catch (e) {
      this.log(`could not work out the files to watch: ${(e as Error)?.message ?? e}`);
      return;
    }
    const key = JSON.stringify(watchers);
    if (key === this.lastKey) return;
    this.lastKey = key;
    // The new registration first, then the old one goes: no moment without a watcher.
    const previous = this.registered;
    this.registered = this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers })
      .catch((e) => { this.log(`the client refused file watchers: ${(e as Error)?.message ?? e}`); return undefined; });
    void this.registered.then(() => previous?.then((d) => d?.dispose()));
  }
}
