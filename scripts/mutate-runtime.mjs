// Mutation testing of our run-time claims against the real Exim 4.96: the mistakes Exim only
// meets when mail flows (an undefined transport, list, ACL or macro in a run-time option, a
// broken expansion in a router, transport or ACL, a list of the wrong kind, an ACL condition
// in an ACL where it cannot work, ...). Takes base configs (examples/reference/exim.conf,
// scripts/mutate-runtime.conf, and Debian's assembled /etc/exim4 when update-exim4.conf is
// there), makes one seeded-random change at a run-time-relevant place, and compares what the
// real Exim does with the mutant against what it does with the base:
//   - load: `exim4 -C conf -bV`;
//   - SMTP: `exim4 -C conf -bh 127.0.0.1` with EHLO, MAIL, RCPT for local and remote
//     addresses, DATA with a tiny message, QUIT (-bh runs the ACLs, delivers nothing);
//   - routing: `exim4 -C conf -bt ADDRESS` for the same addresses;
//   - delivery, for scripts/mutate-runtime.conf only (its mailboxes live in the scratch
//     directory): `exim4 -C conf -odf` of one message to every address.
// Every Exim runs in a network namespace of its own (`unshare -n`: loopback only), with its
// spool and log in a scratch directory per mutant, so nothing reaches the machine's own
// spool, logs or network. A developer tool, not part of `npm test`; needs root.
//
//   node scripts/mutate-runtime.mjs [--count N] [--seed S] [--kind NAME] [--jobs J]
//        [--report FILE] [--verbose]
//
// --count mutants (default 300), --seed (default 1): the same seed and count give the same
// mutants and report. --kind keeps the mutation kinds whose name contains NAME. --report
// (default test-artifacts/mutate-runtime-report.txt) gets every disagreement in full.
//
// What Exim does with a mutant, against the base: "load" (exim -bV refuses it), "run" (it
// loads, and an SMTP reply turns temporary (4xx), a routing test or delivery defers or
// errs, or a configuration error/panic is logged, where the base had none of that),
// "changed" (it behaves otherwise but nothing breaks: a deliberate change of meaning) or
// "same". Ours: the findings new against the base (by code, severity and message).
// Classes: FALSE-POSITIVE (we report a new error, Exim loads the mutant and behaves exactly
// as before), MISS (Exim breaks at load or run time, we report no new error or warning),
// else agree. --verbose also lists, in the report, the mutants where we warn and Exim behaves
// as before (mostly a router, transport or ACL statement the session and tests do not reach).
//
// Triage (seeds 1-5, 400 mutants each; seeds 6 and 7, 300 each). Fixed: argument counts of
// conditions, ${if}'s strings and words and items such as tr/sg/substr, integers in numeric
// comparisons (also an argument that starts as text no integer starts with:
// `>{{$message_size}{1M}}`), "$" among an item's words, ${lookup} without a type;
// `local@+name` in address lists and rewrite patterns; "encrypted" in 4.96's HELO/connect
// ACLs; ACLs that call back into themselves (exim/acl-loop); a literal "}" in an ACL
// condition; and one false positive, an unknown smtp `protocol` (Exim loads it as smtp: now
// a warning). Later: a `match` or `sg` pattern, or a list item starting with ^, that PCRE2
// refuses (the `list-regex` kind, added then, changes the mutants older seeds make); ACL
// arguments Exim reads only when the statement runs (delay, seen, ratelimit, queue,
// logwrite; broken ones added to the conditions acl-misplaced puts in); seed 37: a bare `deny`
// put in the middle of an ACL, which cuts off what follows (exim/acl-unreachable); seed 44: the
// list-separator kind (items separated by "," or a space, exim/list-comma), whose first round
// found "@, localhost" and "! +a, ! +b" unflagged. Left standing, not
// checker bugs:
// - The sandbox has no DNS: a `verify = recipient/helo/reverse_host_lookup`, a callout or
//   an `spf =` put where it looks up a remote name defers here ("host lookup did not
//   complete"), as it would not on a connected machine.
// - Elsewhere a "}" outside any expansion is literal text for Exim: `lsearch{{/etc/aliases}`
//   makes a file "{/etc/aliases" (warned as a relative lookup file). Legal, wrong only in
//   meaning; warning about literal braces would flag every regex with `{3}` in it. Warned
//   since seed 48 (exim/expansion-syntax): a "}" right after a variable or an expansion with
//   no "{" of text open before it (`$local_part_data}:` made a user "root}"), and any "}"
//   left in a router's condition ("yes}" and "no}" are both true) or an authenticator's
//   server_condition, as in an ACL condition.
// - A lookup of a file that does not exist (`lsearch{/nonexistent/mutant}`) defers at run
//   time. Lookup files are data the mail server holds; the checker may run where they are
//   not (an editor on a copy of the config), so their absence is no finding.
// - `control = fakedefer` put in a DATA ACL: a deliberate temporary rejection of every
//   message, which is what the control is for.
// - A router condition that stops matching (`senders = !+list : *` skips it while a
//   sender is verified, whose own sender is <>): a change of meaning that shows as
//   "Sender verification failed".
import { loadBundled } from './bundle-core.mjs';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, classify, misspell, eximMutations, donorsOf, verdict, diff, kindTable, writeReport, runProgram, pool as poolOf, oursOn } from './exim-mutations.mjs';
import { optionReader } from './lib/options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = optionReader(argv);
const COUNT = Number(opt('--count', '300'));
const SEED = Number(opt('--seed', '1'));
const KIND = opt('--kind', '');
const JOBS = Number(opt('--jobs', String(Math.max(1, os.cpus().length))));
const REPORT = path.resolve(opt('--report', path.join(root, 'test-artifacts', 'mutate-runtime-report.txt')));
const VERBOSE = argv.includes('--verbose');
const EXIM = '/usr/sbin/exim4';
const UPDATE = '/usr/sbin/update-exim4.conf';

const bail = (why) => { console.log(`mutate-runtime: ${why}: no mutants made.`); process.exit(0); };
if (!(COUNT > 0) || !Number.isInteger(SEED) || !(JOBS > 0)) {
  console.error('usage: mutate-runtime.mjs [--count N>0] [--seed INT] [--kind NAME] [--jobs J>0] [--report FILE] [--verbose]');
  process.exit(2);
}
try { fs.accessSync(EXIM, fs.constants.X_OK); } catch { bail(`${EXIM} not found or not executable`); }
if (process.platform !== 'linux' || process.getuid?.() !== 0) bail('not running as root on Linux (exim4 would not take -C from us)');
if (spawnSync('id', ['Debian-exim']).status !== 0) bail('there is no Debian-exim user');
// The network namespace is what keeps every Exim on loopback: without it, nothing runs.
if (spawnSync('unshare', ['-n', 'true']).status !== 0) bail('cannot make a network namespace (unshare -n), and Exim is not run without one');

// ---- the core, bundled for this process ---------------------------------------------------
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-mutrun-'));
// Exim reads the config no longer as root once past the main section.
fs.chmodSync(scratch, 0o755);
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
const { checkProject } = await loadBundled(root, `export { checkProject } from './server/src/core/project';`);

// ---- the base configs ---------------------------------------------------------------------
// Each: its lines, the lines put in front of it (where the spool and log go: @DIR@ is the
// mutant's scratch directory), the SMTP session's sender and recipients (a local and a
// remote address at least), and whether a real delivery is safe (its transports write only
// under DIR).
const readLines = (file) => fs.readFileSync(file, 'latin1').replace(/\n$/, '').split('\n');
const BASES = [
  {
    name: 'reference', lines: readLines(path.join(root, 'examples/reference/exim.conf')),
    prelude: ['spool_directory = @DIR@/spool', 'log_file_path = @DIR@/log/%slog'],
    sender: 'alice@example.com', rcpts: ['bob@example.org', 'postmaster@localhost', 'someone@remote.example'], deliver: false,
  },
  {
    name: 'acl-rich', lines: readLines(path.join(root, 'scripts/mutate-runtime.conf')),
    prelude: ['RUNTIME_DIR = @DIR@', 'spool_directory = @DIR@/spool', 'log_file_path = @DIR@/log/%slog'],
    sender: 'alice@example.net', rcpts: ['bob@example.net', 'postmaster@example.net', 'x@partner.example', 'someone@remote.example', 'nobody@example.net'], deliver: true,
  },
];
{
  // Debian's own config, as update-exim4.conf assembles it from a copy of /etc/exim4 (the
  // template, internet site): mutate-debian's recipe.
  const copy = path.join(scratch, 'debian-etc');
  const out = path.join(scratch, 'debian.conf');
  if (fs.existsSync('/etc/exim4/exim4.conf.template') && fs.existsSync(UPDATE)) {
    fs.cpSync('/etc/exim4', copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'update-exim4.conf.conf'), [
      "dc_eximconfig_configtype='internet'", "dc_other_hostnames='example.org'", "dc_local_interfaces='127.0.0.1 ; ::1'",
      "dc_readhost=''", "dc_relay_domains=''", "dc_minimaldns='false'", "dc_relay_nets='192.0.2.0/24'", "dc_smarthost=''",
      "CFILEMODE='644'", "dc_use_split_config='false'", "dc_hide_mailname=''", "dc_mailname_in_oh='true'", "dc_localdelivery='mail_spool'", '',
    ].join('\n'));
    const u = spawnSync(UPDATE, ['-d', copy, '-o', out], { encoding: 'utf8', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } });
    if (u.status === 0) {
      BASES.push({
        name: 'debian', lines: readLines(out),
        // Debian's template takes SPOOLDIR from a macro defined before it.
        prelude: ['SPOOLDIR = @DIR@/spool', 'log_file_path = @DIR@/log/%slog'],
        sender: 'root@example.org', rcpts: ['postmaster@example.org', 'root@localhost', 'someone@remote.example'], deliver: false,
      });
    } else console.log(`update-exim4.conf failed (${u.stderr.trim().split('\n').at(-1)}): no Debian base`);
  }
}
for (const b of BASES) b.recs = classify(b.lines);

// ---- names a config defines ---------------------------------------------------------------
const LIST_DEF = /^\s*(domain|host|address|localpart)list(?:_cache)?\s+([A-Za-z0-9_.-]+)\s*=/;
function namesOf(recs) {
  const n = { transports: [], routers: [], acls: [], macros: [], lists: {} };
  for (const x of recs) {
    if (x.kind === 'header') {
      const name = /^\s*([A-Za-z0-9_.-]+)\s*:/.exec(x.raw)[1];
      if (x.section === 'transports') n.transports.push(name);
      else if (x.section === 'routers') n.routers.push(name);
      else if (x.section === 'acl') n.acls.push(name);
    } else if (x.kind === 'macro') n.macros.push(/^\s*([A-Z][A-Za-z0-9_]*)/.exec(x.raw)[1]);
    else if (x.kind === 'listdef') {
      const m = LIST_DEF.exec(x.raw);
      (n.lists[m[1]] ??= []).push(m[2]);
    }
  }
  n.listKind = new Map(Object.entries(n.lists).flatMap(([k, xs]) => xs.map((x) => [x, k])));
  return n;
}

// ---- the mutations ------------------------------------------------------------------------
const replaceLine = (lines, n, text) => [...lines.slice(0, n), ...[].concat(text), ...lines.slice(n + 1)];
const insertAt = (lines, n, text) => [...lines.slice(0, n), ...[].concat(text), ...lines.slice(n)];
/** A line Exim reads at run time: a router's or transport's option, an ACL line, or a main option it expands when mail comes. */
const RUNTIME_MAIN = /^\s*(acl_[a-z_]+|smtp_banner|received_header_text|message_size_limit|helo_accept_junk_hosts|sender_unqualified_hosts|recipient_unqualified_hosts|host_lookup|qualify_domain|qualify_recipient|smtp_active_hostname|bounce_message_file|errors_reply_to|local_from_prefix)\s*=/;
const runtime = (x) => !['blank', 'comment', 'directive', 'begin', 'macro', 'header', 'listdef'].includes(x.kind)
  && (['routers', 'transports', 'acl'].includes(x.section) || (x.section === 'main' && RUNTIME_MAIN.test(x.raw)));
/** Replaces `len` characters at `at` of line `n` with `text`. */
const splice = (lines, n, at, len, text) => replaceLine(lines, n, lines[n].slice(0, at) + text + lines[n].slice(at + len));
const sitesOf = (recs, re, keep = runtime) => recs.filter(keep).flatMap((x) => [...x.raw.matchAll(re)].map((m) => ({ x, m })));

/** A balanced `{...}` group starting at `i` of `s`: its end (exclusive), or -1. */
function groupEnd(s, i) {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '\\') { j++; continue; }
    if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return j + 1;
  }
  return -1;
}

// Expansions and ACL lines put in: some well-formed (then Exim must behave as before, and we
// must not complain), most broken in one way Exim only meets when it expands them.
const EXPANSIONS = [
  ['ok', '${if eq{$local_part}{zz}{no}{yes}}'],
  ['ok', '${if match{$local_part}{^[a-z]}{yes}{yes}}'],
  ['ok', '${if and{{def:domain}{!eq{$domain}{}}}{yes}{yes}}'],
  ['ok', '${lc:${uc:yes}}'],
  ['ok', '${if eq {$local_part} {zz} {no} {yes}}'],
  ['ok', '${if or{{eq{$local_part}{zz}}{bool{true}}}{yes}{no}}'],
  ['ok', '${sg{yes}{x}{y}}'],
  ['unknown-condition', '${if eqq{$local_part}{zz}{no}{yes}}'],
  ['unknown-operator', '${lcc:yes}'],
  ['unknown-item', '${lookupp{$local_part}lsearch{/dev/null}{no}{yes}}'],
  ['unknown-variable', '${if eq{$local_partt}{zz}{no}{yes}}'],
  ['unknown-variable', '${if eq{$acl_x_foo}{zz}{no}{yes}}'],
  ['unbalanced', '${if eq{$local_part}{zz}{no}{yes}'],
  ['unbalanced', '${if eq{$local_part}{zz}{no}{yes}}}'],
  ['arg-count', '${if eq{$local_part}}'],
  ['arg-count', '${sg{yes}{x}}'],
  ['arg-count', '${tr{yes}{y}}'],
  ['arg-count', '${substr{1}}'],
  ['arg-count', '${if eq{$local_part}{zz}{no}{yes}{maybe}}'],
  ['bad-number', '${if >{$rcpt_count}{many}{no}{yes}}'],
  ['bad-lookup-type', '${lookup{$local_part}lsearchh{/dev/null}{no}{yes}}'],
  ['missing-file', '${lookup{$local_part}lsearch{/nonexistent/mutant}{no}{yes}}'],
  ['bad-regex', '${if match{$local_part}{^[a-z}{yes}{yes}}'],
];
/** Regular expressions put first in a list: Exim compiles one when a match reaches it. */
const LIST_REGEXES = [
  ['ok', '\\N^mut[0-9]+\\.example$\\N'],
  ['ok', '^mut-[a-z]+'],
  ['glob-as-regex', '^*.mut.example'],
  ['open-group', '^(mut'],
  ['open-class', '^mut[a-z'],
  ['unmatched-paren', '^mut)'],
  ['escape-eaten', '^mut\\(x'],
];
/** Conditions that are right in some ACL and wrong in another, as `warn` statements (a `warn` that works changes no reply). */
const ACL_CONDITIONS = (n) => [
  'verify = recipient', 'verify = sender', 'verify = header_syntax', 'verify = helo', 'verify = reverse_host_lookup',
  'recipients = alice@example.net', 'senders = :', 'local_parts = postmaster', 'domains = example.net', 'authenticated = *',
  'control = submission', 'control = no_multiline_responses', 'control = suppress_local_fixups', 'verify = not_blind',
  'hosts = 192.0.2.0/24', 'condition = false', 'set acl_m_mut = $local_part', 'add_header = X-Mut: yes', 'remove_header = X-Mut',
  'ratelimit = 100 / 1h / strict', 'verify = certificate', 'encrypted = *', 'delay = 0s', 'logwrite = mutant', 'queue = q', 'seen = -1s',
  'mime_regex = x', 'decode = default', 'regex = xyz', 'sender_domains = example.com', 'verify = header_sender', 'acl = MUT_NO_ACL',
  // Arguments Exim reads only when the statement runs.
  'delay = 5', 'seen = 1x', 'ratelimit = 10 / 60', 'ratelimit = 10 / 1h / per_rcpt / per_mail', 'queue = a/b', 'logwrite = :maim: mutant',
  ...['allow_auth_unadvertised', 'caseful_local_part', 'caselower_local_part', 'dkim_disable_verify', 'enforce_sync', 'fakedefer', 'freeze',
    'no_callout_flush', 'no_delay_flush', 'no_mbox_unspool', 'no_pipelining', 'queue', 'utf8_downconvert', 'wellknown', 'dscp = ef', 'nosuch_control'].map((c) => `control = ${c}`),
  ...Object.entries(n.lists).flatMap(([k, xs]) => xs.map((x) => `${{ domain: 'domains', host: 'hosts', address: 'senders', localpart: 'local_parts' }[k]} = +${x}`)),
];
const LIST_OPTION = { domain: ['domains'], host: ['hosts'], address: ['senders'], localpart: ['local_parts'] };

const RUNTIME = {
  /** A router's transport (or file/pipe/reply transport) renamed, or set to a router's or ACL's name. */
  'transport-ref'(r, lines, recs, n) {
    const s = r.pick(sitesOf(recs, /^(\s*(?:transport|file_transport|pipe_transport|reply_transport|directory_transport)\s*=\s*)([A-Za-z0-9_.-]+)\s*$/g, (x) => x.section === 'routers' && runtime(x)));
    if (!s) return;
    const next = r.next() < 0.6 ? misspell(r, s.m[2]) : r.pick([...n.routers, ...n.acls, 'MUT_TRANSPORT']);
    return splice(lines, s.x.n, s.m[1].length, s.m[2].length, next);
  },
  /** A `+name` list reference misspelt. */
  'list-ref'(r, lines, recs) {
    const s = r.pick(sitesOf(recs, /(?<![\w$])\+([A-Za-z_][A-Za-z0-9_.-]*)/g));
    return s && splice(lines, s.x.n, s.m.index + 1, s.m[1].length, misspell(r, s.m[1]));
  },
  /**
   * A list's ":" between two plain items written as "," or a space, as other mail servers
   * separate list items: named lists and the list options and conditions, not "<" lists.
   */
  'list-separator'(r, lines, recs) {
    const LIST_LINE = /^\s*(?:(?:domain|host|address|localpart)list\s+\w+|(?:[a-z]+\s+)?!?\s*(?:domains|hosts|local_parts|senders|recipients|sender_domains|relay_from_hosts|local_domains))\s*=\s*[^<\s]/;
    const s = r.pick(sitesOf(recs, /(?<=[\w.*@+-])\s*:\s*(?=[\w.*@+!-])/g, (x) => LIST_LINE.test(x.raw) && !x.raw.includes('$') && !x.raw.includes('::')));
    return s && splice(lines, s.x.n, s.m.index, s.m[0].length, r.pick([', ', ',', ' ']));
  },
  /** A `+name` reference to a list of another kind, or a list definition of another kind. */
  'list-kind'(r, lines, recs, n) {
    if (r.next() < 0.3) {
      const x = r.pick(recs.filter((y) => y.kind === 'listdef'));
      if (!x) return;
      const m = /^(\s*)(domain|host|address|localpart)list/.exec(x.raw);
      return splice(lines, x.n, m[1].length, m[2].length, r.pick(['domain', 'host', 'address', 'localpart'].filter((k) => k !== m[2])));
    }
    const s = r.pick(sitesOf(recs, /(?<![\w$])\+([A-Za-z_][A-Za-z0-9_.-]*)/g).filter((y) => n.listKind.has(y.m[1])));
    if (!s) return;
    const other = r.pick([...n.listKind].filter(([, k]) => k !== n.listKind.get(s.m[1])));
    return other && splice(lines, s.x.n, s.m.index + 1, s.m[1].length, other[0]);
  },
  /** An `acl =` condition or `acl_smtp_*` option naming another (or no) ACL. */
  'acl-ref'(r, lines, recs, n) {
    const s = r.pick(sitesOf(recs, /^(\s*(?:acl_(?:smtp|not_smtp)[a-z_]*|(?:[a-z]+\s+)?!?\s*acl)\s*=\s*)([A-Za-z0-9_.-]+)\s*$/g));
    if (!s) return;
    const next = r.next() < 0.6 ? misspell(r, s.m[2]) : r.pick([...n.transports, ...n.routers, 'MUT_ACL']);
    return splice(lines, s.x.n, s.m[1].length, s.m[2].length, next);
  },
  /** A macro used in a run-time option misspelt, or a run-time option's value made an undefined macro's name. */
  'macro-ref'(r, lines, recs, n) {
    const uses = n.macros.length ? sitesOf(recs, new RegExp(`\\b(${n.macros.join('|')})\\b`, 'g')) : [];
    if (uses.length && r.next() < 0.5) {
      const s = r.pick(uses);
      return splice(lines, s.x.n, s.m.index, s.m[1].length, misspell(r, s.m[1]).toUpperCase());
    }
    const s = r.pick(sitesOf(recs, /^(\s*(?:[a-z]+\s+)?!?\s*[a-z_]+\s*=\s*)(\S.*?)\s*$/g).filter((y) => !/\\$/.test(y.x.raw)));
    return s && splice(lines, s.x.n, s.m[1].length, s.m[2].length, r.pick(['MUT_UNDEFINED', `${s.m[2]}_MUT_SUFFIX`.replace(/^.*_MUT/, 'MUT')]));
  },
  /** An expansion variable misspelt. */
  'expansion-variable'(r, lines, recs) {
    const s = r.pick(sitesOf(recs, /\$\{?([a-z][a-z0-9_]*)/g));
    if (!s) return;
    const at = s.m.index + s.m[0].length - s.m[1].length;
    return splice(lines, s.x.n, at, s.m[1].length, misspell(r, s.m[1]));
  },
  /** An expansion item, operator or condition misspelt. */
  'expansion-operator'(r, lines, recs) {
    const s = r.pick([
      ...sitesOf(recs, /\$\{([a-z][a-z0-9_]*)(?=[:{\s])/g),
      ...sitesOf(recs, /\$\{if\s+!?\s*([a-z][a-z0-9_]*)/g),
    ]);
    if (!s) return;
    const at = s.m.index + s.m[0].length - s.m[1].length;
    return splice(lines, s.x.n, at, s.m[1].length, misspell(r, s.m[1]));
  },
  /** One `{...}` argument of an expansion dropped or repeated. */
  'expansion-args'(r, lines, recs) {
    const sites = [];
    for (const x of recs.filter(runtime)) {
      if (!x.raw.includes('${')) continue;
      for (let i = x.raw.indexOf('}{'); i >= 0; i = x.raw.indexOf('}{', i + 1)) {
        const e = groupEnd(x.raw, i + 1);
        if (e > 0) sites.push({ x, at: i + 1, end: e });
      }
    }
    const s = r.pick(sites);
    if (!s) return;
    const group = s.x.raw.slice(s.at, s.end);
    return splice(lines, s.x.n, s.at, group.length, r.next() < 0.5 ? '' : group + group);
  },
  /** A brace of an expansion dropped or doubled. */
  'expansion-braces'(r, lines, recs) {
    const s = r.pick(sitesOf(recs, /[{}]/g).filter((y) => y.x.raw.includes('${')));
    return s && splice(lines, s.x.n, s.m.index, 1, r.next() < 0.7 ? '' : s.m[0] + s.m[0]);
  },
  /** A router, transport or ACL statement given a setting with an expansion, well-formed or broken. */
  'inject-expansion'(r, lines, recs) {
    const [why, exp] = r.pick(EXPANSIONS);
    const sites = [];
    for (const x of recs) {
      if (x.kind === 'option' && x.section === 'routers' && /^\s*driver\s*=/.test(x.raw)) {
        sites.push({ at: x.n + 1, line: r.pick([`  condition = ${exp}`, `  address_data = ${exp}`]) });
      }
      if (x.kind === 'option' && x.section === 'transports' && /^\s*driver\s*=/.test(x.raw)) sites.push({ at: x.n + 1, line: `  headers_add = X-Mut: ${exp}` });
      if (x.kind === 'verb' && !/\\\s*$/.test(x.raw)) {
        sites.push({ at: x.n, line: r.pick([`  warn    condition = ${exp}`, `  warn    set acl_m_mut = ${exp}`, `  warn    logwrite = ${exp}`]) });
      }
    }
    const s = r.pick(sites);
    return s && { lines: insertAt(lines, s.at, s.line), note: why };
  },
  /** A `warn` statement with a condition right in some ACL, put into another. */
  'acl-misplaced'(r, lines, recs, n) {
    const x = r.pick(recs.filter((y) => y.kind === 'verb'));
    return x && insertAt(lines, x.n, `  warn    ${r.pick(ACL_CONDITIONS(n))}`);
  },
  /** A router given a list condition naming a list of any kind (`domains = +hostlist`, ...). */
  'router-list-option'(r, lines, recs, n) {
    const x = r.pick(recs.filter((y) => y.kind === 'option' && y.section === 'routers' && /^\s*driver\s*=/.test(y.raw)));
    const list = r.pick([...n.listKind]);
    if (!x || !list) return;
    const option = r.pick(['domains', 'local_parts', 'senders']);
    const right = LIST_OPTION[list[1]].includes(option);
    // A list of the right kind, negated, so the router still takes what it took (mostly).
    return { lines: insertAt(lines, x.n + 1, `  ${option} = ${right ? '!' : ''}+${list[0]}${right ? ' : *' : ''}`), note: right ? 'right kind' : 'wrong kind' };
  },
  /** A list (a named list, or a router's or ACL's list condition) given a regular expression as its first item, well-formed or not. */
  'list-regex'(r, lines, recs) {
    const s = r.pick(sitesOf(recs, /^(\s*(?:(?:domain|host|address|localpart)list(?:_cache)?\s+[A-Za-z0-9_.-]+|(?:[a-z]+\s+)?!?\s*(?:domains|local_parts|senders|recipients|hosts))\s*=\s*)(?=[^\s<])/g,
      (x) => x.kind === 'listdef' || runtime(x)));
    if (!s) return;
    const [why, item] = r.pick(LIST_REGEXES);
    return { lines: splice(lines, s.x.n, s.m[1].length, 0, `${item} : `), note: why };
  },
};
let donorPool;
const GENERIC = eximMutations(() => donorPool ??= donorsOf(BASES));
const REUSED = ['rename-reference', 'break-expansion', 'acl-condition', 'transplant-acl', 'macroize'];
const KINDS = { ...RUNTIME, ...Object.fromEntries(REUSED.map((k) => [k, (r, lines, recs) => GENERIC[k](r, lines, recs)])) };
const kinds = Object.keys(KINDS).filter((k) => k.includes(KIND));
if (!kinds.length) bail(`no mutation kind matches "${KIND}" (known: ${Object.keys(KINDS).join(', ')})`);

// ---- the mutants --------------------------------------------------------------------------
const r = rng(SEED);
const mutants = [];
const seen = new Set();
for (let tries = 0; mutants.length < COUNT && tries < COUNT * 30; tries++) {
  const base = r.pick(BASES);
  const kind = r.pick(kinds);
  let out = KINDS[kind](r, base.lines, base.recs, base.names ??= namesOf(base.recs));
  if (!out) continue;
  const note = out.note;
  if (out.lines) out = out.lines;
  const key = base.name + '\n' + out.join('\n');
  if (out.join('\n') === base.lines.join('\n') || seen.has(key)) continue;
  seen.add(key);
  mutants.push({ id: mutants.length, base, kind, note, lines: out });
}

// ---- the real Exim ------------------------------------------------------------------------
const run = (args, input, dir) => runProgram('unshare', ['-n', '--', EXIM, ...args], { cwd: dir, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' }, input: input ?? '' });

/** A scratch directory with spool, log, mailboxes and aliases, and the config in it. */
function layOut(dir, base, lines) {
  for (const d of ['spool', 'log', 'mail']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, 'aliases'), 'postmaster: alice\nabuse: alice\n');
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, [...base.prelude.map((l) => l.replaceAll('@DIR@', dir)), ...lines, ''].join('\n'), 'latin1');
  spawnSync('chown', ['-R', 'Debian-exim:Debian-exim', path.join(dir, 'spool'), path.join(dir, 'log'), path.join(dir, 'mail')]);
  for (const f of [dir, conf, path.join(dir, 'aliases')]) fs.chmodSync(f, f === dir ? 0o755 : 0o644);
  return conf;
}

const MSGID = /\b[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2}\b/g;
const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?( [+-]\d{4})? (\[\d+\] )?/;
/** What is the same from run to run: no message ids, times, pids, scratch paths or config line numbers. */
const norm = (s, dir) => s.replaceAll(dir, 'DIR').replace(MSGID, 'ID').replace(STAMP, '')
  .replace(/\b\w{3}, \d\d? \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\b/g, 'DATE').replace(/\d\d:\d\d:\d\d/g, 'TIME')
  .replace(/\bexim\.conf \d+\b/g, 'exim.conf N').replace(/line \d+ of/g, 'line N of').replace(/\[\d+\]/g, '[PID]').trimEnd();
const NOISE = /^(Warning: purging the environment| Suggested action: use keep_environment|exim user lost privilege for using -C option)/;

/** What Exim does with a config: its load verdict, then the SMTP session's replies and log, the routing tests, the delivery. */
async function observe(dir, base, lines) {
  const conf = layOut(dir, base, lines);
  const bv = await run(['-C', conf, '-bV'], '', dir);
  const load = verdict(bv);
  if (load.kind !== 'accept') return { load, items: [] };
  const items = [];
  const dialog = ['EHLO client.example.net', `MAIL FROM:<${base.sender}>`, ...base.rcpts.map((a) => `RCPT TO:<${a}>`), 'DATA', 'Subject: runtime mutant', '', 'hello', '.', 'QUIT', ''].join('\r\n');
  const bh = await run(['-C', conf, '-bh', '127.0.0.1'], dialog, dir);
  if (bh.timedOut) items.push('bh: TIMEOUT');
  // The replies (one line per reply, multi-line replies joined) and what it logs.
  let cur = [];
  for (const l of bh.stdout.split(/\r?\n/)) {
    if (!/^\d{3}[ -]/.test(l)) continue;
    cur.push(l);
    if (l[3] === ' ') { items.push('bh reply: ' + norm(cur.join(' / '), dir)); cur = []; }
  }
  for (const l of bh.stderr.split('\n')) {
    if (/^LOG:/.test(l) || /^>>>.*(failed to expand|configuration error|panic|not found|not defined|unknown|cannot test|not allowed|error)/i.test(l)) items.push('bh log: ' + norm(l, dir));
  }
  for (const a of base.rcpts) {
    const bt = await run(['-C', conf, '-bt', a], '', dir);
    const out = (bt.stdout + bt.stderr).split('\n').map((l) => norm(l, dir)).filter((l) => l.trim() && !NOISE.test(l));
    items.push(`bt ${a}: rc=${bt.timedOut ? 'TIMEOUT' : bt.code}`, ...out.map((l) => `bt ${a}: ${l}`));
  }
  if (base.deliver) {
    const d = await run(['-C', conf, '-odf', '-oi', '-f', base.sender, ...base.rcpts], 'Subject: runtime mutant\n\nhello\n', dir);
    if (d.timedOut) items.push('deliver: TIMEOUT');
    for (const log of ['mainlog', 'paniclog', 'rejectlog']) {
      let text = '';
      try { text = fs.readFileSync(path.join(dir, 'log', log), 'latin1'); } catch { /* none written */ }
      for (const l of text.split('\n').map((x) => norm(x, dir)).filter((x) => x.trim() && !NOISE.test(x) && !/^ /.test(x))) items.push(`${log}: ${l}`);
    }
    items.push('mailboxes: ' + fs.readdirSync(path.join(dir, 'mail')).sort().join(' '));
  }
  return { load, items };
}

/** What breaks: a temporary reply, a defer or error, a panic or config error, where the base had none of it. */
// ("Unknown user" and the like are a permanent answer, a change of meaning, not a breakage.)
const BROKEN = /^bh reply: 4|TIMEOUT|temporar|at this time|defer|failed to expand|configuration error|panic|not found|not defined|unknown (named|variable|expansion|lookup|condition|operator|ACL|transport|router)|not a known|cannot test|not allowed|error|rc=1$/i;
function outcome(base, m) {
  if (m.load.kind === 'timeout') return 'timeout';
  if (m.load.kind !== 'accept') return 'load';
  const before = new Set(base.items);
  const fresh = m.items.filter((x) => !before.has(x));
  if (fresh.some((x) => BROKEN.test(x))) return 'run';
  return fresh.length || m.items.length !== base.items.length ? 'changed' : 'same';
}

const pool = (items, fn) => poolOf(items, JOBS, fn);

// ---- ours ---------------------------------------------------------------------------------
const opts = { eximVersion: '4.96', cyrusVersion: 'latest', defines: {} };
const ours = (conf) => oursOn(checkProject, conf, opts);
const key = (f, dir) => `${f.code}|${f.severity}|${f.message.replaceAll(dir, 'DIR').replace(/\d+/g, 'N')}`;

// ---- run ----------------------------------------------------------------------------------
const started = Date.now();
// Every base's own behaviour, twice: what differs between two runs of the same config is not
// the mutation's doing and would make every mutant look changed.
const baseObs = new Map();
for (const b of BASES) {
  const dirs = [path.join(scratch, `base-${b.name}-1`), path.join(scratch, `base-${b.name}-2`)];
  const [o1, o2] = [await observe(dirs[0], b, b.lines), await observe(dirs[1], b, b.lines)];
  const unstable = new Set([...o1.items.filter((x) => !o2.items.includes(x)), ...o2.items.filter((x) => !o1.items.includes(x))]);
  o1.items = o1.items.filter((x) => !unstable.has(x));
  const findings = ours(path.join(dirs[0], 'exim.conf'));
  baseObs.set(b.name, { ...o1, unstable, findings: new Set(findings.map((f) => key(f, dirs[0]))), errors: findings.filter((f) => f.severity === 'error'), dir: dirs[0] });
  console.log(`base ${b.name}: exim ${o1.load.kind}${unstable.size ? ` (unstable between runs, left out: ${[...unstable].join(' | ')})` : ''}; ${o1.items.length} observations; our findings: ${findings.length}${findings.length ? ' (' + [...new Set(findings.map((f) => `${f.code}/${f.severity}`))].join(', ') + ')' : ''}`);
  if (o1.load.kind !== 'accept') { console.log(`mutate-runtime: Exim refuses base ${b.name}: ${o1.load.message}`); process.exit(1); }
}

const results = await pool(mutants, async (m) => {
  const dir = path.join(scratch, `m${m.id}`);
  const obs = await observe(dir, m.base, m.lines);
  const base = baseObs.get(m.base.name);
  obs.items = obs.items.filter((x) => !base.unstable.has(x));
  const what = outcome(base, obs);
  const all = ours(path.join(dir, 'exim.conf'));
  const fresh = all.filter((f) => !base.findings.has(key(f, dir)));
  const errs = fresh.filter((f) => f.severity === 'error');
  const warned = fresh.some((f) => f.severity === 'error' || f.severity === 'warning');
  let cls;
  if (base.errors.length) cls = 'original-has-errors';
  else if (what === 'timeout') cls = 'exim-timeout';
  else if (errs.length && what === 'same') cls = 'false-positive';
  else if ((what === 'load' || what === 'run') && !warned) cls = 'miss';
  else cls = 'agree';
  const before = new Set(base.items);
  const shownDiff = [...obs.items.filter((x) => !before.has(x)).map((x) => '+ ' + x), ...base.items.filter((x) => !obs.items.includes(x)).map((x) => '- ' + x)];
  fs.rmSync(dir, { recursive: true, force: true });
  const shown = (f) => ({ ...f, file: path.basename(f.file), message: f.message.replaceAll(dir, 'DIR') });
  const res = { ...m, what, cls, load: obs.load, shownDiff, all: fresh.map(shown), errs: errs.map(shown), warned };
  if (VERBOSE || (cls !== 'agree' && cls !== 'original-has-errors')) {
    console.log(`#${m.id} ${cls.toUpperCase()} ${m.kind}${m.note ? ` (${m.note})` : ''} on ${m.base.name}: exim ${what}${obs.load.message ? ` (${obs.load.message.slice(0, 100)})` : ''}; ours: ${[...new Set(fresh.filter((f) => f.severity !== 'hint').map((f) => `${f.code}/${f.severity[0]}`))].join(' ') || '-'}`);
  }
  return res;
});

// ---- summary and report -------------------------------------------------------------------
const out = [];
out.push(`mutate-runtime: ${BASES.map((b) => b.name).join(', ')}; seed ${SEED}, ${mutants.length} mutants, ${((Date.now() - started) / 1000).toFixed(1)}s`);
out.push('');
out.push(...kindTable(results));
out.push('FP: we report a new error, Exim loads the mutant and behaves exactly as before. miss: Exim');
out.push('breaks at load or at run time, we report no new error or warning.');
out.push('');
const cross = (o, w) => results.filter((x) => x.what === o && (w === 'error' ? x.errs.length : w === 'warning' ? !x.errs.length && x.warned : !x.warned)).length;
out.push('exim \\ ours'.padEnd(14) + ['error', 'warning', 'nothing'].map((w) => w.padStart(9)).join(''));
for (const o of ['load', 'run', 'changed', 'same', 'timeout']) out.push(o.padEnd(14) + ['error', 'warning', 'nothing'].map((w) => String(cross(o, w)).padStart(9)).join(''));
const summary = out.join('\n');
console.log('\n' + summary);

const entry = (x) => [
  `--- #${x.id} ${x.kind}${x.note ? ` (${x.note})` : ''} of ${x.base.name} (line numbers of the mutant, without the prelude)`,
  diff(x.base.lines, x.lines),
  `exim: ${x.what}${x.load.message ? `: ${x.load.message}` : ''}`,
  ...x.shownDiff.slice(0, 12).map((l) => `  ${l}`),
];
writeReport(REPORT, summary, results, entry);
// --verbose: the agreements too, where we warn and Exim behaves as before (a path the
// session and routing tests do not take, or a warning of ours too many).
if (VERBOSE) {
  const quiet = results.filter((x) => x.cls === 'agree' && x.what === 'same' && x.warned);
  const rows = quiet.flatMap((x) => [...entry(x), ...x.all.filter((f) => f.severity !== 'hint').slice(0, 4).map((f) => `we:   ${f.file}:${f.range.start.line + 1}: ${f.severity} ${f.code}: ${f.message.split('\n')[0]}`), '']);
  fs.appendFileSync(REPORT, [`==================== warned, Exim unchanged (${quiet.length}) ====================`, ...rows].join('\n'));
}
