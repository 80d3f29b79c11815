// Where this machine's configs live, for `check --system`: the first of each kind found at
// the places the common packages install them (Debian's /etc/exim4 first), so an admin on
// the mail host checks the setup that really runs without naming its files.
import * as path from 'node:path';
import type { SourceHost } from '../core/host';

/** Debian and Ubuntu; Fedora, RHEL and Alpine; Exim's own default; the BSDs' ports. */
const EXIM = ['/etc/exim4', '/etc/exim/exim.conf', '/etc/exim/configure', '/usr/exim/configure', '/usr/local/etc/exim/configure'];
const CYRUS = ['/etc/cyrus.conf', '/usr/local/etc/cyrus.conf'];
const IMAPD = ['/etc/imapd.conf', '/usr/local/etc/imapd.conf'];

export interface SystemConfigs { exim?: string; cyrus?: string; imapd?: string; looked: string[] }

/** `root` stands for / (tests give a directory that plays this machine). */
export function systemConfigs(host: SourceHost, root = '/'): SystemConfigs {
  const at = (p: string) => path.join(root, p);
  const first = (list: string[], dir: boolean) => list.map(at).find((p) => dir && host.isDirectory(p) ? true : !host.isDirectory(p) && host.readFile(p) !== undefined);
  return {
    exim: first(EXIM, true),
    cyrus: first(CYRUS, false),
    imapd: first(IMAPD, false),
    looked: [...EXIM, ...CYRUS, ...IMAPD].map(at),
  };
}
