// The server asks the client to watch every file its checks read (includes, conf.d pieces,
// partner files), and a change reported for one of them is checked again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Registration } from 'vscode-languageserver-protocol';
import { TestClient, uriOf } from './client';

const MAIN = 'primary_hostname = x.example\nbegin routers\ncyrus:\n  driver = accept\n  transport = cyrus_lmtp\nbegin transports\n.include inc/transports.conf\n';
const INC = 'cyrus_lmtp:\n  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n';
const CYRUS = 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';

const dirs: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.shutdown();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function setup(): { dir: string; main: string; inc: string; cyrus: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-watch-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'inc'));
  const main = path.join(dir, 'exim.conf'), inc = path.join(dir, 'inc/transports.conf'), cyrus = path.join(dir, 'cyrus.conf');
  fs.writeFileSync(main, MAIN);
  fs.writeFileSync(inc, INC);
  fs.writeFileSync(cyrus, CYRUS);
  return { dir, main, inc, cyrus };
}

type Watcher = { globPattern: string | { baseUri: string; pattern: string } };
const watchersOf = (live: Registration[]): Watcher[] =>
  live.filter((r) => r.method === 'workspace/didChangeWatchedFiles').flatMap((r) => (r.registerOptions as { watchers: Watcher[] }).watchers);

/** Whether a watcher names the file (relative: its directory and name; absolute glob: its path). */
function watches(ws: Watcher[], file: string): boolean {
  return ws.some((w) => typeof w.globPattern === 'string'
    ? w.globPattern === file || w.globPattern.startsWith(path.dirname(file) + '/') && w.globPattern.includes(path.basename(file))
    : w.globPattern.baseUri === uriOf(path.dirname(file)) && w.globPattern.pattern.includes(path.basename(file)));
}

test('watchers cover the include and the partner file, and an include edited on disk is checked again', async () => {
  const { dir, main, inc, cyrus } = setup();
  const c = new TestClient();
  clients.push(c);
  await c.initialize(dir, {}, { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } });
  c.open(main, MAIN, 'exim');
  await c.waitForDiagnostics(main);
  await c.waitForRegistrations((live) => [inc, cyrus, main].every((f) => watches(watchersOf(live), f)));
  // Edited outside the editor: the client reports it, the server checks again.
  fs.writeFileSync(inc, INC + '  frobnicate = 1\n');
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(inc), type: 2 }] });
  await c.waitForDiagnostics(inc, (d) => d.some((x) => x.code === 'exim/unknown-option'));
});

test('without RelativePattern support the watchers are absolute globs; without dynamic registration there are none', async () => {
  const { dir, main, inc } = setup();
  const c = new TestClient();
  clients.push(c);
  await c.initialize(dir, {}, { didChangeWatchedFiles: { dynamicRegistration: true } });
  c.open(main, MAIN, 'exim');
  await c.waitForDiagnostics(main);
  const live = await c.waitForRegistrations((l) => watches(watchersOf(l), inc));
  assert.ok(watchersOf(live).every((w) => typeof w.globPattern === 'string'));

  const d2 = setup();
  const plain = new TestClient();
  clients.push(plain);
  await plain.initialize(d2.dir);
  plain.open(d2.main, MAIN, 'exim');
  await plain.waitForDiagnostics(d2.main);
  // A request is answered after the registrations queued before it.
  await plain.request('textDocument/hover', { textDocument: { uri: uriOf(d2.main) }, position: { line: 0, character: 0 } });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(plain.registrations.size, 0);
});

test('when the include changes the set of files read, the watchers follow', async () => {
  const { dir, main, inc } = setup();
  const c = new TestClient();
  clients.push(c);
  await c.initialize(dir, {}, { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } });
  c.open(main, MAIN, 'exim');
  await c.waitForDiagnostics(main);
  await c.waitForRegistrations((live) => watches(watchersOf(live), inc));
  const more = path.join(dir, 'inc/more.conf');
  const withMore = MAIN + '.include inc/more.conf\n';
  c.change(main, withMore);
  await c.waitForDiagnostics(main, (d) => d.some((x) => x.code === 'exim/include-not-found'));
  // Not there yet, but its appearing would change the result: it is watched too, and the old registration is gone.
  const live = await c.waitForRegistrations((l) => watches(watchersOf(l), more) && l.filter((r) => r.method === 'workspace/didChangeWatchedFiles').length === 1);
  assert.ok(watches(watchersOf(live), inc));
  fs.writeFileSync(more, 'other:\n  driver = pipe\n  command = /bin/true\n');
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(more), type: 1 }] });
  await c.waitForDiagnostics(main, (d) => !d.some((x) => x.code === 'exim/include-not-found'));
});
