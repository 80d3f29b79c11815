// imapd/directory-access: on this machine, the Cyrus user (cyrus-identity.ts) cannot make
// files in a directory Cyrus writes: configdirectory (its databases) or a partition-NAME
// (the mailboxes). Found live (Cyrus 3.6, Debian), with the directory root's 0755:
// - configdirectory: master starts and listens, but imapd never greets and lmtpd closes a
//   connection without a word (then master stops listening for it), so Exim's deliveries
//   defer; once the directory is Cyrus's, a restart serves;
// - a partition: CREATE of a mailbox there answers "NO System I/O error".
// Debian's packages leave /var/lib/cyrus and /var/spool/cyrus/mail cyrus:mail 0750. Only
// directories whose every piece exists here are judged, except a configdirectory that is
// missing where Cyrus is installed here and its parent is: Cyrus does not make it (live:
// master starts, lmtpd resets every connection, and the directory is still not there). A
// missing partition is made by CREATE, and a config checked on a machine without Cyrus may
// be another machine's.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { ImapdConf, ImapdSetting } from '../../cyrus/model';
import type { SourceHost } from '../../host';
import { blockedPaths, describePath, identityText, machineView, needText } from '../../path-access';
import { groupName } from '../../unix-accounts';
import { cyrusIdentity } from './cyrus-identity';
import { cyrusProgramDir } from '../cyrus/program-files';
import * as path from 'node:path';

function outcome(s: ImapdSetting): string {
  return s.option === 'configdirectory'
    ? 'it holds Cyrus\'s databases (mailboxes.db and the rest), so master starts but imapd never greets and lmtpd closes connections without a word: nothing is served, and Exim\'s deliveries to Cyrus defer'
    : `creating a mailbox on partition ${s.key.slice('partition-'.length)} fails ("NO System I/O error")`;
}

export function checkImapdDirectories(conf: ImapdConf, host: SourceHost): Finding[] {
  const settings = host.stat ? conf.settings.filter((s) => (s.kind === 'option' && s.option === 'configdirectory' && !s.prefix)
    || (s.kind === 'partition' && s.key.startsWith('partition-'))).filter((s) => s.value.startsWith('/')) : [];
  const v = settings.length ? machineView(host, (a) => cyrusIdentity(conf, a)) : undefined;
  if (!v) return [];
  const out: Finding[] = [];
  missingConfigDirectory(host, settings, v.id.name, groupName(v.a, v.id.gid), out);
  for (const b of blockedPaths(host, v.id, settings, (s) => s.value.replace(/(?<!\/)\/+$/, '') || '/', 3)) {
    const s = b.item, dir = b.path;
    // Only a directory that is there: a missing one is another machine's, or Cyrus's to make.
    const last = b.steps.at(-1);
    if (last?.path !== dir || last.st.kind !== 'directory') continue;
    const own = `${v.id.name}:${groupName(v.a, v.id.gid)}`;
    const advice = b.blocked.path === dir
      ? `Give it to the Cyrus user (chown -R ${own} ${dir}; Debian's packages leave theirs cyrus:mail 0750)${s.option === 'configdirectory' ? ', then restart Cyrus' : ''}.`
      : `Let ${v.id.name} search ${b.blocked.path}, or move ${s.rawName} somewhere it can reach.`;
    out.push(finding('imapd/directory-access', s.file, s.valueLoc.range,
      `On this machine Cyrus's services run as ${identityText(v.a, v.id)}, and ${describePath(v.a, b.blocked)} does not let them ${needText(b.blocked.need)}, so they cannot write in ${s.rawName} ${dir}: ${outcome(s)}. ${advice}`));
  }
  return out;
}

function missingConfigDirectory(host: SourceHost, settings: ImapdSetting[], user: string, group: string, out: Finding[]): void {
  const stat = (f: string) => host.stat!(f);
  const s = settings.find((x) => x.kind === 'option' && x.option === 'configdirectory');
  const dir = s?.value.replace(/(?<!\/)\/+$/, '');
  if (!s || !dir || dir === '/' || stat(dir)) return;
  const parent = path.posix.dirname(dir);
  const p = stat(parent);
  if (p?.kind !== 'directory' || !(p.mode & 0o001) || !cyrusProgramDir(stat)) return;
  out.push(finding('imapd/directory-access', s.file, s.valueLoc.range,
    `There is no configdirectory ${dir} on this machine (its parent ${parent} is here, and so is Cyrus), and Cyrus does not make it: master starts, but its services cannot open their databases, so lmtpd drops every connection without a word (Exim's callouts and deliveries to Cyrus defer). Make it for the Cyrus user (mkdir ${dir}; chown ${user}:${group} ${dir}; chmod 750 ${dir}) and restart Cyrus, or correct the path.`));
}
