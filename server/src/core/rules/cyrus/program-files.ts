// cyrus/unknown-program, on this machine: master checks the program of every SERVICES and
// DAEMON entry as it starts (master.c, verify_service_file: stat it, a regular file with the
// owner's execute bit) and exits 78, "cannot find executable for service 'lmtp'", when one
// fails, so nothing is served. START entries come first and are run, not checked
// (run_startup): one whose program cannot be executed exits, and master stops with it
// ("can't run startup", exit 1). A bare name is looked up in Cyrus's own directories (the
// name check is unknown-program.ts's); a path is taken as written. Found live (Cyrus 3.6,
// Debian): cmd="/usr/sbin/lmtpd -a" (Debian keeps lmtpd in /usr/lib/cyrus/bin), master
// exited at start-up. A missing path is judged only where Cyrus is installed here, so a
// cyrus.conf checked on another machine is left alone.
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf } from '../../cyrus/model';
import type { SourceHost } from '../../host';
import { CYRUS_PROGRAMS } from '../../cyrus/programs';

/** Where the common packagings keep master and the programs it runs. */
const PROGRAM_DIRS = ['/usr/lib/cyrus/bin', '/usr/libexec/cyrus-imapd', '/usr/lib/cyrus-imapd', '/usr/local/libexec/cyrus-imapd', '/usr/cyrus/bin'];

/** Cyrus's program directory on this machine (where master is), or undefined where Cyrus is not installed. */
export function cyrusProgramDir(stat: (f: string) => ReturnType<NonNullable<SourceHost['stat']>>): string | undefined {
  return PROGRAM_DIRS.find((d) => stat(`${d}/master`)?.kind === 'file');
}

export function checkCyrusProgramFiles(conf: CyrusConf, host: SourceHost): Finding[] {
  if (!host.stat) return [];
  // Bound: the editor's host records what it looked up (a method using this).
  const stat = (f: string) => host.stat!(f);
  const out: Finding[] = [];
  // Cyrus's own program directory here, looked for once and only when an entry needs it.
  let found: string | null | undefined;
  const cyrusDir = () => (found ??= cyrusProgramDir(stat) ?? null);
  for (const e of conf.entries) {
    const c = e.cmd;
    if (!c || c.wrapper || !c.program.startsWith('/') || (e.section !== 'SERVICES' && e.section !== 'DAEMON' && e.section !== 'START')) continue;
    const st = stat(c.program);
    let why: string;
    if (!st) {
      if (!cyrusDir()) continue;
      why = 'is not there';
    } else if (st.kind !== 'file') why = `is a ${st.kind}, not a program`;
    else if (!(st.mode & 0o100)) why = 'is not executable (its owner has no execute permission)';
    else continue;
    const base = c.program.slice(c.program.lastIndexOf('/') + 1);
    const dir = cyrusDir();
    const there = dir && CYRUS_PROGRAMS.has(base) && stat(`${dir}/${base}`)?.kind === 'file' ? `${dir}/${base}` : undefined;
    const r = c.toolLoc.range;
    out.push(finding('cyrus/unknown-program', conf.file, r,
      `On this machine ${c.program} ${why}, so ${e.section === 'START' ? `master cannot run START entry '${e.name}' and stops ("can't run startup", exit 1)` : `master refuses to start ("cannot find executable for ${e.section === 'DAEMON' ? 'daemon' : 'service'} '${e.name}'", exit 78)`} and nothing is served.${there ? ` Cyrus's ${base} is ${there}: write ${base} (master looks there) or the full path.` : ' Give the program\'s real path.'}`,
      there ? { fixes: [{ title: `Change to ${base}`, preferred: true, edits: [{ file: conf.file, range: r, newText: base }] }] } : {}));
  }
  return out;
}
