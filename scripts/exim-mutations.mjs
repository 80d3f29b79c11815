// What the Exim mutation tools share: seeded randomness, what each line of an Exim conf is,
// the mutation kinds, running the real programs and our checker, Exim's verdict from its
// stderr, and the summary table and report of disagreements. mutate-corpus.mjs mutates the
// test-suite confs with them, mutate-debian.mjs Debian's conf.d parts and template,
// mutate-runtime.mjs configs judged at run time.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// ---- running the real programs and ours -----------------------------------------------
/**
 * Runs a program to its end (killed after 30 s): { code, stdout, stderr, timedOut }. With
 * `input`, it is written to the program's stdin; without, stdin is closed.
 */
export function runProgram(cmd, argv, { cwd, env, input } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, 30_000);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    if (input !== undefined) {
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: -1, stdout, stderr: String(e), timedOut }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, timedOut }); });
  });
}

/** `fn` over `items` with at most `jobs` at a time; results in the items' order. */
export async function pool(items, jobs, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i], i); }
  }));
  return out;
}

/** Our findings on an Exim config (file or conf.d); an exception is a finding of its own, not the end of the run. */
export function oursOn(checkProject, file, opts, host) {
  try {
    return checkProject([{ path: file, kind: 'exim' }], opts, host);
  } catch (e) {
    return [{ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'internal', message: `EXCEPTION ${e.stack}` }];
  }
}
export const errorsOf = (findings) => findings.filter((f) => f.severity === 'error');

// ---- seeded randomness (mulberry32) -------------------------------------------------
export function rng(s) {
  let a = s >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)] };
}

// ---- what each line of a conf is ----------------------------------------------------
export const VERBS = ['accept', 'defer', 'deny', 'discard', 'drop', 'require', 'warn'];
export const DRIVER_SECTIONS = new Set(['routers', 'transports', 'authenticators']);
const DRIVERS = {
  routers: ['accept', 'dnslookup', 'ipliteral', 'iplookup', 'manualroute', 'queryprogram', 'redirect'],
  transports: ['appendfile', 'autoreply', 'lmtp', 'pipe', 'smtp'],
  authenticators: ['cram_md5', 'cyrus_sasl', 'dovecot', 'external', 'plaintext', 'spa', 'tls'],
};
const LIST_DEF = /^(\s*)((?:domain|host|address|localpart)list(?:_cache)?)(\s+)([A-Za-z0-9_.-]+)(\s*=)/;

/**
 * One record per physical line: its section and what it holds, continuations marked. A conf
 * starts in `section` (a conf.d part in its directory's section, without a `begin` line).
 */
export function classify(lines, section = 'main') {
  let continued = false;
  return lines.map((raw, n) => {
    const rec = { n, raw, section, cont: continued, kind: 'other' };
    const t = raw.trim();
    continued = /\\\s*$/.test(raw) && !t.startsWith('#');
    if (rec.cont) { rec.kind = 'continuation'; return rec; }
    if (!t) rec.kind = 'blank';
    else if (t.startsWith('#')) rec.kind = 'comment';
    else if (/^\.(ifdef|ifndef|elifdef|elifndef|else|endif|include|include_if_exists)\b/.test(t)) rec.kind = 'directive';
    else if (/^begin\s+\S+\s*$/.test(t)) { section = t.split(/\s+/)[1]; rec.kind = 'begin'; rec.section = section; }
    else if (/^[A-Z][A-Za-z0-9_]*\s*==?/.test(t)) rec.kind = 'macro';
    else if (LIST_DEF.test(raw) && section === 'main') rec.kind = 'listdef';
    else if ((DRIVER_SECTIONS.has(section) || section === 'acl') && /^[A-Za-z0-9_.-]+\s*:(\s|$)/.test(t)) rec.kind = 'header';
    else if (section === 'acl') {
      const w = /^!?\s*([a-z_]+)/.exec(t)?.[1];
      rec.kind = VERBS.includes(w) ? 'verb' : /^!?\s*[a-z_]+\s*=/.test(t) ? 'condition' : 'other';
    } else if (section === 'main' || DRIVER_SECTIONS.has(section)) {
      if (/^(hide\s+)?[a-z][a-z0-9_]*\s*(=|$)/.test(t)) rec.kind = 'option';
    }
    return rec;
  });
}

// ---- the mutations ------------------------------------------------------------------
const LETTERS = 'abcdefghijklmnopqrstuvwxyz_';

/** One-character change of a word (substitute, drop, insert or swap), never the word itself. */
export function misspell(r, word) {
  for (let tries = 0; tries < 20; tries++) {
    const i = r.int(word.length);
    const c = r.pick([...LETTERS]);
    const out = [
      () => word.slice(0, i) + c + word.slice(i + 1),
      () => word.length > 2 ? word.slice(0, i) + word.slice(i + 1) : word + c,
      () => word.slice(0, i) + c + word.slice(i),
      () => i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word + c,
    ][r.int(4)]();
    if (out !== word) return out;
  }
  return word + 'x';
}

const replaceLine = (lines, n, text) => [...lines.slice(0, n), ...[].concat(text), ...lines.slice(n + 1)];
const insertAt = (lines, n, text) => [...lines.slice(0, n), ...[].concat(text), ...lines.slice(n)];
const of = (recs, ...kinds) => recs.filter((x) => kinds.includes(x.kind));
/** The option line's parts: indent, `hide `, `no_`/`not_`, name, rest. */
// `s`: a line an earlier (lexical) mutation put a lone CR or U+2028 into is still an option.
const OPTION = /^(\s*)(hide\s+)?(no_|not_)?([a-z][a-z0-9_]*)(.*)$/s;
/** The line after the instance header (or section) the record belongs to ends. */
function blockEnd(recs, n) {
  let e = n + 1;
  while (e < recs.length && !['header', 'begin'].includes(recs[e].kind) && recs[e].section === recs[n].section) e++;
  while (e > n + 1 && ['blank', 'comment'].includes(recs[e - 1].kind)) e--;
  return e;
}

/**
 * The mutation kinds. Each takes the randomness, the lines and their records (classify)
 * and returns the mutated lines, or undefined when the conf has no place for it.
 * `donors()` gives single-line settings taken from other confs, by where they can go.
 */
export function eximMutations(donors) {
  return {
    'misspell-option'(r, lines, recs) {
      const x = r.pick(of(recs, 'option'));
      if (!x) return;
      const [, ind, hide = '', neg = '', name, rest] = OPTION.exec(x.raw);
      if (name === 'driver' && r.next() < 0.5) return;
      return replaceLine(lines, x.n, ind + hide + neg + misspell(r, name) + rest);
    },
    'negate-bool'(r, lines, recs) {
      const x = r.pick(of(recs, 'option'));
      if (!x) return;
      const [, ind, hide = '', neg = '', name, rest] = OPTION.exec(x.raw);
      if (neg) return replaceLine(lines, x.n, ind + hide + (r.next() < 0.7 ? '' : neg === 'no_' ? 'not_' : 'no_') + name + rest);
      return replaceLine(lines, x.n, ind + hide + r.pick(['no_', 'no_', 'not_']) + name + rest);
    },
    'wrong-type'(r, lines, recs) {
      const xs = of(recs, 'option').filter((x) => {
        const v = /=\s*(.*?)\s*$/.exec(x.raw)?.[1];
        return v === undefined ? true : /^(true|false|yes|no|\d+[KMGkmg]?|(\d+[smhdw])+|\d+\.\d+)$/.test(v);
      });
      const x = r.pick(xs);
      if (!x) return;
      const m = /^(.*?=\s*)(.*?)(\s*)$/s.exec(x.raw);
      if (!m) return replaceLine(lines, x.n, x.raw.trimEnd() + ' = ' + r.pick(['sometimes', '17', '5q', 'yes please']));
      const v = m[2];
      const bad = /^(true|false|yes|no)$/.test(v) ? r.pick(['maybe', '2', 'on', 'truee'])
        : /^\d+[KMGkmg]?$/.test(v) ? r.pick(['many', '12q', '1.5.', '-', '0x', '99999999999999999999'])
          : r.pick(['5x', 'soon', '1d2', '-3s', '5mm']);
      return replaceLine(lines, x.n, m[1] + bad + m[3]);
    },
    'driver-name'(r, lines, recs) {
      const xs = recs.filter((x) => x.kind === 'option' && /^\s*driver\s*=\s*\S+\s*$/.test(x.raw) && DRIVER_SECTIONS.has(x.section));
      const x = r.pick(xs);
      if (!x) return;
      const [, head, name] = /^(\s*driver\s*=\s*)(\S+)\s*$/s.exec(x.raw);
      const other = Object.keys(DRIVERS).filter((s) => s !== x.section);
      const next = [
        () => misspell(r, name),
        () => r.pick(DRIVERS[x.section].filter((d) => d !== name)),
        () => r.pick(DRIVERS[r.pick(other)]),
      ][r.int(3)]();
      return replaceLine(lines, x.n, head + next);
    },
    'delete-line'(r, lines, recs) {
      const x = r.pick(recs.filter((y) => !['blank', 'comment'].includes(y.kind)));
      return x && replaceLine(lines, x.n, []);
    },
    'duplicate-line'(r, lines, recs) {
      const x = r.pick(recs.filter((y) => !['blank', 'comment', 'continuation'].includes(y.kind) && !/\\\s*$/.test(y.raw)));
      return x && insertAt(lines, x.n, x.raw);
    },
    'rename-definition'(r, lines, recs) {
      const x = r.pick(of(recs, 'header', 'listdef'));
      if (!x) return;
      if (x.kind === 'listdef') {
        const m = LIST_DEF.exec(x.raw);
        return replaceLine(lines, x.n, x.raw.replace(LIST_DEF, `${m[1]}${m[2]}${m[3]}${misspell(r, m[4])}${m[5]}`));
      }
      const m = /^(\s*)([A-Za-z0-9_.-]+)(\s*:.*)$/s.exec(x.raw);
      return replaceLine(lines, x.n, m[1] + misspell(r, m[2]) + m[3]);
    },
    'rename-reference'(r, lines, recs) {
      const sites = [];
      for (const x of recs) {
        if (['comment', 'blank', 'directive', 'begin', 'macro'].includes(x.kind)) continue;
        const ref = /^(\s*(?:transport|pass_router|redirect_router|acl_smtp_[a-z_]+|acl_not_smtp[a-z_]*|acl|[a-z_]*_transport)\s*=\s*)([A-Za-z0-9_.-]+)\s*$/s.exec(x.raw);
        if (ref) sites.push({ x, at: ref[1].length, word: ref[2] });
        for (const m of x.raw.matchAll(/(?<![\w$])\+([A-Za-z_][A-Za-z0-9_.-]*)/g)) sites.push({ x, at: m.index + 1, word: m[1] });
      }
      const s = r.pick(sites);
      if (!s) return;
      return replaceLine(lines, s.x.n, s.x.raw.slice(0, s.at) + misspell(r, s.word) + s.x.raw.slice(s.at + s.word.length));
    },
    'break-expansion'(r, lines, recs) {
      const xs = recs.filter((x) => !['comment', 'blank'].includes(x.kind) && x.raw.includes('${'));
      const x = r.pick(xs);
      if (!x) return;
      const names = [...x.raw.matchAll(/\$\{(?:if\s+!?|(?:and|or)\s*\{\s*\{?)?([a-z_0-9]+)/g)];
      if (names.length && r.next() < 0.5) {
        const m = r.pick(names);
        const at = m.index + m[0].length - m[1].length;
        return replaceLine(lines, x.n, x.raw.slice(0, at) + misspell(r, m[1]) + x.raw.slice(at + m[1].length));
      }
      const braces = [...x.raw.matchAll(/[{}]/g)];
      const b = r.pick(braces);
      return replaceLine(lines, x.n, x.raw.slice(0, b.index) + x.raw.slice(b.index + 1));
    },
    'acl-verb'(r, lines, recs) {
      const x = r.pick(of(recs, 'verb'));
      if (!x) return;
      const m = /^(\s*!?\s*)([a-z_]+)(.*)$/s.exec(x.raw);
      const next = r.next() < 0.6 ? misspell(r, m[2]) : r.pick(VERBS.filter((v) => v !== m[2]));
      return replaceLine(lines, x.n, m[1] + next + m[3]);
    },
    'acl-condition'(r, lines, recs) {
      const sites = [];
      for (const x of of(recs, 'verb', 'condition')) {
        const re = x.kind === 'verb' ? /^(\s*[a-z_]+\s+!?\s*)([a-z_]+)(\s*=)/ : /^(\s*!?\s*)([a-z_]+)(\s*=)/;
        const m = re.exec(x.raw);
        if (m) sites.push({ x, m });
      }
      const s = r.pick(sites);
      if (!s) return;
      const { x, m } = s;
      return replaceLine(lines, x.n, m[1] + misspell(r, m[2]) + x.raw.slice(m[1].length + m[2].length));
    },
    'unbalance-ifdef'(r, lines, recs) {
      const ends = recs.filter((x) => x.kind === 'directive' && /^\s*\.endif\b/.test(x.raw));
      const ifs = recs.filter((x) => x.kind === 'directive' && /^\s*\.ifn?def\b/.test(x.raw));
      const choice = r.int(5);
      if (choice === 0 && ends.length) return replaceLine(lines, r.pick(ends).n, []);
      if (choice === 1 && ifs.length) return replaceLine(lines, r.pick(ifs).n, []);
      const at = r.pick(recs.filter((x) => x.kind !== 'continuation')).n;
      return insertAt(lines, at, r.pick(['.endif', '.else', '.ifdef MUTANT_MACRO', '.ifndef MUTANT_MACRO', '.elifdef MUTANT_MACRO', '.ifdef']));
    },
    'stray-begin'(r, lines, recs) {
      const at = r.pick(recs.filter((x) => x.kind !== 'continuation')).n;
      return insertAt(lines, at, 'begin ' + r.pick(['routers', 'transports', 'acl', 'authenticators', 'retry', 'rewrite', 'local_scan', 'router', 'begin']));
    },
    'duplicate-instance'(r, lines, recs) {
      const x = r.pick(of(recs, 'header', 'listdef'));
      if (!x) return;
      if (x.kind === 'listdef') return insertAt(lines, x.n + 1, x.raw);
      const end = blockEnd(recs, x.n);
      return insertAt(lines, end, lines.slice(x.n, end));
    },
    // Settings taken from the other confs: values, pairs of options and ACL conditions
    // Exim accepts somewhere, tried somewhere else.
    'transplant-option'(r, lines, recs) {
      const sites = [];
      for (const x of recs) {
        if (x.kind === 'option' && x.section === 'main' && !/\\\s*$/.test(x.raw)) sites.push({ at: x.n + 1, key: 'main' });
        const d = x.kind === 'option' && DRIVER_SECTIONS.has(x.section) && /^\s*driver\s*=\s*([a-z_]+)\s*$/s.exec(x.raw);
        if (d) sites.push({ at: x.n + 1, key: `${x.section}:${d[1]}` });
      }
      const site = r.pick(sites);
      const pool = site && donors().get(site.key);
      if (!pool?.length) return;
      return insertAt(lines, site.at, r.pick(pool));
    },
    'transplant-acl'(r, lines, recs) {
      const verbs = of(recs, 'verb').filter((x) => !/\\\s*$/.test(x.raw));
      const x = r.pick(verbs);
      if (!x) return;
      if (r.next() < 0.7) return insertAt(lines, x.n + 1, r.pick(donors().get('acl-condition')));
      return insertAt(lines, x.n, r.pick(donors().get('acl-verb')));
    },
    'split-line'(r, lines, recs) {
      const sites = [];
      for (const x of of(recs, 'option', 'condition', 'verb', 'listdef')) {
        if (/\\\s*$/.test(x.raw)) continue;
        const eq = x.raw.indexOf('=');
        if (eq < 0) continue;
        for (const m of x.raw.slice(eq + 1).matchAll(/ +(?=\S)/g)) sites.push({ x, at: eq + 1 + m.index });
      }
      const s = r.pick(sites);
      if (!s) return;
      const { x, at } = s;
      return replaceLine(lines, x.n, [x.raw.slice(0, at) + ' \\', '    ' + x.raw.slice(at).trimStart()]);
    },
    'hide-option'(r, lines, recs) {
      const x = r.pick(of(recs, 'option').filter((y) => !/^\s*hide\s/.test(y.raw)));
      if (!x) return;
      const [, ind, rest] = /^(\s*)(.*)$/s.exec(x.raw);
      return replaceLine(lines, x.n, ind + 'hide ' + rest);
    },
    'swap-lines'(r, lines, recs) {
      const xs = recs.filter((y, i) => i + 1 < recs.length && !['blank', 'comment', 'continuation'].includes(y.kind)
        && !['blank', 'comment', 'continuation'].includes(recs[i + 1].kind) && !/\\\s*$/.test(y.raw) && !/\\\s*$/.test(recs[i + 1].raw));
      const x = r.pick(xs);
      if (!x) return;
      return replaceLine(replaceLine(lines, x.n, lines[x.n + 1]), x.n + 1, lines[x.n]);
    },
    'respace'(r, lines, recs) {
      const x = r.pick(of(recs, 'option', 'condition', 'listdef').filter((y) => y.raw.includes('=')));
      if (!x) return;
      const out = r.pick([
        () => x.raw.replace(/\s*=\s*/, '='),
        () => x.raw.replace(/\s*=\s*/, '\t=\t'),
        () => x.raw.replace(/^\s*/, ''),
        () => x.raw.replace(/^\s*/, '\t\t'),
        () => x.raw + '   ',
      ])();
      return replaceLine(lines, x.n, out);
    },
    'quote-value'(r, lines, recs) {
      const x = r.pick(of(recs, 'option', 'condition').filter((y) => /=\s*[^"\s]/.test(y.raw) && !/\\\s*$/.test(y.raw)));
      if (!x) return;
      const m = /^(.*?=\s*)(.*?)(\s*)$/s.exec(x.raw);
      // Now and then with a space inside the quotes, which Exim keeps (a word option then fails).
      const pad = r.int(3);
      const inner = m[2].replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      return replaceLine(lines, x.n, `${m[1]}"${pad === 1 ? ' ' : ''}${inner}${pad === 2 ? ' ' : ''}"${m[3]}`);
    },
    'recase-word'(r, lines, recs) {
      const x = r.pick(recs.filter((y) => /=\s*(true|false|yes|no)\s*$/i.test(y.raw)));
      if (!x) return;
      return replaceLine(lines, x.n, x.raw.replace(/(=\s*)(\w+)(\s*)$/, (_, a, w, b) => a + r.pick([w.toUpperCase(), w[0].toUpperCase() + w.slice(1)]) + b));
    },
    'macroize'(r, lines, recs) {
      const x = r.pick(of(recs, 'option', 'condition').filter((y) => /=\s*\S/.test(y.raw) && !/\\\s*$/.test(y.raw) && !y.raw.includes('MUTMAC')));
      if (!x) return;
      const m = /^(.*?=\s*)(.*?)(\s*)$/s.exec(x.raw);
      const first = recs.find((y) => !['blank', 'comment'].includes(y.kind))?.n ?? 0;
      return insertAt(replaceLine(lines, x.n, m[1] + 'MUTMAC' + m[3]), first, `MUTMAC = ${m[2]}`);
    },
    'wrap-ifdef'(r, lines, recs) {
      const starts = recs.filter((y) => !y.cont);
      const a = r.pick(starts);
      if (!a) return;
      let b = a.n + 1 + r.int(4);
      while (b < recs.length && recs[b].cont) b++;
      b = Math.min(b, lines.length);
      const open = r.pick(['.ifdef MUTANT_MACRO', '.ifndef MUTANT_MACRO', '.ifdef _HAVE_TLS', '.ifndef _HAVE_TLS']);
      return [...lines.slice(0, a.n), open, ...lines.slice(a.n, b), '.endif', ...lines.slice(b)];
    },
    'insert-noise'(r, lines, recs) {
      const at = r.pick(recs.filter((x) => !x.cont)).n;
      return insertAt(lines, at, r.pick(['# mutant comment', '', '   ', '.include_if_exists /nonexistent/mutant', '\t# indented comment']));
    },
  };
}

// ---- lexical mutations ----------------------------------------------------------------
// What Exim's line reader meets before any option is looked at: line ends, bytes, white
// space, continuations, comments, macros, directives, quoting. A mutant is its lines as
// Latin-1 text (one character a byte); `trailing` on the array says whether the file ends in
// a line break (else as the original did), `aux` is the text of a second file, written
// beside the mutant, whose path replaces AUX_FILE in the lines.
export const AUX = 'AUX_FILE';
const CTRL = ['\f', '\v', '\x01', '\x1b', '\x7f'];
const BYTES = ['\xe9', '\xff', '\xc3\x28', '\xe2\x82', '\xc3\xa9', '\x80'];
const ESCAPES = ['\\n', '\\t', '\\x41', '\\x4', '\\101', '\\0', '\\\\', '\\"', '\\q', '\\$', '\\'];
const with_ = (lines, props) => Object.assign(lines, props);
/** Option, condition or list lines with a value after `=`, not continued. */
const valued = (recs) => of(recs, 'option', 'condition', 'listdef').filter((y) => /=\s*\S/.test(y.raw) && !/\\\s*$/.test(y.raw) && !y.cont && !(recs[y.n + 1]?.cont));
/** A place in the value of one of them: [record, offset]. */
function inValue(r, recs) {
  const x = r.pick(valued(recs));
  if (!x) return [];
  const v = /=\s*/.exec(x.raw);
  const a = v.index + v[0].length;
  return [x, a + r.int(x.raw.trimEnd().length - a + 1)];
}
const at = (s, i, t) => s.slice(0, i) + t + s.slice(i);

export function lexicalMutations() {
  return {
    'lex-lone-cr'(r, lines, recs) {
      // A CR that is not before a LF: between two lines (Exim's fgets reads on to the LF), or in a value.
      if (r.next() < 0.5) {
        const x = r.pick(recs.filter((y, i) => i + 1 < recs.length && !y.cont && y.kind !== 'blank'));
        return x && replaceLine(lines, x.n, [x.raw + '\r' + lines[x.n + 1]]).filter((_, i) => i !== x.n + 1);
      }
      const [x, i] = inValue(r, recs);
      return x && replaceLine(lines, x.n, at(x.raw, i, '\r'));
    },
    'lex-crlf'(r, lines, recs) {
      const c = r.int(4);
      if (c === 0) return lines.map((l) => l + '\r');
      const x = r.pick(recs.filter((y) => c === 1 || y.kind === ['', '', 'directive', 'begin'][c] || (c === 2 && y.kind === 'header')));
      return x && replaceLine(lines, x.n, x.raw + '\r');
    },
    'lex-bom'(r, lines) {
      if (r.next() < 0.5) return replaceLine(lines, 0, '\xef\xbb\xbf' + lines[0]);
      return with_(insertAt(lines, 0, `.include ${AUX}`), { aux: '\xef\xbb\xbf# included\n' });
    },
    'lex-nul'(r, lines, recs) {
      const x = r.pick(of(recs, 'comment'));
      if (x && r.next() < 0.4) return replaceLine(lines, x.n, at(x.raw, r.int(x.raw.length + 1), '\0'));
      const [y, i] = inValue(r, recs);
      return y && replaceLine(lines, y.n, at(y.raw, i, '\0'));
    },
    'lex-control'(r, lines, recs) {
      const c = r.pick(CTRL);
      if (r.next() < 0.5) {
        const [x, i] = inValue(r, recs);
        return x && replaceLine(lines, x.n, at(x.raw, i, c));
      }
      const x = r.pick(of(recs, 'option', 'header', 'macro'));
      if (!x) return;
      const m = /^\s*\S*?[A-Za-z0-9_]/.exec(x.raw);
      return m && replaceLine(lines, x.n, at(x.raw, m.index + r.int(m[0].length + 1), c));
    },
    'lex-last-backslash'(r, lines, recs) {
      let n = lines.length - 1;
      while (n > 0 && !lines[n].trim()) n--;
      const out = replaceLine(lines.slice(0, n + 1), n, lines[n] + r.pick([' \\', '\\', '\\ ']));
      return with_(out, { trailing: r.next() < 0.5 });
    },
    'lex-continuation'(r, lines, recs) {
      // A setting split with `\`, and between its parts a comment line, a blank line, white
      // space after the backslash, or a run of many continuation lines.
      const sites = [];
      for (const x of valued(recs)) {
        const eq = x.raw.indexOf('=');
        for (const m of x.raw.slice(eq + 1).matchAll(/ +(?=\S)/g)) sites.push({ x, at: eq + 1 + m.index });
      }
      const s = r.pick(sites);
      if (!s) return;
      const { x } = s;
      const head = x.raw.slice(0, s.at), tail = '    ' + x.raw.slice(s.at).trimStart();
      return replaceLine(lines, x.n, r.pick([
        () => [head + ' \\', '# a comment line', tail],
        () => [head + ' \\', '    # an indented comment line', tail],
        () => [head + ' \\', '', tail],
        () => [head + ' \\', '   ', tail],
        () => [head + ' \\ ', tail],
        () => [head + ' \\\t', tail],
        () => [head + ' \\\\', tail],
        () => [head + ' \\', ...Array(200).fill('   \\'), tail],
      ])());
    },
    'lex-long-line'(r, lines, recs) {
      const n = r.pick([4000, 8191, 8192, 16384, 70000]);
      const c = r.int(3);
      if (c === 0) {
        const x = r.pick(recs);
        return x && insertAt(lines, x.n, '# ' + 'x'.repeat(n));
      }
      const x = r.pick(of(recs, 'option').filter((y) => y.section === 'main'));
      if (!x) return;
      if (c === 1) return insertAt(lines, x.n, 'message_size_limit = ' + ' '.repeat(n) + '50M');
      return insertAt(lines, x.n, ['message_size_limit = \\', ...Array(Math.ceil(n / 64)).fill(' '.repeat(60) + ' \\'), '  50M']);
    },
    'lex-hash-after-value'(r, lines, recs) {
      const x = r.pick(valued(recs));
      return x && replaceLine(lines, x.n, x.raw.trimEnd() + r.pick([' # trailing comment', '# trailing', '\t#']));
    },
    'lex-macro'(r, lines, recs) {
      const x = r.pick(of(recs, 'option', 'condition').filter((y) => /=\s*\S/.test(y.raw) && !/\\\s*$/.test(y.raw) && !(recs[y.n + 1]?.cont)));
      if (!x) return;
      const m = /^(.*?=\s*)(.*?)(\s*)$/s.exec(x.raw);
      const first = recs.find((y) => !['blank', 'comment'].includes(y.kind))?.n ?? 0;
      const c = r.int(8);
      const name = ['MUT_lower', 'MUT9', 'Mut_mixed', 'MUTAB', 'MUTAB', 'MUTAB', 'MUTAB', 'MUTAB'][c];
      const use = replaceLine(lines, x.n, m[1] + name + m[3]);
      const def = `${name} = ${m[2]}`;
      if (c < 3) return insertAt(use, first, def);
      if (c === 3) return [...use, def]; // defined after its use
      if (c === 4) return insertAt(use, first, [`${name} = wrong`, `${name} == ${m[2]}`]);
      if (c === 5) return insertAt(use, first, [def, def]); // redefined with `=`
      if (c === 6) return insertAt(use, first, [`${name} = ${m[2]}`, `MUTABC = MUTAB MUTABC`]);
      return insertAt(use, first, [`MUTA = ${m[2]}`, `${name} = MUTA`, `MUTA == ${name}`]);
    },
    'lex-include'(r, lines, recs) {
      const x = r.pick(recs.filter((y) => !y.cont));
      if (!x) return;
      const aux = r.pick(['', '\n', '# no final newline', 'MUTINC = 1', '# ends in a backslash \\', '\r\n']);
      return with_(insertAt(lines, x.n, `.include ${AUX}`), { aux });
    },
    'lex-directive'(r, lines, recs) {
      const ds = recs.filter((y) => y.kind === 'directive' && /^\s*\.(ifn?def|elifn?def|else|endif)\b/.test(y.raw));
      const x = r.pick(ds);
      if (x && r.next() < 0.6) {
        const m = /^(\s*)\.(\S+)(.*)$/s.exec(x.raw);
        return replaceLine(lines, x.n, r.pick([
          () => '    .' + m[2] + m[3],
          () => '\t.' + m[2] + m[3],
          () => '. ' + m[2] + m[3],
          () => '.' + m[2] + m[3].replace(/^\s*/, '  '),
          () => '.' + m[2] + m[3] + '   ',
          () => '.' + m[2].toUpperCase() + m[3],
        ])());
      }
      const y = r.pick(recs.filter((z) => !z.cont));
      if (!y) return;
      let b = y.n + 1 + r.int(3);
      while (b < recs.length && recs[b].cont) b++;
      b = Math.min(b, lines.length);
      const open = r.pick(['.ifdef  MUTANT_MACRO', '.ifndef\tMUTANT_MACRO', '  .ifndef MUTANT_MACRO', '.ifndef MUTANT_MACRO  ', '.ifdef MUTANT_MACRO extra']);
      const close = r.pick(['.endif', '  .endif', '.endif  ', '.endif # done']);
      return [...lines.slice(0, y.n), open, ...lines.slice(y.n, b), close, ...lines.slice(b)];
    },
    'lex-begin'(r, lines, recs) {
      const x = r.pick(of(recs, 'begin'));
      if (!x) return;
      const w = x.raw.trim().split(/\s+/)[1];
      return replaceLine(lines, x.n, r.pick([
        `begin ${w}  `, `begin ${w}\t`, `begin\t${w}`, `  begin ${w}`, `Begin ${w}`, `BEGIN ${w}`, `begin ${w[0].toUpperCase()}${w.slice(1)}`, `begin ${w} extra`, `begin  ${w}`,
      ]));
    },
    'lex-equals'(r, lines, recs) {
      const x = r.pick(of(recs, 'option', 'condition', 'listdef', 'macro').filter((y) => y.raw.includes('=')));
      if (!x) return;
      return replaceLine(lines, x.n, x.raw.replace(/\s*(==?)\s*/, (_, e) => r.pick([e, ` ${e}`, `${e} `, `   ${e}   `, `\t${e}`, `${e}\t`])));
    },
    'lex-header'(r, lines, recs) {
      const x = r.pick(of(recs, 'header'));
      if (!x) return;
      return replaceLine(lines, x.n, x.raw.replace(/\s*:\s*/, r.pick([' :', '\t:', ':', '  :  ', ': ', ':\t'])));
    },
    'lex-bytes'(r, lines, recs) {
      const b = r.pick(BYTES);
      const x = r.pick(of(recs, 'comment'));
      if (x && r.next() < 0.4) return replaceLine(lines, x.n, x.raw + ' ' + b);
      const [y, i] = inValue(r, recs);
      return y && replaceLine(lines, y.n, at(y.raw, i, b));
    },
    'lex-quoted'(r, lines, recs) {
      const x = r.pick(of(recs, 'option').filter((y) => /=\s*\S/.test(y.raw) && !/\\\s*$/.test(y.raw) && !(recs[y.n + 1]?.cont)));
      if (!x) return;
      const m = /^(.*?=\s*)(.*?)(\s*)$/s.exec(x.raw);
      const v = m[2].replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      const e = r.pick(ESCAPES);
      return replaceLine(lines, x.n, m[1] + r.pick([
        `"${v}${e}"`, `"${e}${v}"`, `"${v}`, `"${v}" extra`, `"${v}"${e}`, `${v}"`,
      ]) + m[3]);
    },
  };
}

/**
 * Single-line settings of `confs` (each { recs } as classify made them), by where they can
 * go: 'main', 'routers:<driver>' (and transports, authenticators), 'acl-condition', 'acl-verb'.
 */
export function donorsOf(confs) {
  const donorPool = new Map();
  const add = (key, line) => { if (!donorPool.has(key)) donorPool.set(key, []); donorPool.get(key).push(line); };
  for (const o of confs) {
    let inst;
    const single = (x) => !x.cont && !/\\\s*$/.test(x.raw) && !(o.recs[x.n + 1]?.cont);
    for (const x of o.recs) {
      if (x.kind === 'header' || x.kind === 'begin') inst = x.kind === 'header' && DRIVER_SECTIONS.has(x.section) ? { section: x.section, lines: [] } : undefined;
      if (!single(x)) continue;
      if (x.kind === 'option' && x.section === 'main') add('main', x.raw.trim());
      if (x.kind === 'option' && inst) {
        const d = /^\s*driver\s*=\s*([a-z_]+)\s*$/s.exec(x.raw);
        if (d) inst.driver = d[1];
        else if (inst.driver) add(`${inst.section}:${inst.driver}`, '  ' + x.raw.trim());
      }
      if (x.kind === 'condition') add('acl-condition', '    ' + x.raw.trim());
      if (x.kind === 'verb') add('acl-verb', '  ' + x.raw.trim());
    }
  }
  return donorPool;
}

export const stamp = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?( [+-]\d{4})? (\[\d+\] )?/;
/** Exim's verdict: accepted, or the first error with its line and file when it names them. */
export function verdict(res) {
  if (res.timedOut) return { kind: 'timeout' };
  if (res.code === 0) return { kind: 'accept' };
  const lines = res.stderr.split('\n').map((l) => l.replace(stamp, ''));
  const i = lines.findIndex((l) => /configuration error/i.test(l));
  if (i < 0) {
    const msg = lines.find((l) => l.trim() && !/^Warning: purging the environment|^ Suggested action/.test(l)) ?? `exit ${res.code}`;
    return { kind: 'reject', message: msg.trim() };
  }
  let message = lines[i].trim();
  if (message.endsWith(':') && lines[i + 1]) message += ' ' + lines[i + 1].trim();
  const m = /in line (\d+) of (\S+?):/.exec(lines[i]);
  return { kind: 'reject', config: true, message, line: m ? Number(m[1]) : undefined, file: m?.[2] };
}

const pad = (s, n) => String(s).padStart(n);
/** The changed lines of `b` against `a`, two lines of context before and after. */
export function diff(a, b) {
  let s = 0;
  while (s < a.length && s < b.length && a[s] === b[s]) s++;
  let e = 0;
  while (e < a.length - s && e < b.length - s && a[a.length - 1 - e] === b[b.length - 1 - e]) e++;
  const rows = [];
  for (let i = Math.max(0, s - 2); i < s; i++) rows.push(`  ${pad(i + 1, 5)}  ${a[i]}`);
  for (let i = s; i < a.length - e; i++) rows.push(`- ${pad(i + 1, 5)}  ${a[i]}`);
  for (let i = s; i < b.length - e; i++) rows.push(`+ ${pad(i + 1, 5)}  ${b[i]}`);
  for (let i = b.length - e; i < Math.min(b.length, b.length - e + 2); i++) rows.push(`  ${pad(i + 1, 5)}  ${b[i]}`);
  return rows.slice(0, 40).join('\n');
}

/** How a mutant came out, in the order of the summary's columns. */
export const CLASSES = ['false-positive', 'miss', 'miss-warned', 'miss-other', 'wrong-line', 'agree', 'exim-timeout', 'original-has-errors'];
const HEAD = { 'false-positive': 'FP', miss: 'miss', 'miss-warned': 'missW', 'miss-other': 'missO', 'wrong-line': 'wline', agree: 'agree', 'exim-timeout': 'tmo', 'original-has-errors': 'orig' };

/** The summary's table: per mutation kind, how many mutants came out in each class, and the totals. */
export function kindTable(results) {
  const table = new Map();
  for (const x of results) {
    const row = table.get(x.kind) ?? Object.fromEntries(CLASSES.map((c) => [c, 0]));
    row[x.cls]++;
    table.set(x.kind, row);
  }
  const row = (label, counts) => label.padEnd(20) + CLASSES.map((c) => pad(counts[c], 7)).join('');
  const out = ['kind'.padEnd(20) + CLASSES.map((c) => pad(HEAD[c], 7)).join('')];
  const totals = Object.fromEntries(CLASSES.map((c) => [c, 0]));
  for (const k of [...table.keys()].sort()) {
    for (const c of CLASSES) totals[c] += table.get(k)[c];
    out.push(row(k, table.get(k)));
  }
  out.push(row('total', totals));
  return out;
}

/**
 * Writes the summary and every disagreement, class by class, to `report`: `entry(x)` says
 * what the mutant was and what Exim said; what we reported follows (the errors of a false
 * positive, else every finding but hints; `shown` writes a finding's file).
 */
export function writeReport(report, summary, results, entry, shown = (file) => file) {
  const rep = [summary, ''];
  for (const c of ['false-positive', 'miss', 'miss-warned', 'miss-other', 'wrong-line', 'exim-timeout']) {
    const xs = results.filter((x) => x.cls === c);
    if (!xs.length) continue;
    rep.push(`==================== ${c} (${xs.length}) ====================`);
    for (const x of xs) {
      rep.push(...entry(x));
      const list = c === 'false-positive' ? x.errs : x.all.filter((f) => f.severity !== 'hint');
      if (!list.length) rep.push('we:   nothing');
      for (const f of list.slice(0, 8)) rep.push(`we:   ${shown(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message.split('\n')[0]}`);
      rep.push('');
    }
  }
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.writeFileSync(report, rep.join('\n'));
  console.log(`\ndisagreements written to ${report}`);
}
