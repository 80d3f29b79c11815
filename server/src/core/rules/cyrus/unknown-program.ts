// cyrus/unknown-program: a bare `cmd` program is looked up in Cyrus's own program
// directory, so it must be one Cyrus ships. Master checks the program of every service and
// daemon when it starts ("cannot find executable for service", exit 78) and stops when a
// START program cannot run ("can't run startup"); an event's fails only when it is due.
// Through Debian's wrapper master finds the wrapper, which fails later: a warning too.
// A path is run as written (master.c, get_daemon), and sites put their own helpers beside
// Cyrus's (the Cyrus test server's /usr/cyrus/bin/fakesaslauthd): whether it is there is a
// fact of the machine, which program-files.ts checks, not of the name.
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf } from '../../cyrus/model';
import { CYRUS_PROGRAMS, RETIRED_PROGRAMS } from '../../cyrus/programs';
import { closest } from '../../cyrus/suggest';
import { ownEntry } from '../../own';

export function checkUnknownProgram(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  for (const e of conf.entries) {
    const c = e.cmd;
    if (!c || !c.program) continue;
    if ((c.program.startsWith('/') && !c.wrapper) || CYRUS_PROGRAMS.has(c.tool)) continue;
    const retired = ownEntry(RETIRED_PROGRAMS, c.tool);
    // Through Debian's wrapper the cyr_/ctl_ prefix may be left out.
    const candidates = c.wrapper ? [...CYRUS_PROGRAMS].map((n) => n.replace(/^(cyr|ctl)_/, '')) : CYRUS_PROGRAMS;
    const guess = retired ?? closest(c.tool, candidates);
    const fatal = !c.wrapper && e.section !== 'EVENTS';
    const effect = !fatal ? '' : e.section === 'START' ? ' Master cannot run this START entry, so it refuses to start.' : ' Master refuses to start without it.';
    const msg = retired
      ? `Cyrus 3 has no '${c.tool}': ${retired} does its work (as a Murder frontend when configured so).${effect} Use ${retired}.`
      : `'${c.tool}' is not a program Cyrus ships, so master will not find it.${effect}${guess ? ` Did you mean '${guess}'?` : ''}`;
    const r = c.toolLoc.range;
    const written = c.wrapper ? c.argv[1] : c.program;
    const fixes = guess ? [{ title: `Change to ${guess}`, preferred: true, edits: [{ file: conf.file, range: r, newText: written.includes('/') ? written.replace(/[^/]*$/, guess) : guess }] }] : undefined;
    out.push(finding('cyrus/unknown-program', conf.file, r, msg, { ...(fixes ? { fixes } : {}), ...(fatal ? {} : { severity: 'warning' as const }) }));
  }
  return out;
}
