// Scratch folders of files for tests: written under the system's temp directory, removed
// after the test file's tests.
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes `files` (paths relative to a new folder) and returns the folder; `edit` may rewrite each text first. */
export function writeTree(prefix: string, files: Record<string, string>, edit: (text: string, dir: string) => string = (t) => t): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), edit(text, dir));
  }
  return dir;
}

/** A writeTree whose folders are removed after the calling test file's tests. */
export function tempTrees(prefix: string): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
  return (files) => { const d = writeTree(prefix, files); dirs.push(d); return d; };
}
