// Runs the link rules as the CLI does, over files held in memory: the Exim config, the
// cyrus.conf and imapd.conf beside it when given, and any other file by its path (an
// /etc/services, an include). Every finding is checked well formed, not only the ones kept.
import { checkProject, type Input } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { memoryHost } from './memory-host';
import type { Finding } from '../../server/src/core/diagnostic';
import { assertWellFormed } from './well-formed';

/** The `link/` findings for `dir`/exim.conf paired with `dir`/cyrus.conf and `dir`/imapd.conf. */
export function linkFindings(dir: string, exim: string, cyrus?: string, imapd?: string, extra: Record<string, string> = {}): Finding[] {
  const files = new Map<string, string>([[`${dir}/exim.conf`, exim], ...Object.entries(extra)]);
  const inputs: Input[] = [{ path: `${dir}/exim.conf`, kind: 'exim' }];
  if (cyrus !== undefined) { files.set(`${dir}/cyrus.conf`, cyrus); inputs.push({ path: `${dir}/cyrus.conf`, kind: 'cyrus-conf' }); }
  if (imapd !== undefined) { files.set(`${dir}/imapd.conf`, imapd); inputs.push({ path: `${dir}/imapd.conf`, kind: 'imapd-conf' }); }
  const all = checkProject(inputs, defaultOptions, memoryHost(files));
  assertWellFormed(all);
  return all.filter((f) => f.code.startsWith('link/'));
}
