// exim/tls-file-access: on this machine, Exim's daemon cannot read its TLS certificate or key.
// The daemon gives up root for each connection it serves: it runs as the Exim user and
// group (Debian-exim on Debian) with the groups /etc/group gives that user (daemon.c calls
// initgroups), and reads tls_certificate and tls_privatekey when a client starts TLS.
// Found live (Exim 4.96, Debian): with the files in a root-only directory the daemon starts
// and offers STARTTLS, then answers it "454 TLS currently unavailable" and logs "TLS error
// on connection ... (cert/key setup: cert=... key=...): Error while reading file."; once
// Debian-exim is a member of the directory's group (`adduser Debian-exim ssl-cert`), the
// same files serve. Let's Encrypt's /etc/letsencrypt/live and archive are root's alone: the
// usual way in.
// Only paths whose every piece exists here are judged, so a config checked on another
// machine is left alone; expanded values are known only at run time.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, OptionSetting } from '../../exim/model';
import type { SourceHost } from '../../host';
import { blockedStep, describePath, helpingGroup, identityText, needText, type Identity } from '../../path-access';
import { type Accounts, DEBIAN_EXIM_USER, findGroup, findUser, groupName, groupsOf, readAccounts, userName } from '../../unix-accounts';
import { splitList } from './lists';

function lastMain(cfg: EximConfig, name: string): OptionSetting | undefined {
  let found: OptionSetting | undefined;
  for (const s of cfg.main) if (s.name === name) found = s;
  return found;
}

/** A main option's value when fixed: undefined when unset, null when Exim expands it. */
function fixedMain(cfg: EximConfig, name: string): string | null | undefined {
  const s = lastMain(cfg, name);
  const v = s && !s.negated ? s.value?.trim() : undefined;
  if (!v) return undefined;
  return v.includes('$') ? null : v;
}

/** Who the daemon's connection processes are: the Exim user and group, with initgroups. */
export function eximDaemonIdentity(cfg: EximConfig, a: Accounts): (Identity & { name: string }) | undefined {
  const eu = fixedMain(cfg, 'exim_user'), eg = fixedMain(cfg, 'exim_group');
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
  const adv = lastMain(cfg, 'tls_advertise_hosts');
  const onConnect = lastMain(cfg, 'tls_on_connect_ports');
  return !adv || (!adv.negated && !!adv.value?.trim()) || (!!onConnect && !onConnect.negated && !!onConnect.value?.trim());
}

export function checkEximTlsFiles(cfg: EximConfig, host: SourceHost): Finding[] {
  if (!host.stat || !tlsUsed(cfg)) return [];
  const settings = ['tls_certificate', 'tls_privatekey'].map((n) => lastMain(cfg, n)).filter((s): s is OptionSetting => !!s && !s.negated && !!s.value?.trim() && !s.value.includes('$'));
  if (!settings.length) return [];
  const a = readAccounts(host);
  if (!a) return [];
  const id = eximDaemonIdentity(cfg, a);
  if (!id) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const s of settings) {
    for (const item of splitList(s.value!)) {
      const file = item.text.trim();
      if (!file.startsWith('/') || seen.has(file)) continue;
      seen.add(file);
      const { blocked, steps } = blockedStep(host, id, file, 4);
      if (!blocked) continue;
      const g = helpingGroup(id, blocked, steps);
      const advice = g !== undefined
        ? `Add ${id.name} to group ${groupName(a, g)} (adduser ${id.name} ${groupName(a, g)}) and restart Exim: its daemon takes the groups /etc/group gives it.`
        : `Let ${id.name} read it (for example, give ${blocked.path} the group ${groupName(a, id.gid)} with group read${blocked.st.kind === 'directory' ? ' and search' : ''} permission), or point ${s.name} at a copy it can read.`;
      const at = s.valueLoc ?? s.nameLoc;
      out.push(finding('exim/tls-file-access', at.file, at.range,
        `On this machine Exim's daemon runs as ${identityText(a, id)} when it serves a connection, and ${describePath(a, blocked)} does not let it ${needText(blocked.need)}, so it cannot read ${s.name} ${file}: every STARTTLS is answered "454 TLS currently unavailable" (the log says "TLS error on connection ... Error while reading file"), senders that insist on TLS cannot deliver, and clients cannot submit over TLS. ${advice}${certbotHint(file)}`));
      break;
    }
  }
  return out;
}
