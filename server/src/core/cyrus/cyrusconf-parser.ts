// Reads cyrus.conf the way master/masterconf.c does: `#` starts a comment anywhere on a
// line (even inside quotes), a section opens with `NAME {` on one line, entry names and
// argument keys are letters and digits only, a value is `"…"` (no escapes) or a word.
// Where master would stop with a fatal error we report cyrus/syntax and read on.
import { finding, type Finding } from '../diagnostic';
import { LineIndex, range } from '../text';
import { CYRUS_CONF_ARG_NAMES, CYRUS_SECTIONS } from '../catalog/cyrus';
import { listenAt, type ServiceTable } from './endpoint';
import { isAlnum, isSpace } from './chars';
import { Arg, Entry, firstArg } from './entry';
import type { CyrusConf, CyrusEntry, CyrusSection, CyrusSectionName, Loc } from './model';
import { commandAt } from './programs';

/** fgets buffer in masterconf.c: longer lines are cut into pieces. */
export const MASTER_LINE_MAX = 4095;
/** Arguments per entry master keeps. */
export const MASTER_MAX_ARGS = 64;
/** A real cyrus.conf has dozens of entries; past this many we stop rather than use unbounded time and memory. */
export const MAX_ENTRIES = 20_000;
/** After this many syntax errors in one file the rest are summarised in one finding. */
const MAX_SYNTAX_FINDINGS = 100;

/**
 * The argument name from `s` to `e`: a name master knows is given as the catalog's string,
 * so thousands of entries share a few names rather than each holding its own copies.
 */
function argName(s: string, start: number, end: number): string {
  const names = ARG_NAMES_BY_LENGTH[end - start];
  if (names) {
    next: for (let i = 0; i < names.length; i++) {
      const n = names[i];
      for (let j = 0; j < n.length; j++) if (s.charCodeAt(start + j) !== n.charCodeAt(j)) continue next;
      return n;
    }
  }
  return s.slice(start, end);
}
const ARG_NAMES_BY_LENGTH: string[][] = [];
for (const n of CYRUS_CONF_ARG_NAMES) (ARG_NAMES_BY_LENGTH[n.length] ??= []).push(n);
/** Where the run of letters and digits from `p` ends. */
const alnumEnd = (s: string, p: number) => { while (p < s.length && isAlnum(s.charCodeAt(p))) p++; return p; };

/**
 * The section a line at `p` opens, matched as masterconf_getsection does: the first letter
 * exactly (`services` is not SERVICES, `Services` is), the rest in any case, and no letter
 * or digit right after the name (`SERVICES-x {` and `SERVICES x {` are SERVICES).
 */
export function masterSection(line: string, p: number): CyrusSectionName | undefined {
  for (const s of CYRUS_SECTIONS) {
    if (line[p] === s[0] && line.slice(p, p + s.length).toUpperCase() === s && !isAlnum(line.charCodeAt(p + s.length))) return s;
  }
  return undefined;
}

export function parseCyrusConf(file: string, text: string, services: ServiceTable): CyrusConf {
  const lines = new LineIndex(text);
  const findings: Finding[] = [];
  let dropped = 0;
  const loc = (l: number, s: number, e: number, el = l): Loc => ({ file, range: range(l, s, el, e) });
  const syntax = (l: number, s: number, e: number, msg: string) => {
    if (findings.length >= MAX_SYNTAX_FINDINGS) { dropped++; return; }
    findings.push(finding('cyrus/syntax', file, range(l, s, l, Math.max(e, s)), msg));
  };

  const sections: CyrusSection[] = [];
  const entries: CyrusEntry[] = [];
  const seenKinds = new Set<string>();
  /** parseEntry's arguments while it reads a line. */
  const scratch: Arg[] = [];
  let current: CyrusSection | undefined;
  /** Master reads this block's entries (false for a repeated or brace-less section). */
  let currentRead = false;
  /** Braces of blocks we skip (outside any section). */
  let skipDepth = 0;
  /** A header line without `{`: the next line may open it. */
  let pendingHeader: { line: number; name: string; start: number } | undefined;

  /** `empty`: a header whose braces close on its own line, which master does not count as the section. */
  const openSection = (name: string, kind: CyrusSectionName | undefined, headerLine: number, start: number, end: number, empty = false): void => {
    current = { name, kind, headerLoc: loc(headerLine, start, end), blockLoc: loc(headerLine, start, end), entries: [] };
    sections.push(current);
    currentRead = true;
    if (kind && seenKinds.has(kind)) {
      syntax(headerLine, start, start + name.length, `A second ${kind} section: master reads only the first one and ignores this one. Move these entries into the first ${kind} block.`);
      currentRead = false;
    }
    if (kind && !empty) seenKinds.add(kind);
  };
  const closeSection = (line: number, endChar: number): void => {
    if (current) current.blockLoc = { file, range: { start: current.headerLoc.range.start, end: { line, character: endChar } } };
    current = undefined;
  };

  for (let ln = 0; ln < lines.lineCount; ln++) {
    let raw = lines.lineText(ln);
    if (raw.length > MASTER_LINE_MAX) {
      syntax(ln, MASTER_LINE_MAX, raw.length, `This line is ${raw.length} characters long; master reads at most ${MASTER_LINE_MAX} per line and treats the rest as a new line. Shorten it.`);
    }
    const nul = raw.indexOf('\0');
    if (nul >= 0) {
      syntax(ln, nul, nul + 1, 'A NUL byte: master stops reading the line here. Is this a text file?');
      raw = raw.slice(0, nul);
    }
    let p = 0;
    while (p < raw.length && isSpace(raw.charCodeAt(p))) p++;
    const hash = raw.indexOf('#', p);
    const body = hash >= 0 ? raw.slice(0, hash) : raw;
    let end = body.length;
    while (end > p && isSpace(body.charCodeAt(end - 1))) end--;
    if (p >= end) continue;

    if (pendingHeader) {
      const ph = pendingHeader;
      pendingHeader = undefined;
      if (body[p] === '{') {
        syntax(ph.line, ph.start, ph.start + ph.name.length, `Put '{' on the same line as ${ph.name}: master only opens a section when the brace follows the name on its line, so it ignores this whole section.`);
        openSection(ph.name, masterSection(ph.name, 0), ph.line, ph.start, ph.start + ph.name.length);
        currentRead = false;
        if (current) current.headerLoc = loc(ph.line, ph.start, ph.start + ph.name.length);
        const rest = body.slice(p + 1, end).trim();
        if (rest) syntax(ln, p + 1, end, 'Master ignores text after the opening brace: start entries on the next line.');
        continue;
      }
      syntax(ph.line, ph.start, ph.start + ph.name.length, `'${ph.name}' outside any section: master ignores it. Sections are START, SERVICES, EVENTS, DAEMON, each written 'NAME {'.`);
    }

    if (skipDepth > 0) {
      for (let i = p; i < end; i++) { if (body[i] === '{') skipDepth++; else if (body[i] === '}') skipDepth--; if (skipDepth === 0) break; }
      continue;
    }

    if (!current) {
      const known = masterSection(body, p);
      const word = body.slice(p, known ? p + known.length : alnumEnd(body, p));
      let q = p + word.length;
      // Master ignores whatever stands between a section's name and its brace.
      if (known) while (q < end && body[q] !== '{' && body[q] !== '}') q++;
      while (q < end && isSpace(body.charCodeAt(q))) q++;
      if (word && body[q] === '{') {
        let depth = 0;
        for (let i = q; i < end; i++) { if (body[i] === '{') depth++; else if (body[i] === '}') depth--; }
        openSection(word, known, ln, p, p + word.length, depth === 0);
        if (depth === 0) { closeSection(ln, end); continue; }
        if (depth !== 1) syntax(ln, q, end, 'Unbalanced braces on a section header line.');
        const rest = body.slice(q + 1, end).trim();
        if (rest) syntax(ln, q + 1, end, 'Master ignores text after the opening brace: start entries on the next line.');
        continue;
      }
      if (word && q >= end) { pendingHeader = { line: ln, name: word, start: p }; continue; }
      syntax(ln, p, end, body[p] === '}' ? "A '}' without a section to close." : "Text outside any section: master ignores it. Entries belong inside 'SERVICES {' … '}' (or START, EVENTS, DAEMON).");
      for (let i = p; i < end; i++) { if (body[i] === '{') skipDepth++; else if (body[i] === '}' && skipDepth > 0) skipDepth--; }
      continue;
    }

    // Inside a section.
    if (body[p] === '}') {
      closeSection(ln, p + 1);
      if (body.slice(p + 1, end).trim()) syntax(ln, p + 1, end, "Master ignores the rest of a line after '}': put it on its own line.");
      continue;
    }
    const nameEnd = alnumEnd(body, p);
    let brace = nameEnd;
    while (body[brace] === ' ' || body[brace] === '\t') brace++;
    const header = nameEnd > p && body[brace] === '{' ? body.slice(p, nameEnd) : undefined;
    if (header !== undefined && (CYRUS_SECTIONS as readonly string[]).includes(header.toUpperCase())) {
      const sec = current as CyrusSection;
      syntax(sec.headerLoc.range.start.line, sec.headerLoc.range.start.character, sec.headerLoc.range.end.character,
        `The ${sec.name} section is not closed before ${header} starts (line ${ln + 1}): add a line with '}'.`);
      closeSection(ln > 0 ? ln - 1 : 0, ln > 0 ? lines.lineText(ln - 1).length : 0);
      ln--; // read this line again as a header
      continue;
    }
    if (entries.length >= MAX_ENTRIES) {
      findings.push(finding('cyrus/syntax', file, range(ln, 0, ln, 0),
        `This file has more than ${MAX_ENTRIES} entries; it was checked only up to here. Is this really a cyrus.conf?`, { severity: 'warning' }));
      current = undefined;
      break;
    }
    const entry = parseEntry(ln, body, p, nameEnd, end);
    if (entry && current) {
      current.entries.push(entry);
      if (current.kind && currentRead) entries.push(entry);
    }
  }
  if (pendingHeader) {
    const ph = pendingHeader;
    syntax(ph.line, ph.start, ph.start + ph.name.length, `'${ph.name}' outside any section: master ignores it. Write '${ph.name} {' to open a section.`);
  }
  if (current) {
    const sec = current as CyrusSection;
    const last = lines.lineCount - 1;
    // Master reads to the end of the file without complaint, so this is only a warning.
    if (findings.length < MAX_SYNTAX_FINDINGS) {
      findings.push(finding('cyrus/syntax', file, sec.headerLoc.range,
        `The ${sec.name} section has no closing '}'. Master reads on to the end of the file; add '}' after its last entry.`, { severity: 'warning' }));
    }
    closeSection(last, lines.lineText(last).length);
  }
  if (dropped) findings.push(finding('cyrus/syntax', file, range(0, 0, 0, 0), `${dropped} more syntax errors not shown. Is this really a cyrus.conf?`));

  /** `nameEnd`: where the letters and digits from `p` end. */
  function parseEntry(ln: number, body: string, p: number, nameEnd: number, end: number): CyrusEntry | undefined {
    const name = body.slice(p, nameEnd);
    let q = nameEnd;
    if (q < end && !isSpace(body.charCodeAt(q))) {
      if (name) syntax(ln, q, q + 1, `Bad character '${body[q]}' in the entry name '${name}${body[q]}…': names are letters and digits only (master refuses to start).`);
      else syntax(ln, p, end, 'An entry must start with its name (letters and digits), then key=value arguments.');
      return undefined;
    }
    const sec = current!;
    // Gathered in one array reused for every entry, then copied: each entry keeps an array
    // its size, not one grown by push (which holds room for 17).
    const args = scratch;
    args.length = 0;
    let truncated = false;
    for (;;) {
      while (q < end && isSpace(body.charCodeAt(q))) q++;
      if (q >= end) break;
      const ks = q;
      q = alnumEnd(body, q);
      const key = argName(body, ks, q);
      if (body[q] !== '=') {
        const what = q >= end ? 'the end of the line' : isSpace(body.charCodeAt(q)) ? 'white space' : `'${body[q]}'`;
        syntax(ln, q >= end ? ks : q, q >= end ? end : q + 1, key
          ? `Expected '=' after '${key}' but found ${what}: arguments are key=value (master refuses to start).`
          : `Bad character ${what} where an argument should start: arguments are key=value with a name of letters and digits.`);
        truncated = true;
        break;
      }
      if (!key) { syntax(ln, ks, ks + 1, "An argument without a name before '='."); }
      q++;
      let value: string, vs: number, ve: number, quoted = false, argEnd: number;
      if (body[q] === '"') {
        quoted = true;
        vs = q + 1;
        const close = body.indexOf('"', vs);
        if (close < 0) {
          const hashAfter = hashInRaw(ln, vs);
          syntax(ln, q, hashAfter ?? end, hashAfter !== undefined
            ? "'#' starts a comment even inside quotes, so this quote is never closed (master refuses to start). Avoid '#' in cyrus.conf values."
            : 'Missing closing \'"\' (master refuses to start).');
          truncated = true;
          break;
        }
        ve = close;
        value = body.slice(vs, ve);
        argEnd = q = close + 1;
      } else {
        vs = q;
        while (q < body.length && !isSpace(body.charCodeAt(q))) q++;
        ve = q;
        value = body.slice(vs, ve);
        argEnd = q;
      }
      if (args.length === MASTER_MAX_ARGS) {
        syntax(ln, ks, argEnd, `More than ${MASTER_MAX_ARGS} arguments on one line (master refuses to start).`);
        truncated = true;
        break;
      }
      args.push(new Arg(key, value, quoted, file, ln, ks));
    }
    const entry = new Entry(sec.kind ?? sec.name, name, args.slice(), firstArg(args, 'proto')?.value ?? 'tcp', file, ln, p, end);
    if (truncated) entry.truncated = true;
    const cmd = firstArg(args, 'cmd');
    if (cmd) entry.cmd = commandAt(cmd.value, cmd);
    const listen = firstArg(args, 'listen');
    if (listen && sec.kind === 'SERVICES') {
      const r = listenAt(listen.value, entry.proto, services, listen);
      entry.listen = r.endpoint;
      if (r.problem) entry.listenProblem = r.problem;
    }
    return entry;
  }

  /** Where a '#' cut the line after `from` (the raw line still has it). */
  function hashInRaw(ln: number, from: number): number | undefined {
    const i = lines.lineText(ln).indexOf('#', from);
    return i >= 0 ? i : undefined;
  }

  return { file, text, lines, sections, entries, parseFindings: findings };
}
