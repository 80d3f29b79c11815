// A stand-in for the exim binary that `eximCyrus.exim.path` may name: it records every run
// in a log file, and answers `-C FILE -bV` as Exim does for a broken configuration when
// FILE has a line containing PROBE_COMPLAIN (else as for a good one). The e2e tests use it
// to see whether, and when, the language server runs "exim" on save.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROBE_COMPLAIN = 'exim-probe: complain';
export const PROBE_MESSAGE = 'exim-probe complains about this line';

export interface EximProbe { bin: string; log: string }

export function writeEximProbe(dir: string, name: string): EximProbe {
  fs.mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, name);
  const log = path.join(dir, `${name}.log`);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(bin, [
    '#!/bin/sh',
    `printf '%s\\n' "$*" >> ${q(log)}`,
    '[ "$1" = -C ] && [ -f "$2" ] || exit 2',
    `line=$(grep -n -F ${q(PROBE_COMPLAIN)} "$2" | head -n 1 | cut -d: -f1)`,
    'if [ -n "$line" ]; then',
    `  printf 'Exim configuration error in line %s of %s:\\n  %s\\n' "$line" "$2" ${q(PROBE_MESSAGE)} >&2`,
    '  exit 1',
    'fi',
    "echo 'Exim version 4.96 (exim-probe)'",
    '',
  ].join('\n'), { mode: 0o755 });
  return { bin, log };
}

/** The runs a probe recorded (its argument lists), none if it never ran. */
export function probeRuns(p: EximProbe): string[] {
  try { return fs.readFileSync(p.log, 'utf8').split('\n').filter(Boolean); } catch { return []; }
}
