// The in-host test index for the development folder: VS Code calls run() inside the
// extension host (code-server's or Electron's) once the window is up. Results go to
// results.json beside this bundle, or to EXIM_CYRUS_E2E_RESULTS.
import * as path from 'node:path';
import { runMocha } from './runner';

export function run(): Promise<void> {
  const results = process.env.EXIM_CYRUS_E2E_RESULTS || path.join(__dirname, 'results.json');
  return runMocha(() => {
    require('./activation.host');
    require('./diagnostics.host');
    require('./features.host');
    require('./quickfix.host');
    require('./callout.host');
    require('./external.host');
  }, results, process.env.EXIM_CYRUS_E2E_GREP);
}
