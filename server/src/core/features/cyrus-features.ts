// Completion and hover in cyrus.conf and imapd.conf, from the text and the Cyrus catalog.
import type { CheckOptions } from '../options';
import type { LineIndex, Position, Range } from '../text';
import { CYRUS_SECTIONS, cyrusConfArg, cyrusConfArgs, imapdOption, imapdOptionAnyVersion, imapdOptions, type ImapdOptionInfo } from '../catalog/cyrus';
import { CYRUS_PROGRAMS } from '../cyrus/programs';
import type { CompletionEntry, HoverInfo } from './types';
import { SASL_OPTIONS, saslOption, type SaslOption } from './sasl-options';
import { codeOr, factLines } from './markdown';
import { ownEntry } from '../own';

const SWITCH_VALUES = ['yes', 'no', 'on', 'off', 'true', 'false', '1', '0'];

/** The section (upper-cased) whose braces enclose a line, by counting braces from the top. */
function cyrusSectionAt(lines: LineIndex, line: number): string | undefined {
  let current: string | undefined;
  for (let l = 0; l <= line && l < lines.lineCount; l++) {
    const t = lines.lineText(l).replace(/#[^]*$/, '');
    const open = /^\s*(\w+)\s*\{/.exec(t);
    if (open) current = open[1].toUpperCase();
    if (/\}/.test(l === line ? '' : t.slice(open ? t.indexOf('{') : 0))) current = undefined;
  }
  return current;
}

function wordAround(text: string, ch: number, re = /[\w@.-]/): { start: number; end: number } {
  let s = ch, e = ch;
  while (s > 0 && re.test(text[s - 1])) s--;
  while (e < text.length && re.test(text[e])) e++;
  return { start: s, end: e };
}

const rng = (line: number, s: number, e: number): Range => ({ start: { line, character: s }, end: { line, character: e } });

/** Flags of the service programs an Exim + Cyrus setup runs, as their manual pages give them. */
const SERVICE_FLAGS: Record<string, string> = {
  '-C': 'read this imapd.conf instead of the default',
  '-U': 'exit after serving this many connections',
  '-T': 'exit after this many idle seconds (0: never)',
  '-D': 'run the debug_command debugger first',
};
const PROGRAM_FLAGS: Record<string, Record<string, string>> = {
  lmtpd: { ...SERVICE_FLAGS, '-a': 'treat TCP clients as authenticated (preauth): Exim delivering over loopback TCP needs it' },
  imapd: { ...SERVICE_FLAGS, '-s': 'TLS from the first byte (imaps)' },
  pop3d: { ...SERVICE_FLAGS, '-s': 'TLS from the first byte (pop3s)' },
};

/** Inside `cmd="…"`: the program as its first word, then flags it takes that are not there yet. */
function cmdCompletion(words: string[], typing: string, replace: Range): CompletionEntry[] {
  if (!words.length) {
    return [...CYRUS_PROGRAMS].sort().map((prog) => ({ label: prog, kind: 'program' as const, detail: 'Cyrus program', replace }));
  }
  const flags = ownEntry(PROGRAM_FLAGS, words[0].replace(/^.*\//, ''));
  if (!flags || (typing && !typing.startsWith('-'))) return [];
  return Object.entries(flags).filter(([f]) => !words.includes(f)).map(([f, d]) => ({ label: f, kind: 'argument' as const, detail: d, replace }));
}

export function cyrusConfCompletion(lines: LineIndex, p: Position, opts: CheckOptions): CompletionEntry[] {
  const text = lines.lineText(p.line);
  const ch = Math.min(p.character, text.length);
  const before = text.slice(0, ch);
  // master reads `#` as the start of a comment anywhere on a line, even inside quotes.
  if (before.includes('#')) return [];
  const w = wordAround(text, ch, /[\w-]/);
  const replace = rng(p.line, w.start, ch);
  const section = cyrusSectionAt(lines, p.line);
  if (!section) {
    if (/^\s*\w*$/.test(before)) return CYRUS_SECTIONS.map((s) => ({ label: s, kind: 'section' as const, detail: 'cyrus.conf section', insertText: `${s} {\n  \n}`, replace }));
    return [];
  }
  const quotes = (before.match(/"/g) ?? []).length;
  if (quotes % 2 === 1) {
    // Inside a quoted value: only a command line has anything to offer.
    const cmd = /\bcmd\s*=\s*"([^"]*)$/.exec(before);
    if (!cmd) {
      const other = /\b(\w+)\s*=\s*"[\w-]*$/.exec(before);
      const a = other ? cyrusConfArg(section, other[1], opts.cyrusVersion) : undefined;
      return (a?.allowed ?? []).map((v) => ({ label: v, kind: 'value' as const, detail: `${a!.name} value`, replace }));
    }
    const typed = cmd[1].split(/\s+/);
    const typing = typed.pop() ?? '';
    const wr = wordAround(text, ch, /[^\s"]/);
    return cmdCompletion(typed.filter(Boolean), typing, rng(p.line, wr.start, ch));
  }
  const value = /\b(\w+)\s*=\s*[\w-]*$/.exec(before);
  if (value) {
    const a = cyrusConfArg(section, value[1], opts.cyrusVersion);
    // A switch (babysit=) takes the spellings master reads as true or false.
    const values = a?.type === 'switch' && !a.allowed.length ? SWITCH_VALUES : a?.allowed ?? [];
    return values.map((v) => ({ label: v, kind: 'value' as const, detail: `${a!.name} value`, replace }));
  }
  if (/^\s*\w*$/.test(before)) return []; // the entry's own name: the user's choice
  if (/\s[\w-]*$/.test(before)) {
    // Arguments the entry already has (anywhere on its line, outside quotes) are not offered again.
    const present = new Set([...text.replace(/#.*$/, '').replace(/"[^"]*"?/g, '""').matchAll(/(?:^|\s)([\w-]+)\s*=/g)].map((m) => m[1]));
    return cyrusConfArgs(section, opts.cyrusVersion).filter((a) => !present.has(a.name)).map((a) => ({
      label: a.name, kind: 'argument' as const,
      detail: `${a.type}${a.required ? ', required' : ''}${a.default ? `, default ${a.default}` : ''}`,
      insertText: a.type === 'string' ? `${a.name}="` : `${a.name}=`, replace,
    }));
  }
  return [];
}

export function cyrusConfHover(lines: LineIndex, p: Position, opts: CheckOptions): HoverInfo | undefined {
  const text = lines.lineText(p.line);
  const w = wordAround(text, Math.min(p.character, text.length), /[\w-]/);
  const word = text.slice(w.start, w.end);
  if (!word) return undefined;
  const range = rng(p.line, w.start, w.end);
  const section = cyrusSectionAt(lines, p.line);
  if (!section && (CYRUS_SECTIONS as readonly string[]).includes(word.toUpperCase())) {
    return { markdown: `**${word.toUpperCase()}** — cyrus.conf section`, range };
  }
  if (section && text[w.end] === '=') {
    const a = cyrusConfArg(section, word, opts.cyrusVersion);
    if (a) return { markdown: `**${a.name}** — ${section} argument, ${a.type}${a.required ? ' (required)' : ''}\n\nDefault: \`${a.default || 'none'}\`${a.allowed.length ? `\n\nValues: ${a.allowed.map((v) => '`' + v + '`').join(', ')}` : ''}`, range };
    return { markdown: `\`${word}\` is not an argument of ${section} in Cyrus ${opts.cyrusVersion}.`, range };
  }
  if (section && /\bcmd\s*=\s*"[^"]*$/.test(text.slice(0, w.start)) && CYRUS_PROGRAMS.has(word)) {
    return { markdown: `**${word}** — a program Cyrus ships${word === 'lmtpd' ? '\n\n`-a`: treat clients as authenticated (Exim on loopback needs it over TCP).' : ''}`, range };
  }
  return undefined;
}

function imapdDoc(o: ImapdOptionInfo): string {
  const lines = [`**${o.name}** — ${o.type}`, '', `Default: ${o.default === 'NULL' ? 'unset' : codeOr(o.default, 'empty')}`];
  if (o.allowed.length) lines.push(`Values: ${o.allowed.map((v) => '`' + v + '`').join(', ')}`);
  if (o.unit) lines.push(`A bare number is in ${o.unit}.`);
  if (o.deprecatedSince) lines.push(`Deprecated since ${o.deprecatedSince}${o.replacedBy ? `: use \`${o.replacedBy}\`` : ''}.`);
  lines.push(`Since Cyrus ${o.lastModified}${o.inLatest && !o.in36 ? ' (not in 3.6)' : ''}`);
  return factLines(lines);
}

export function imapdCompletion(lines: LineIndex, p: Position, opts: CheckOptions): CompletionEntry[] {
  const text = lines.lineText(p.line);
  const ch = Math.min(p.character, text.length);
  const before = text.slice(0, ch);
  const w = wordAround(text, ch, /[\w-]/);
  const replace = rng(p.line, w.start, ch);
  const val = /^\s*([\w-]+)\s*:\s*([\w-]*)$/.exec(before);
  if (val) {
    const key = val[1].toLowerCase();
    const sasl = saslOption(key);
    if (sasl) return (sasl.values ?? []).map((v) => ({ label: v, kind: 'value' as const, detail: `${sasl.name} value`, replace }));
    const o = imapdOption(key, opts.cyrusVersion) ?? imapdOption(key.replace(/^[a-z0-9]+_/, ''), opts.cyrusVersion);
    if (!o) return [];
    const values = o.type === 'SWITCH' ? SWITCH_VALUES : o.allowed;
    return values.map((v) => ({ label: v, kind: 'value' as const, detail: `${o.name} value`, replace }));
  }
  // `@include: FILE`, the one directive.
  const at = /^\s*@[\w-]*$/.exec(before);
  if (at) {
    const a = before.lastIndexOf('@');
    return [{ label: '@include', kind: 'keyword', detail: 'read another file here', insertText: '@include: ', replace: rng(p.line, a, w.end) }];
  }
  if (/^\s*[\w-]*$/.test(before)) {
    const own = imapdOptions(opts.cyrusVersion);
    const names = new Set(own.map((o) => o.name));
    return [
      ...own.map((o): CompletionEntry => ({
        label: o.name, kind: 'option', detail: `${o.type}${o.default && o.default !== 'NULL' ? `, default ${o.default}` : ''}`,
        documentation: imapdDoc(o), insertText: `${o.name}: `, replace, deprecated: !!o.deprecatedSince,
      })),
      ...SASL_OPTIONS.filter((o) => !names.has(o.name)).map((o): CompletionEntry => ({
        label: o.name, kind: 'option', detail: 'SASL library option', documentation: saslDoc(o), insertText: `${o.name}: `, replace,
      })),
    ];
  }
  return [];
}

function saslDoc(o: SaslOption): string {
  return `**${o.name}** — SASL library option\n\n${o.what}${o.values ? `\n\nValues: ${o.values.map((v) => '`' + v + '`').join(', ')}` : ''}`;
}

export function imapdHover(lines: LineIndex, p: Position, opts: CheckOptions): HoverInfo | undefined {
  const text = lines.lineText(p.line);
  const m = /^(\s*)([\w@-]+)\s*:/.exec(text);
  if (!m) return undefined;
  const s = m[1].length, e = s + m[2].length;
  if (p.character < s || p.character > e) return undefined;
  const key = m[2].toLowerCase();
  const sasl = saslOption(key);
  if (sasl && !imapdOption(key, opts.cyrusVersion)) return { markdown: saslDoc(sasl), range: rng(p.line, s, e) };
  const o = imapdOption(key, opts.cyrusVersion) ?? imapdOptionAnyVersion(key)
    ?? imapdOption(key.replace(/^[a-z0-9]+_/, ''), opts.cyrusVersion);
  if (!o) return { markdown: `\`${m[2]}\` is not an imapd.conf option of Cyrus ${opts.cyrusVersion}.`, range: rng(p.line, s, e) };
  return { markdown: imapdDoc(o) + (o.name !== key ? `\n\n(\`${m[2]}\` sets it for one service only.)` : ''), range: rng(p.line, s, e) };
}
