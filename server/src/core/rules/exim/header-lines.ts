// Header lines a router's or transport's `headers_add` adds: each must be `Name: value`.
// Exim adds a line without its colon as it is (exim4 -odf: "X-Foo" lands in the message
// between the real headers), so the message goes out with a malformed header. Only what is
// written out is judged: a line whose name comes from an expansion is not.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe } from './instance-options';
import { RUN_TIME } from './suggest';

export function checkHeaderLines(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  // Each value once: configs repeat them, and reading every copy again slowed the later
  // checks of a large config (see acl-arguments' ArgumentMemo).
  const seen = new Map<string, string | undefined>();
  for (const list of [cfg.routers, cfg.transports]) {
    for (const inst of list) {
      for (const s of inst.options) {
        if (s.name !== 'headers_add' || s.negated || !s.value) continue;
        let bad = seen.get(s.value);
        if (bad === undefined && !seen.has(s.value)) seen.set(s.value, bad = badHeaderLine(s.value));
        const at = bad === undefined ? undefined : s.valueLoc ?? s.nameLoc;
        if (bad === undefined || !at) continue;
        out.push(finding('exim/invalid-value', at.file, at.range,
          `In ${describe(inst)}, headers_add adds "${bad}", which is not a header line ("Name: value"): Exim adds it to the message as it is, and the message then has a malformed header. Put ":" after the header's name.`, RUN_TIME));
      }
    }
  }
  return out;
}

/** The first line of a headers_add value that cannot be a header, if one is written out. */
export function badHeaderLine(value: string): string | undefined {
  let body = value;
  let lines: string[];
  const lead = /^\s*<\s*([^\sA-Za-z0-9])\s*/.exec(value);
  if (lead) {
    body = value.slice(lead[0].length);
    lines = body.split(lead[1]).map((l) => l.trim());
  } else lines = body.split(/\\n|\n/);
  for (const line of lines) {
    // Empty, or a continuation of the line before (folded header).
    if (!line || /^[ \t]/.test(line)) continue;
    const known = /^[^$\\]*/.exec(line)![0];
    const colon = known.indexOf(':');
    if (colon < 0) {
      if (known.length === line.length) return line;
      continue;
    }
    if (colon === 0 || /\s/.test(known.slice(0, colon))) return line;
  }
  return undefined;
}
