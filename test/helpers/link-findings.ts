// Runs the link rules as the CLI does, over files held in memory: the Exim config, the
// cyrus.conf and imapd.conf beside it when given, and any other file by its path (an
// /etc/services, an include). Every finding is checked well formed, not only the ones kept.
import { checkProject, type Input } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { memoryHost } from './memory-host';
import type { Finding } from '../../server/src/core/diagnostic';
import { assertWellFormed } from './well-formed';
import { DEFAULT_RETRY_RULE } from '../../server/src/core/rules/link/retry';

/**
 * The `link/` findings for `dir`/exim.conf paired with `dir`/cyrus.conf and `dir`/imapd.conf.
 * The configs here are fragments about one rule each; one without a retry section gets
 * Exim's default rule appended, as real configs have it (else each would also get
 * link/no-retry-rule), unless `asWritten`.
 */
export function linkFindings(dir: string, exim: string, cyrus?: string, imapd?: string, extra: Record<string, string> = {}, { asWritten = false } = {}): Finding[] {
  if (!asWritten && !/^\s*begin\s+retry\s*$/m.test(exim)) exim = `${exim.replace(/\n?$/, '\n')}\nbegin retry\n\n${DEFAULT_RETRY_RULE}\n`;
  const files = new Map<string, string>([[`${dir}/exim.conf`, exim], ...Object.entries(extra)]);
  const inputs: Input[] = [{ path: `${dir}/exim.conf`, kind: 'exim' }];
  if (cyrus !== undefined) { files.set(`${dir}/cyrus.conf`, cyrus); inputs.push({ path: `${dir}/cyrus.conf`, kind: 'cyrus-conf' }); }
  if (imapd !== undefined) { files.set(`${dir}/imapd.conf`, imapd); inputs.push({ path: `${dir}/imapd.conf`, kind: 'imapd-conf' }); }
  const all = checkProject(inputs, defaultOptions, memoryHost(files));
  assertWellFormed(all);
  return all.filter((f) => f.code.startsWith('link/'));
}
