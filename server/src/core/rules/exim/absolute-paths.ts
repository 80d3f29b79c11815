// Paths Exim needs absolute and only finds out about at delivery, where it defers every
// address (each checked with exim4 -odf): appendfile's `file` and `directory` ("file or
// directory name ... is not absolute"), a redirect router's `file` ("... is not an absolute
// path"), a transport's `home_directory` and `current_directory` and the routers'
// `transport_home_directory` and `transport_current_directory` ("... path ... is not absolute
// for ... transport"). Only a value whose start is written out is judged: one that starts
// with an expansion ($home/...) may well be absolute. And a router's require_files, whose
// items with a "/" are files. And a transport_filter's program, which Exim runs without
// searching PATH: "cat" never starts and every delivery defers ("transport filter process
// failed (127)", exim4 -odf). And the main section's system_filter, read as a file for every
// message: a relative one stops every delivery before it starts ("Error in system filter:
// ... is not an absolute path", exim4 -odf), and the messages stay on the queue. And
// bounce_message_file and warn_message_file: a relative one is refused at each bounce or
// warning, which then goes out with Exim's own text (exim4 -odf, the panic log says why). And
// pid_file_path: the daemon dies at start-up when it writes its pid file (exim4 -bdf on port
// 25; with -oX and no -oP it writes none, and starts).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, mainSetting } from './instance-options';
import { locOfText, splitList } from './lists';
import { RUN_TIME } from './suggest';
import { ownEntry } from '../../own';
import { splitCommand } from '../../exim/strings';

const TRANSPORT_PATHS = ['home_directory', 'current_directory'];
const ROUTER_PATHS = ['transport_home_directory', 'transport_current_directory'];
const DRIVER_PATHS: Record<string, readonly string[]> = { appendfile: ['file', 'directory'], redirect: ['file'] };

export function checkAbsolutePaths(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    paths(t, TRANSPORT_PATHS, out);
    transportFilter(cfg, t, out);
  }
  for (const r of cfg.routers) {
    paths(r, ROUTER_PATHS, out);
    requireFiles(cfg, r, out);
  }
  mainFiles(cfg, out);
  return out;
}

/** A path whose start is written out and is not "/": one starting with an expansion or escape may well be absolute. */
export const judgedRelative = (v: string): boolean => !v.startsWith('/') && !v.startsWith('$') && !v.startsWith('\\');

/** Main-section files Exim opens only when it needs them, and what a relative one does then. */
const MAIN_FILES: Record<string, string> = {
  system_filter: 'Exim reads it for every message and, not finding it so, delivers none of them; they stay on the queue ("Error in system filter: ... is not an absolute path")',
  bounce_message_file: 'Exim refuses it each time it writes a bounce, logs "bounce_message_file is not absolute after expansion" to the panic log, and sends its own bounce text instead of yours',
  warn_message_file: 'Exim refuses it each time it writes a delay warning, logs "warn_message_file is not absolute after expansion" to the panic log, and sends its own warning text instead of yours',
  pid_file_path: 'a daemon that writes its pid file (on the standard ports, or with -oP) dies as it starts ("pid file path ... must be absolute")',
};

function mainFiles(cfg: EximConfig, out: Finding[]): void {
  for (const [name, consequence] of Object.entries(MAIN_FILES)) {
    const s = mainSetting(cfg, name);
    const v = s?.value?.trim();
    if (!s || s.negated || !v || !judgedRelative(v)) continue;
    const at = s.valueLoc ?? s.nameLoc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `${name} is not an absolute path ("${v}"): ${consequence}. exim -bV does not see it. Write the whole path, starting with "/".`, RUN_TIME));
  }
}

/**
 * require_files: an item with a "/" is a file to test and must start with one (after "!" or
 * "+"), or Exim defers every address at the router (exim4 -bt: 'require_files: "etc/passwd"
 * is not absolute'); an item without is a user to test as, which we do not look up.
 */
function requireFiles(cfg: EximConfig, r: DriverInstance, out: Finding[]): void {
  const s = given(r, 'require_files');
  const v = s?.value;
  if (!s || !v || v.includes('\\')) return;
  for (const it of splitList(v)) {
    const file = it.text.replace(/^[!+]\s*/, '');
    if (!file.includes('/') || file.startsWith('/') || file.startsWith('$')) continue;
    const loc = s.valueLoc ?? s.nameLoc;
    const at = locOfText(cfg, loc, it.text);
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(r)}, require_files names "${file}", which is not an absolute path: Exim defers every address the router handles ("require_files: ... is not absolute"). Write the whole path, starting with "/".`, RUN_TIME));
    return;
  }
}

function transportFilter(cfg: EximConfig, t: DriverInstance, out: Finding[]): void {
  const s = given(t, 'transport_filter');
  // The command's first argument, as transport_set_up_command splits it.
  const program = s?.value ? splitCommand(s.value)[0]?.value : undefined;
  if (!s || !program || !s.valueLoc || /^[/$\\]/.test(program)) return;
  const at = locOfText(cfg, s.valueLoc, program);
  out.push(finding('exim/invalid-value', at.file, at.range,
    `In ${describe(t)}, transport_filter runs "${program}" without its directory: Exim does not search PATH for it, so the filter never starts and every delivery through the transport defers ("transport filter process failed (127)"). Write the program's full path (such as /usr/bin/${program}).`, RUN_TIME));
}

function paths(inst: DriverInstance, generic: readonly string[], out: Finding[]): void {
  const own = ownEntry(DRIVER_PATHS, inst.driver?.trim() ?? '');
  for (const name of own ? [...own, ...generic] : generic) {
    const s = given(inst, name);
    const v = s?.value?.trim();
    if (!s || !v || !judgedRelative(v)) continue;
    const at = s.valueLoc ?? s.nameLoc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(inst)}, "${name}" is not an absolute path ("${v}"): Exim defers every address ${inst.section === 'routers' ? 'the router handles' : 'delivered through it'} ("... is not absolute"). Write the whole path, starting with "/".`, RUN_TIME));
  }
}
