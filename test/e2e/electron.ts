// `npm run test:electron`: the same in-host suite (test/e2e/suite/index.ts) in desktop
// VS Code, through @vscode/test-electron. It downloads VS Code (internet needed) into
// .vscode-test/ and needs a display (on a headless Linux: `xvfb-run -a npm run test:electron`).
// Not run in CI, which uses code-server instead (test/e2e/e2e.test.ts).
//
//   VSCODE_VERSION=1.96.0 npm run test:electron     # a given release (default: stable)
//   VSCODE_EXECUTABLE=/usr/share/code/code npm run test:electron   # an installed VS Code, no download
//   EXIM_CYRUS_E2E_GREP=callout npm run test:electron
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT, bundleHostSuite, readResults } from './harness';

async function main(): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-electron-'));
  try {
    const index = await bundleHostSuite(path.join(__dirname, 'suite/index.ts'), path.join(scratch, 'host'));
    const workspace = path.join(scratch, 'ws');
    fs.cpSync(path.join(ROOT, 'examples', 'reference'), workspace, { recursive: true });
    const userData = path.join(scratch, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
      'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    }));
    const results = path.join(scratch, 'results.json');
    let code = 0;
    try {
      code = await runTests({
        ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION || 'stable' }),
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: index,
        launchArgs: [workspace, '--user-data-dir', userData, '--extensions-dir', path.join(scratch, 'extensions'), '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
          ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
        extensionTestsEnv: { EXIM_CYRUS_E2E_RESULTS: results, EXIM_CYRUS_E2E_USER_DATA: userData, EXIM_CYRUS_E2E_GREP: process.env.EXIM_CYRUS_E2E_GREP ?? '' },
      });
    } catch (e) {
      console.error(`test-electron: ${(e as Error).message ?? e}`);
      code = 1;
    }
    const recs = readResults(results) ?? [];
    const passed = recs.filter((r) => r.state === 'passed').length;
    const failed = recs.filter((r) => r.state === 'failed');
    for (const f of failed) console.error(`FAILED ${f.title}\n${f.error}\n`);
    console.log(`${passed} passed, ${failed.length} failed`);
    return code !== 0 || failed.length || !recs.length ? 1 : 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
