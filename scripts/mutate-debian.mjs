// Mutation testing of how we read Debian's Exim configuration, against Debian's own tools:
// copies /etc/exim4 into a scratch directory, picks the split conf.d or the template and a
// dc_eximconfig_configtype in the copy's update-exim4.conf.conf, makes one small
// seeded-random change (to a conf.d part, the template or update-exim4.conf.conf), runs the
// real `update-exim4.conf -d COPY -o OUT` (its failure is a verdict too) and `exim4 -C OUT
// -bV`, and our checker on the copy. Exim's "line N of OUT" is traced back to the part and
// line it came from (our assembly's origins, matched line by line against OUT). The sibling
// of mutate-corpus.mjs, with its mutation kinds and report; a developer tool, not part of
// `npm test`. The real /etc/exim4 is only read, and /var/lib/exim4 left alone: with -o
// outside it, update-exim4.conf writes its output through a mktemp file and nowhere else.
//
//   node scripts/mutate-debian.mjs [--count N] [--seed S] [--jobs J] [--kinds k1,k2] [--report FILE]
//
// --kinds takes kind names and groups: `default` (token and debian, the kinds before the
// lexical ones came: an old seed makes the same mutants), `token` (mutate-corpus's default),
// `debian` (Debian's own: macros, parts, .rul files, update-exim4.conf.conf), `lexical`
// (mutate-corpus's lex-* kinds: line ends, bytes, continuations, macros, includes,
// directives, quoting), `all`.
//
// Classes as mutate-corpus's: false positive (Debian's tools accept, we report an error),
// miss (they reject, we report no error; missW: a warning on the line), wrong line (we
// report errors, none on the part line Exim names), agree.
//
// Triage of the lexical kinds (seeds 1 and 2, 200 mutants each): the lone-CR wrong lines
// were this script's (Exim counts lines by LF, we by CR too; now mapped as mutate-corpus
// does). Left standing, not checker bugs:
// - A NUL byte in a part or the template: update-exim4.conf's `grep -v '^#'` takes the
//   whole concatenation for binary data and silently stops writing the config around it,
//   so every later part (here the rest of the transports, retry, rewrite, authenticators)
//   is missing and Exim accepts what is left. We read the part as Exim would read it alone
//   (the line cut at the NUL: `driver = au\0toreply` an unknown driver "au"); an error is
//   what a config that loses its tail deserves, even where its wording is Exim's view.
// - A BOM at the head of a file included in the rewrite section: Exim 4.96 looks for a BOM
//   only in the main section (readconf.c checks line 1 of a file there); elsewhere it is
//   part of the line, so "<BOM># comment" is no comment. Every other section then refuses
//   the line; rewrite takes it as a rule (pattern "<BOM>#") and accepts it. We report the
//   BOM as an error wherever it is: in rewrite it silently adds a junk rule.
// - `user = mail	#`: Exim fails at load because no user "mail	#" exists; we warn on the
//   line that the "#" starts no comment (missW) — whether a user exists is the host's, not
//   the config's, and the checker may run away from the mail server.
import { loadBundled } from './bundle-core.mjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, classify, misspell, eximMutations, lexicalMutations, AUX, donorsOf, verdict, diff, kindTable, writeReport, runProgram, pool as poolOf, oursOn, errorsOf } from './exim-mutations.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const count = Number(flag('--count', '300'));
const seed = Number(flag('--seed', '1'));
const jobs = Number(flag('--jobs', String(Math.max(1, os.cpus().length))));
const report = path.resolve(flag('--report', path.join(root, 'test-artifacts/mutate-debian-report.txt')));
const ETC = '/etc/exim4';
const UPDATE = '/usr/sbin/update-exim4.conf';
const EXIM = '/usr/sbin/exim4';

const bail = (why) => { console.log(`mutate-debian: ${why}: no mutants made.`); process.exit(0); };
if (!fs.existsSync(path.join(ETC, 'conf.d')) || !fs.existsSync(path.join(ETC, 'exim4.conf.template'))) bail(`${ETC} has no conf.d or exim4.conf.template (exim4-config)`);
for (const p of [UPDATE, EXIM]) { try { fs.accessSync(p, fs.constants.X_OK); } catch { bail(`${p} not found or not executable`); } }
if (process.getuid && process.getuid() !== 0) bail('not running as root (exim4 would not take -C from us)');
if (!(count > 0) || !Number.isInteger(seed) || !(jobs > 0)) {
  console.error('usage: mutate-debian.mjs [--count N>0] [--seed INT] [--jobs J>0] [--kinds k1,k2] [--report FILE]');
  process.exit(2);
}

// ---- the core, bundled for this process ---------------------------------------------
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-mutdeb-'));
// Exim reads the config no longer as root once past the main section.
fs.chmodSync(scratch, 0o755);
const { checkProject, assembleDebianConfig, confdFiles, diskHost, configDiskHost } = await loadBundled(root, `export { checkProject } from './server/src/core/project';
export { assembleDebianConfig } from './server/src/core/assemble';
export { confdFiles } from './server/src/core/exim/confd';
export { diskHost, configDiskHost } from './server/src/core/host';`);

// ---- the variants: split or not, and the configtype ---------------------------------
const TYPES = ['internet', 'local', 'smarthost', 'satellite'];
function ue4cc(split, type) {
  return [
    `dc_eximconfig_configtype='${type}'`,
    `dc_other_hostnames='example.org'`,
    `dc_local_interfaces='127.0.0.1 ; ::1'`,
    `dc_readhost='${type === 'satellite' ? 'example.org' : ''}'`,
    `dc_relay_domains=''`,
    `dc_minimaldns='false'`,
    `dc_relay_nets='192.0.2.0/24'`,
    `dc_smarthost='${type === 'smarthost' || type === 'satellite' ? 'smarthost.example::587' : ''}'`,
    `CFILEMODE='644'`,
    `dc_use_split_config='${split}'`,
    `dc_hide_mailname='${type === 'satellite' ? 'true' : ''}'`,
    `dc_mailname_in_oh='true'`,
    `dc_localdelivery='mail_spool'`,
    '',
  ].join('\n');
}
const SECTION_OF = { main: 'main', acl: 'acl', router: 'routers', transport: 'transports', auth: 'authenticators', retry: 'retry', rewrite: 'rewrite' };
const readLines = (file) => {
  const text = fs.readFileSync(file, 'latin1');
  const lines = text.split('\n');
  const trailing = lines.at(-1) === '';
  if (trailing) lines.pop();
  return { text, lines, trailing };
};
/** The files a mutation can touch: conf.d's parts (with their section) or the template. */
const parts = confdFiles(path.join(ETC, 'conf.d'), diskHost).map((f) => {
  const rel = path.relative(ETC, f);
  const o = readLines(f);
  return { rel, ...o, recs: classify(o.lines, SECTION_OF[rel.split('/')[1]] ?? 'main') };
});
const template = (() => {
  const o = readLines(path.join(ETC, 'exim4.conf.template'));
  return { rel: 'exim4.conf.template', ...o, recs: classify(o.lines) };
})();

// ---- the mutations: mutate-corpus's, and Debian's own -------------------------------
let donorPool;
const GENERIC = eximMutations(() => donorPool ??= donorsOf([template]));
const LEXICAL = lexicalMutations();
/** A macro name as Debian's configs write them: MAIN_..., CHECK_RCPT_..., DCconfig_... */
const MACRO_WORD = /\b(?:[A-Z][A-Z0-9]*_[A-Za-z0-9_]*[A-Za-z0-9]|DC[a-z][A-Za-z0-9_]*)\b/g;
const replaceLine = (lines, n, text) => [...lines.slice(0, n), ...[].concat(text), ...lines.slice(n + 1)];
const insertAt = (lines, n, text) => [...lines.slice(0, n), ...[].concat(text), ...lines.slice(n)];

/**
 * Debian's kinds. Each takes (r, files, target) where files maps a path relative to the copy
 * to its lines (or undefined: removed) and target is the file picked; returns a note or
 * undefined (nothing to do), changing `files` in place.
 */
const DEBIAN = {
  'misspell-macro'(r, files, t) {
    const sites = [];
    files.get(t).forEach((raw, n) => {
      if (/^\s*#/.test(raw)) return;
      for (const m of raw.matchAll(MACRO_WORD)) if (m[0] !== 'UPEX4CmacrosUPEX4C') sites.push({ n, m });
    });
    const s = r.pick(sites);
    if (!s) return;
    const lines = files.get(t);
    const raw = lines[s.n];
    files.set(t, replaceLine(lines, s.n, raw.slice(0, s.m.index) + misspell(r, s.m[0]).toUpperCase().replace(/^DCCONFIG/, 'DCconfig') + raw.slice(s.m.index + s.m[0].length)));
    return `${t}:${s.n + 1}`;
  },
  /** A macro definition moved: to another part (split) or elsewhere in the file. */
  'move-macro'(r, files, t) {
    const defs = [];
    for (const [f, lines] of files) {
      if (!lines || !f.startsWith(t === 'exim4.conf.template' ? 'exim4.conf.template' : 'conf.d/')) continue;
      const recs = classify(lines);
      recs.forEach((x) => { if (x.kind === 'macro' && !/\\\s*$/.test(x.raw)) defs.push({ f, n: x.n, raw: x.raw }); });
    }
    const d = r.pick(defs);
    if (!d) return;
    files.set(d.f, replaceLine(files.get(d.f), d.n, []));
    const targets = [...files.keys()].filter((f) => files.get(f) && f.startsWith(d.f.startsWith('conf.d/') ? 'conf.d/' : d.f));
    const to = r.pick(targets);
    const lines = files.get(to);
    const at = r.int(lines.length + 1);
    files.set(to, insertAt(lines, at, d.raw));
    return `${d.f}:${d.n + 1} -> ${to}:${at + 1}`;
  },
  /** A macro defined in one part and used in another (or in the same, before or after). */
  'define-elsewhere'(r, files, t) {
    const uses = [];
    for (const [f, lines] of files) {
      if (!lines || !(t === 'exim4.conf.template' ? f === t : f.startsWith('conf.d/'))) continue;
      lines.forEach((raw, n) => { if (/^\s*[a-z_]+\s*=\s*\S/.test(raw) && !/\\\s*$/.test(raw) && !/^\s*[A-Z]/.test(raw)) uses.push({ f, n, raw }); });
    }
    const u = r.pick(uses);
    if (!u) return;
    const m = /^(\s*[a-z_]+\s*=\s*)(.*?)(\s*)$/.exec(u.raw);
    files.set(u.f, replaceLine(files.get(u.f), u.n, m[1] + 'MUTDEB_VALUE' + m[3]));
    const targets = [...files.keys()].filter((f) => files.get(f) && (t === 'exim4.conf.template' ? f === t : f.startsWith('conf.d/')));
    const to = r.pick(targets);
    const lines = files.get(to);
    const at = r.int(lines.length + 1);
    files.set(to, insertAt(lines, at, `MUTDEB_VALUE = ${m[2]}`));
    return `${u.f}:${u.n + 1} uses MUTDEB_VALUE, defined at ${to}:${at + 1}`;
  },
  /** A part renamed: out of order, into another section, or to a name run-parts skips. */
  'rename-part'(r, files, t) {
    if (!t.startsWith('conf.d/')) return;
    const [, section, name] = t.split('/');
    const choice = r.int(4);
    const next = choice === 0 ? `conf.d/${section}/${String(r.int(1000)).padStart(r.pick([2, 3]), '0')}_${name.replace(/^\d+_/, '')}`
      : choice === 1 ? `conf.d/${r.pick(Object.keys(SECTION_OF).filter((s) => s !== section))}/${name}`
        : choice === 2 ? `conf.d/${section}/${name}${r.pick(['.bak', '~', '.dpkg-old', '.rul'])}`
          : `conf.d/${section}/${misspell(r, name)}`;
    if (next === t || files.has(next)) return;
    files.set(next, files.get(t));
    files.set(t, undefined);
    return `${t} -> ${next}`;
  },
  /** NAME.rul beside a part, which update-exim4.conf reads instead of NAME: a mutated copy. */
  'rul-override'(r, files, t) {
    if (!t.startsWith('conf.d/')) return;
    const p = parts.find((x) => x.rel === t);
    const kind = r.pick(['misspell-option', 'wrong-type', 'rename-reference', 'delete-line', 'unbalance-ifdef']);
    const out = GENERIC[kind](r, p.lines, p.recs);
    if (!out) return;
    files.set(`${t}.rul`, out);
    return `${t}.rul (${kind})`;
  },
  /** A part removed (a whole section header, a router, ...). */
  'remove-part'(r, files, t) {
    if (!t.startsWith('conf.d/')) return;
    files.set(t, undefined);
    return `${t} removed`;
  },
  /** A file without its final line break (cat runs it into the next part), or with CRLF ends. */
  'line-ends'(r, files, t) {
    const lines = files.get(t);
    if (r.next() < 0.5) {
      files.set(t, [...lines, NO_EOL]);
      return `${t} without its final line break`;
    }
    const from = r.int(lines.length);
    const to = r.next() < 0.5 ? from + 1 + r.int(5) : lines.length;
    files.set(t, lines.map((l, i) => i >= from && i < to ? l + '\r' : l));
    return `${t}:${from + 1}-${Math.min(to, lines.length)} with CRLF`;
  },
  /** One setting of update-exim4.conf.conf changed. */
  'ue4cc-setting'(r, files) {
    const f = 'update-exim4.conf.conf';
    const lines = files.get(f);
    const change = r.pick([
      ['dc_eximconfig_configtype', (v) => misspell(r, v)],
      ['dc_localdelivery', (v) => r.pick([misspell(r, v), 'maildir_home', 'mail_spool', 'nosuchtransport'])],
      ['dc_use_split_config', () => r.pick(['yes', 'TRUE', '', 'ture'])],
      ['dc_other_hostnames', () => r.pick(['a.example; b.example', 'a.example:b.example', '${lookup', 'Ümlaut.example'])],
      ['dc_relay_nets', () => r.pick(['192.0.2.0/33', '2001:db8::/32', '10.0.0.0/8; 192.168.0.0/16', 'not-an-ip'])],
      ['dc_local_interfaces', () => r.pick(['127.0.0.1', '', '127.0.0.1.1', '::1 ; 127.0.0.1 ; 192.0.2.1'])],
      ['dc_smarthost', () => r.pick(['', 'mx.example', 'mx.example::25 : mx2.example', '[192.0.2.1]'])],
      ['dc_minimaldns', () => r.pick(['true', 'yes'])],
      ['MAIN_TLS_ENABLE', () => r.pick(['yes', 'true'])],
      ['MAIN_LOG_SELECTOR', () => r.pick(['+all', '+nosuchselector', '+smtp_protocol_error'])],
      ['CHECK_RCPT_LOCAL_LOCALPARTS', () => r.pick(['^[.]', '${if'])],
    ]);
    const [name, value] = change;
    const i = lines.findIndex((l) => l.startsWith(`${name}=`));
    const old = i >= 0 ? /='(.*)'$/.exec(lines[i])?.[1] ?? '' : '';
    const line = `${name}='${value(old)}'`;
    files.set(f, i >= 0 ? replaceLine(lines, i, line) : [...lines, line]);
    return `${f}: ${line}`;
  },
};
/** As the last line of a mutant file: write it without a final line break. */
const NO_EOL = '\0no final line break';
/** The file a lexical mutant includes, in the copy's top directory. */
const AUX_NAME = 'mutant-aux.inc';
const ALL = {
  ...Object.fromEntries(Object.keys(GENERIC).map((k) => [k, 'generic'])),
  ...Object.fromEntries(Object.keys(DEBIAN).map((k) => [k, 'debian'])),
  ...Object.fromEntries(Object.keys(LEXICAL).map((k) => [k, 'lexical'])),
};
// Groups as mutate-corpus's, and Debian's own. The default stays what it was before the
// lexical kinds came (token and debian, in that order), so an old seed makes the same mutants.
const GROUPS = {
  token: Object.keys(GENERIC), debian: Object.keys(DEBIAN), lexical: Object.keys(LEXICAL),
  default: [...Object.keys(GENERIC), ...Object.keys(DEBIAN)], all: Object.keys(ALL),
};
const kinds = flag('--kinds', 'default').split(',').flatMap((k) => GROUPS[k] ?? [k]);
for (const k of kinds) if (!ALL[k]) { console.error(`unknown mutation kind ${k}; known: ${Object.keys(ALL).join(', ')}`); process.exit(2); }

// ---- the mutants --------------------------------------------------------------------
/** The copy's files a mutant changes, relative to the copy, by variant. */
function baseFiles(split, type) {
  const files = new Map();
  files.set('update-exim4.conf.conf', ue4cc(split, type).split('\n').slice(0, -1));
  if (split === 'true') for (const p of parts) files.set(p.rel, p.lines);
  else files.set(template.rel, template.lines);
  return files;
}
const r = rng(seed);
const mutants = [];
const seen = new Set();
for (let tries = 0; mutants.length < count && tries < count * 20; tries++) {
  const split = r.pick(['true', 'false']);
  const type = r.pick(TYPES);
  const kind = r.pick(kinds);
  const files = baseFiles(split, type);
  const target = split === 'true' ? r.pick(parts) : template;
  let note;
  let aux;
  if (ALL[kind] !== 'debian') {
    let out = (GENERIC[kind] ?? LEXICAL[kind])(r, target.lines, target.recs);
    if (!out) continue;
    // A lexical mutant says on the array whether it ends in a line break, and may bring a
    // file to include (written beside the copy's files, where run-parts does not look).
    aux = out.aux;
    if (out.trailing === false && target.trailing) out = [...out, NO_EOL];
    files.set(target.rel, out);
    note = target.rel;
  } else {
    note = DEBIAN[kind](r, files, target.rel);
    if (!note) continue;
  }
  const changed = [...files].filter(([f, lines]) => lines !== baseFiles(split, type).get(f)
    && (lines === undefined || JSON.stringify(lines) !== JSON.stringify(baseFiles(split, type).get(f))));
  if (!changed.length) continue;
  const key = `${split} ${type} ${JSON.stringify(changed)} ${JSON.stringify(aux)}`;
  if (seen.has(key)) continue;
  seen.add(key);
  mutants.push({ id: mutants.length, split, type, kind, note, changed, aux });
}

/** Lays a variant's copy out in `dir`: /etc/exim4 copied, the variant and the mutation applied. */
function layOut(dir, split, type, changed = [], aux) {
  fs.cpSync(ETC, dir, { recursive: true });
  // Not from /etc: the copy's own settings, and no generated file of the real machine.
  fs.writeFileSync(path.join(dir, 'update-exim4.conf.conf'), ue4cc(split, type));
  for (const [rel, lines] of changed) {
    const file = path.join(dir, rel);
    const orig = [...parts, template].find((p) => p.rel === rel);
    if (lines === undefined) { fs.rmSync(file, { force: true }); continue; }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const cut = lines.at(-1) === NO_EOL;
    const text = (cut ? lines.slice(0, -1) : lines).join('\n') + (cut || (orig && !orig.trailing) ? '' : '\n');
    fs.writeFileSync(file, text.replaceAll(AUX, path.join(dir, AUX_NAME)), 'latin1');
  }
  if (aux !== undefined) fs.writeFileSync(path.join(dir, AUX_NAME), aux, 'latin1');
  execChmod(dir);
}
function execChmod(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    fs.chmodSync(path.join(e.parentPath ?? e.path, e.name), e.isDirectory() ? 0o755 : 0o644);
  }
  fs.chmodSync(dir, 0o755);
}

// ---- the real tools -----------------------------------------------------------------
const run = (cmd, argv) => runProgram(cmd, argv, { cwd: scratch, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } });
/** update-exim4.conf on the copy, then exim4 -bV on what it wrote. */
async function debianVerdict(dir) {
  const out = path.join(dir, 'out.conf');
  const u = await run(UPDATE, ['-d', dir, '-o', out]);
  if (u.timedOut) return { kind: 'timeout' };
  if (u.code !== 0) return { kind: 'reject', update: true, message: `update-exim4.conf: ${u.stderr.trim().split('\n').at(-1) ?? `exit ${u.code}`}` };
  return { ...verdict(await run(EXIM, ['-C', out, '-bV'])), out };
}
const pool = (items, fn) => poolOf(items, jobs, fn);

// ---- ours -----------------------------------------------------------------------------
const opts = { eximVersion: '4.96', cyrusVersion: 'latest', defines: {} };
// exim -bV reads no TLS file: this machine's permissions are not compared.
const ours = (dir) => oursOn(checkProject, dir, opts, configDiskHost);

/**
 * Where line `n` (1-based) of update-exim4.conf's output came from: our assembly's origin
 * of the same line, the two matched in order (the output has the script's own header and
 * MAIN_PACKAGE_VERSION lines besides).
 */
function originOf(dir, out, n) {
  let a;
  try { a = assembleDebianConfig(dir, diskHost); } catch { return undefined; }
  if (!a) return undefined;
  // The script drops empty lines as well as comments: only the others are matched.
  const kept = (lines) => lines.map((t, i) => ({ t, i })).filter((x) => x.t.trim() !== '' && !/^\s*#/.test(x.t));
  const mine = kept(a.text.split('\n'));
  const theirs = kept(fs.readFileSync(out, 'latin1').split('\n'));
  // Longest common subsequence: the output's extra lines (its MAIN_PACKAGE_VERSION) are
  // left unmatched, and a repeated line (`.endif`) cannot pull the rest out of step.
  const at = theirs.findIndex((x) => x.i === n - 1);
  if (at < 0) return undefined;
  const N = mine.length, M = at + 1;
  const len = new Uint32Array((N + 1) * (M + 1));
  for (let p = N - 1; p >= 0; p--) {
    for (let q = M - 1; q >= 0; q--) {
      len[p * (M + 1) + q] = mine[p].t === theirs[q].t ? len[(p + 1) * (M + 1) + q + 1] + 1
        : Math.max(len[(p + 1) * (M + 1) + q], len[p * (M + 1) + q + 1]);
    }
  }
  for (let p = 0, q = 0; p < N && q < M;) {
    if (mine[p].t === theirs[q].t && len[p * (M + 1) + q] === len[(p + 1) * (M + 1) + q + 1] + 1) {
      if (q === at) {
        const o = a.origins[mine[p].i];
        return o ? { file: o.file, line: o.line + 1 } : undefined;
      }
      p++; q++;
    } else if (len[(p + 1) * (M + 1) + q] >= len[p * (M + 1) + q + 1]) p++;
    else q++;
  }
  return undefined;
}

/** Whether a finding (or a related place) touches the logical line Exim's line ends. */
const on = (at) => {
  const text = fs.existsSync(at.file) ? fs.readFileSync(at.file, 'latin1').split('\n') : [];
  let first = at.line;
  while (first > 1 && /\\\s*$/.test(text[first - 2] ?? '')) first--;
  // The script drops comments and empty lines: a place after Exim's line with only those
  // between (the end of the file, where an unclosed .ifdef is noticed) is the same place.
  // Exim counts lines by LF, we (as an editor) break at a lone CR too: Exim's line n is our
  // lines from lsp(n) to lsp(n) + its lone CRs (as in mutate-corpus).
  const lone = (n) => ((text[n - 1] ?? '').replace(/\r$/, '').match(/\r/g) ?? []).length;
  const lsp = (n) => { let a = n; for (let i = 1; i < n; i++) a += lone(i); return a; };
  const last = lsp(at.line) + lone(at.line);
  const upTo = (l) => l <= last || text.slice(at.line, l).every((t) => !t.trim() || /^\s*#/.test(t));
  const covers = (f, loc) => path.resolve(f) === at.file && upTo(loc.start.line + 1) && lsp(first) <= (loc.end ?? loc.start).line + 1;
  return (f) => covers(f.file, f.range) || (f.related ?? []).some((x) => covers(x.file, x.range));
};

const started = Date.now();
// The variants as they are: Debian's tools must accept them, and we should find no error.
const variants = [];
for (const split of ['true', 'false']) for (const type of TYPES) variants.push({ split, type });
const baseDirs = variants.map((v) => path.join(scratch, `base-${v.split}-${v.type}`));
variants.forEach((v, i) => layOut(baseDirs[i], v.split, v.type));
const baseVerdicts = await pool(baseDirs, debianVerdict);
const baseOk = new Map(variants.map((v, i) => [`${v.split} ${v.type}`, baseVerdicts[i].kind === 'accept']));
const baseErrs = new Map(variants.map((v, i) => [`${v.split} ${v.type}`, errorsOf(ours(baseDirs[i]))]));

const live = mutants.filter((m) => baseOk.get(`${m.split} ${m.type}`));
const results = await pool(live, async (m) => {
  const dir = path.join(scratch, `m${m.id}`);
  layOut(dir, m.split, m.type, m.changed, m.aux);
  const ex = await debianVerdict(dir);
  const all = ours(dir);
  const errs = errorsOf(all);
  let at;
  if (ex.line !== undefined) {
    at = ex.file && path.resolve(scratch, ex.file) === ex.out ? originOf(dir, ex.out, ex.line) : { file: path.resolve(scratch, ex.file ?? ''), line: ex.line };
  }
  let cls;
  if (ex.kind === 'timeout') cls = 'exim-timeout';
  else if (ex.kind === 'accept') cls = errs.length ? 'false-positive' : 'agree';
  else if (!errs.length) cls = !ex.config && !ex.update ? 'miss-other' : at && all.some(on(at)) ? 'miss-warned' : 'miss';
  else if (!at) cls = 'agree';
  else cls = errs.some(on(at)) ? 'agree' : 'wrong-line';
  if (baseErrs.get(`${m.split} ${m.type}`).length) cls = 'original-has-errors';
  const shown = (p) => p.startsWith(dir + '/') ? p.slice(dir.length + 1) : p;
  return {
    ...m, ex, cls, at: at && `${shown(at.file)}:${at.line}`,
    all: all.map((f) => ({ ...f, file: shown(f.file) })), errs: errs.map((f) => ({ ...f, file: shown(f.file) })),
    message: (ex.message ?? '').replaceAll(dir + '/', ''),
  };
});

// ---- summary and report ---------------------------------------------------------------
const out = [];
const badBase = variants.filter((v) => !baseOk.get(`${v.split} ${v.type}`)).map((v) => `split=${v.split}/${v.type}`);
const errBase = variants.filter((v) => baseErrs.get(`${v.split} ${v.type}`).length).map((v) => `split=${v.split}/${v.type}`);
out.push(`mutants of ${ETC} (split and template; ${TYPES.join(', ')}), seed ${seed}, ${mutants.length} made, ${live.length} compared, ${((Date.now() - started) / 1000).toFixed(1)}s`);
if (badBase.length) out.push(`variants Debian's tools refuse as they are (their mutants skipped): ${badBase.join(' ')}`);
if (errBase.length) out.push(`variants where we report errors as they are: ${errBase.join(' ')}`);
const rejected = results.filter((x) => x.ex.kind === 'reject');
out.push(`Debian's tools reject ${rejected.length} (update-exim4.conf ${rejected.filter((x) => x.ex.update).length}, exim -bV with a line traced to a part ${rejected.filter((x) => x.at).length}); we report errors on ${results.filter((x) => x.errs.length).length}`);
out.push('');
out.push(...kindTable(results));
out.push('FP: Debian\'s tools accept, we report an error. miss: update-exim4.conf or exim -bV reports a');
out.push('config error, we no error (missW: but a warning on its line). missO: they fail otherwise.');
out.push('wline: we report errors, none on (or related to) the part line Exim names.');
const summary = out.join('\n');
console.log(summary);

writeReport(report, summary, results, (x) => {
  const lines = [`--- #${x.id} ${x.kind} (split=${x.split}, ${x.type}): ${x.note}`];
  const base = baseFiles(x.split, x.type);
  for (const [rel, changed] of x.changed) {
    if (changed === undefined) lines.push(`  ${rel} removed`);
    else if (!base.has(rel)) lines.push(`  ${rel} added`);
    else lines.push(`  ${rel}:`, diff(base.get(rel), changed).replace(/[\x00-\x08\x0b-\x1f\x7f-\xff]/g, (c) => `<${c.charCodeAt(0).toString(16).padStart(2, '0')}>`).slice(0, 3000));
  }
  if (x.aux !== undefined) lines.push(`  ${AUX_NAME}: ${JSON.stringify(x.aux)}`);
  lines.push(`exim: ${x.ex.kind === 'accept' ? 'accepted' : x.message || x.ex.kind}${x.at ? ` [at ${x.at}]` : ''}`);
  return lines;
});
fs.rmSync(scratch, { recursive: true, force: true });
