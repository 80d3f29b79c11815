// exim/tls-file-access: on this machine, Exim's daemon cannot read its TLS certificate or key.
// The daemon gives up root for each connection it serves: it runs as the Exim user and
// group (Debian-exim on Debian) with the groups /etc/group gives that user (daemon.c calls
// initgroups), and reads tls_certificate and tls_privatekey when a client starts TLS.
// Found live (Exim 4.96, Debian): with the files in a root-only directory the daemon starts
// and offers STARTTLS, then answers it "454 TLS currently unavailable" and logs "TLS error
// on connection ... (cert/key setup: cert=... key=...): Error while reading file."; once
// Debian-exim is a member of the directory's group (`adduser Debian-exim ssl-cert`), the
// same files serve. Let's Encrypt's /etc/letsencrypt/live and archive are root's alone: the
// usual way in. A tls_verify_certificates file (or directory) it cannot read breaks TLS the
// same way, even where no client is asked for a certificate ("could not stat '...'
// (tls_verify_certificates): Permission denied"); `system` is the system's own store.
// Only paths whose every piece exists here are judged, so a config checked on another
// machine is left alone; expanded values are known only at run time.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, OptionSetting } from '../../exim/model';
import type { SourceHost } from '../../host';
import { blockedPaths, describePath, identityText, machineView, needText, readAdvice, type Identity } from '../../path-access';
import { type Accounts, DEBIAN_EXIM_USER, findGroup, findUser, groupsOf, userName } from '../../unix-accounts';
import { splitList } from './lists';
import { fixedMainValue, mainSetting } from './instance-options';

/** Who the daemon's connection processes are: the Exim user and group, with initgroups. */
export function eximDaemonIdentity(cfg: EximConfig, a: Accounts): (Identity & { name: string }) | undefined {
  const eu = fixedMainValue(cfg, 'exim_user'), eg = fixedMainValue(cfg, 'exim_group');
  if (eu === null || eg === null) return undefined;
  const user = findUser(a, eu ?? DEBIAN_EXIM_USER);
  if (!user) return undefined;
  const gid = eg ? findGroup(a, eg) : user.user?.gid;
  if (gid === undefined) return undefined;
  const groups = user.user ? groupsOf(a, user.user, gid) : new Set([gid]);
  return { uid: user.uid, gid, groups, name: userName(a, user.uid) };
}

/** Where Let's Encrypt's client keeps its files: root's alone. */
export const certbotHint = (file: string) => file.startsWith('/etc/letsencrypt/')
  ? ' Certbot keeps /etc/letsencrypt/live and archive for root: copy the files somewhere readable in a deploy hook, or open those directories to the group.'
  : '';

/** Whether the daemon offers TLS at all: tls_advertise_hosts set empty and no TLS-on-connect ports means never. */
function tlsUsed(cfg: EximConfig): boolean {
  const adv = mainSetting(cfg, 'tls_advertise_hosts');
  const onConnect = mainSetting(cfg, 'tls_on_connect_ports');
  return !adv || (!adv.negated && !!adv.value?.trim()) || (!!onConnect && !onConnect.negated && !!onConnect.value?.trim());
}

export function checkEximTlsFiles(cfg: EximConfig, host: SourceHost): Finding[] {
  if (!host.stat || !tlsUsed(cfg)) return [];
  const settings = ['tls_certificate', 'tls_privatekey', 'tls_verify_certificates'].map((n) => mainSetting(cfg, n)).filter((s): s is OptionSetting => !!s && !s.negated && !!s.value?.trim() && !s.value.includes('$'));
  const files = settings.flatMap((s) => splitList(s.value!).map((item) => ({ s, file: item.text.trim() })));
  const v = files.length ? machineView(host, (a) => eximDaemonIdentity(cfg, a)) : undefined;
  if (!v) return [];
  const out: Finding[] = [];
  const told = new Set<OptionSetting>();
  for (const b of blockedPaths(host, v.id, files, (f) => f.file.startsWith('/') ? f.file : undefined, 4)) {
    const { s, file } = b.item;
    // One finding an option: a list's other files are for after this one is mended.
    if (told.has(s)) continue;
    told.add(s);
    const at = s.valueLoc ?? s.nameLoc;
    out.push(finding('exim/tls-file-access', at.file, at.range,
      `On this machine Exim's daemon runs as ${identityText(v.a, v.id)} when it serves a connection, and ${describePath(v.a, b.blocked)} does not let it ${needText(b.blocked.need)}, so it cannot read ${s.name} ${file}: every STARTTLS is answered "454 TLS currently unavailable" (the log says ${s.name === 'tls_verify_certificates' ? `"could not stat '${file}' (tls_verify_certificates): Permission denied"` : '"TLS error on connection ... Error while reading file"'}), senders that insist on TLS cannot deliver, and clients cannot submit over TLS. ${readAdvice(v, b, 'Exim', `, or point ${s.name} at a copy it can read`)}${certbotHint(file)}`));
  }
  return out;
}
