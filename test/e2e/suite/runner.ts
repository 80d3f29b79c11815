// Runs mocha inside the extension host and writes one record per test to a JSON file
// that the outer runner (test/e2e/e2e.test.ts, or test/e2e/electron.ts) reads. The
// returned promise rejects when a test failed, which makes VS Code exit with code 1.
import * as fs from 'node:fs';
import * as util from 'node:util';

export interface TestRecord { title: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number; error?: string }

export function runMocha(register: () => void, resultsFile: string, grep?: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha') as typeof import('mocha');
  console.log('exim-cyrus-e2e: in-host suite started'); // harness.ts HOST_STARTED
  // The extension host forwards console.log's arguments unformatted (and ignores writes
  // to console.log); mocha's reporters print through Base.consoleLog with format strings,
  // so format there.
  const log = console.log;
  (Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void }).consoleLog = (...args: unknown[]) => log(util.format(...args));
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, slow: 10_000 });
  if (grep) mocha.grep(grep);
  mocha.suite.emit('pre-require', globalThis, 'e2e-suite', mocha);
  register();
  const records: TestRecord[] = [];
  const write = () => fs.writeFileSync(resultsFile, JSON.stringify(records, null, 2));
  write();
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        write();
        if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
        else resolve();
      });
      runner.on('pass', (t) => { records.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }); write(); });
      runner.on('pending', (t) => { records.push({ title: t.fullTitle(), state: 'pending' }); write(); });
      runner.on('fail', (t, err: Error) => {
        records.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) });
        write();
      });
    } catch (e) {
      reject(e);
    }
  });
}
