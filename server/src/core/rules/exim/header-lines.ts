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
import type { ExpansionNode } from '../../exim/expansion';
import { atOffsets, parseExpansion, walkExpansion } from '../../exim/expansion-parser';

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

/**
 * The first line of a headers_add value that cannot be a header, if one is written out.
 * The value is read as Exim expands it: a `\n` outside any `${...}` starts a line, and what
 * an expansion gives is unknown (its braces are no text of the line). A line that is a
 * `${if}` alone becomes one of its branches, so each branch is judged as lines of its own.
 */
export function badHeaderLine(value: string): string | undefined {
  const lead = /^\s*<\s*([^\sA-Za-z0-9])\s*/.exec(value);
  // A list separator splits the value before it is expanded, inside braces or not.
  const items = lead ? value.slice(lead[0].length).split(lead[1]).map((l) => l.trim()) : [value];
  for (const item of items) {
    const nodes = parseExpansion(item, atOffsets);
    // A malformed expansion fails whole (expansion-syntax's finding): it adds no header.
    for (const n of walkExpansion(nodes)) if (n.kind === 'error') return undefined;
    const bad = badLine(nodes, item);
    if (bad !== undefined) return bad;
  }
  return undefined;
}


/** A piece of a line, from a to b in the value: text added as it is, or an expansion's result (node). */
interface Piece { text?: string; node?: ExpansionNode; a: number; b: number }

function badLine(nodes: readonly ExpansionNode[], src: string): string | undefined {
  for (const line of linesOf(nodes)) {
    const solid = line.filter((p) => p.text === undefined || p.text.trim());
    const only = solid.length === 1 ? solid[0].node : undefined;
    if (only?.kind === 'item' && only.name === 'if') {
      for (const branch of only.args.slice(1)) {
        const bad = badLine(branch, src);
        if (bad !== undefined) return bad;
      }
      continue;
    }
    let known = '';
    let i = 0;
    for (; i < line.length && line[i].text !== undefined; i++) known += line[i].text;
    const whole = i === line.length;
    // Empty, or a continuation of the line before (folded header).
    if (!known || /^[ \t]/.test(known)) continue;
    const colon = known.indexOf(':');
    if (colon < 0 ? whole : colon === 0 || /\s/.test(known.slice(0, colon))) {
      return src.slice(line[0].a, line[line.length - 1].b).trim();
    }
  }
  return undefined;
}

/** The pieces of each line that nodes give, split where a `\n` (or a newline) is written. */
function linesOf(nodes: readonly ExpansionNode[]): Piece[][] {
  const lines: Piece[][] = [[]];
  for (const n of nodes) {
    const a = n.range.start.character;
    const b = n.range.end.character;
    if (n.kind === 'escape' && n.text === '\\n') lines.push([]);
    else if (n.kind === 'escape' && n.text === '\\t') lines[lines.length - 1].push({ text: '\t', a, b });
    else if (n.kind === 'text') {
      let from = a;
      for (const t of n.text.split('\n')) {
        if (from > a) lines.push([]);
        lines[lines.length - 1].push({ text: t, a: from, b: from + t.length });
        from += t.length + 1;
      }
    } else lines[lines.length - 1].push({ node: n, a, b });
  }
  return lines;
}
