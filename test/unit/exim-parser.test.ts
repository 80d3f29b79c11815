import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkExim, loadExim, reconstructFiles, walkExpansion, type ParsedExim } from '../../server/src/core/exim';
import { diskHost, overlayHost } from '../../server/src/core/host';
import { defaultOptions, type CheckOptions } from '../../server/src/core/options';
import type { Loc } from '../../server/src/core/exim/model';

const V = '/virtual/exim';

function load(files: Record<string, string>, root = `${V}/exim.conf`, opts: Partial<CheckOptions> = {}): ParsedExim {
  const m = new Map(Object.entries(files).map(([k, v]) => [path.join(V, k), v]));
  return loadExim(root, { ...defaultOptions, ...opts }, overlayHost(m, diskHost));
}

function at(l: Loc | undefined): string {
  assert.ok(l, 'missing loc');
  return `${path.basename(l.file)}:${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`;
}

function codes(c: ParsedExim): string[] {
  return c.parseFindings.map((f) => `${f.code}@${f.range.start.line}`);
}

function assertLossless(c: ParsedExim): void {
  const rec = reconstructFiles(c);
  assert.ok(rec.size > 0);
  for (const [file, text] of rec) assert.equal(text, c.files.get(file)!.text, `reconstructed ${file}`);
}

test('main options, named lists and their ranges', () => {
  const c = load({ 'exim.conf': 'primary_hostname = mail.example\nno_sync\nhide domainlist_cache local = a.example : !b.example : +other\n' });
  assert.deepEqual(codes(c), []);
  assert.equal(c.main[0].name, 'primary_hostname');
  assert.equal(c.main[0].value, 'mail.example');
  assert.equal(at(c.main[0].valueLoc), 'exim.conf:0:19-0:31');
  assert.equal(c.main[1].name, 'sync');
  assert.equal(c.main[1].negated, true);
  assert.equal(at(c.main[1].nameLoc), 'exim.conf:1:3-1:7');
  const l = c.lists[0];
  assert.deepEqual([l.kind, l.name, l.cached, l.hidden], ['domainlist', 'local', true, true]);
  assert.deepEqual(l.items.map((i) => [i.text, i.negated, i.ref ?? '']), [['a.example', false, ''], ['b.example', true, ''], ['+other', false, 'other']]);
  assert.equal(at(l.items[1].loc), 'exim.conf:2:43-2:52');
  assertLossless(c);
});

test('a continued value keeps each character on its physical line', () => {
  const c = load({ 'exim.conf': 'local_interfaces = 127.0.0.1 : \\\n     ::1 \\\n# a comment inside\n   : 10.0.0.1\n' });
  assert.deepEqual(codes(c), []);
  const o = c.main[0];
  assert.equal(o.value, '127.0.0.1 : ::1 : 10.0.0.1');
  assert.equal(at(o.valueLoc), 'exim.conf:0:19-3:13');
  assert.equal(at(o.loc), 'exim.conf:0:0-3:13');
  assertLossless(c);
});

test('macros: substitution, definition order, -D override, == and limits', () => {
  const text = [
    'MAILNAME = example.org',
    'primary_hostname = mail.MAILNAME',
    'qualify_domain = LATER',
    'LATER = late.example',
    'MAILNAME == other.example',
    'qualify_recipient = MAILNAME',
    'MAILNAME = again',
    'OVERRIDE = from-file',
    'helo_data = OVERRIDE',
    'A' + 'B'.repeat(63) + ' = x',
    'MAILNAMEX = y',
  ].join('\n') + '\n';
  const c = load({ 'exim.conf': text }, undefined, { defines: { OVERRIDE: 'from-cli' } });
  const v = Object.fromEntries(c.main.map((o) => [o.name, o.value]));
  assert.equal(v.primary_hostname, 'mail.example.org');
  assert.equal(v.qualify_domain, 'LATER', 'a macro is not visible before its definition');
  assert.equal(v.qualify_recipient, 'other.example');
  assert.equal(v.helo_data, 'from-cli');
  assert.deepEqual(codes(c), ['exim/syntax@6', 'exim/syntax@9', 'exim/syntax@10']);
  assert.match(c.parseFindings[0].message, /already defined.*==/);
  assert.match(c.parseFindings[1].message, /at most 63/);
  assert.equal(c.macros.get('MAILNAME')!.origin, 'config');
  assert.equal(at(c.main[0].valueLoc), 'exim.conf:1:19-1:32');
  assert.ok(c.macroUses.some((u) => u.name === 'MAILNAME' && at(u.loc) === 'exim.conf:1:24-1:32'));
  assert.ok(c.macros.get('_HAVE_TLS'), 'built-in feature macros are defined');
});

test('conditionals follow Exim, and unbalanced ones are reported', () => {
  const c = load({
    'exim.conf': '.ifdef _HAVE_TLS\ntls_advertise_hosts = *\n.else\nbroken line\n.endif\n.ifndef NOPE\nA = 1\n.elifdef A\nbad\n.endif\n.endif\n.ifdef NOPE\n',
  });
  assert.deepEqual(c.main.map((o) => o.name), ['tls_advertise_hosts']);
  assert.deepEqual(codes(c), ['exim/conditional-syntax@10', 'exim/conditional-syntax@11']);
  assertLossless(c);
});

test('an unclosed .ifdef names the last line of the configuration, where Exim reports it', () => {
  // exim4 -bV: "Exim configuration error in line 3 of exim.conf: Unexpected end of
  // configuration file: .endif missing" (the main file's last line, after the include).
  const c = load({
    'exim.conf': '.include parts/open.inc\nprimary_hostname = x\n\n',
    'parts/open.inc': '.ifdef X\nqualify_domain = a\n',
  });
  const [f] = c.parseFindings;
  assert.equal(f.code, 'exim/conditional-syntax');
  assert.equal(path.basename(f.file), 'open.inc');
  assert.deepEqual(f.related?.map((r) => `${path.basename(r.file)}:${r.range.start.line}`), ['exim.conf:2']);
  // Without a final newline the last line still counts.
  const d = load({ 'exim.conf': '.ifdef X\nqualify_domain = a\n# end' });
  assert.deepEqual(d.parseFindings[0].related?.map((r) => r.range.start.line), [2]);
});

test('.include resolves against the including file, reports missing files and loops', () => {
  const c = load({
    'exim.conf': 'begin routers\n.include parts/r.inc\n.include_if_exists /virtual/none\n.include missing.inc\n.include loop.inc\n',
    'parts/r.inc': 'r1:\n  driver = accept\n  transport = \\\n.include more.inc\n',
    'parts/more.inc': '     t1\n',
    'loop.inc': '.include loop.inc\n',
  });
  assert.equal(c.routers.length, 1);
  const t = c.routers[0].options.find((o) => o.name === 'transport')!;
  assert.equal(t.value, 't1');
  assert.equal(at(t.valueLoc), 'more.inc:0:5-0:7');
  assert.equal(c.routers[0].driver, 'accept');
  assert.deepEqual(codes(c), ['exim/include-not-found@3', 'exim/syntax@0']);
  assert.match(c.parseFindings[1].message, /loop/);
  assert.deepEqual(c.includes.map((i) => [path.basename(i.resolved), i.found, i.optional]),
    [['r.inc', true, false], ['more.inc', true, false], ['none', false, true], ['missing.inc', false, false], ['loop.inc', true, false], ['loop.inc', true, false]]);
  assertLossless(c);
});

test('sections, drivers, ACL statements, retry and rewrite', () => {
  const c = load({
    'exim.conf': [
      'begin acl', 'check_rcpt:', '  accept hosts = :', '         !verify = sender/callout=5s', '  set acl_m_x = ${lc:$domain}',
      '  deny', '    message = no', '  endpass', 'MACRO = x', '  accept',
      'begin routers', 'r1:', '  driver = accept', 'r2: driver = redirect',
      'begin retry', '* * senders = a@b F,2h,15m; G,16h,1h,1.5',
      'begin rewrite', '*@x "$1@y" Fq', '*@z $1@w Zz',
      'begin routers', 'begin nonsense',
    ].join('\n') + '\n',
  });
  const acl = c.acls[0];
  assert.equal(acl.name, 'check_rcpt');
  assert.deepEqual(acl.statements.map((s) => [s.verb, s.items.map((i) => (i.negated ? '!' : '') + i.name).join(',')]),
    [['accept', 'hosts,!verify,set'], ['deny', 'message,endpass']]);
  const set = acl.statements[0].items[2];
  assert.equal(set.varName, 'acl_m_x');
  assert.equal(set.value, '${lc:$domain}');
  assert.equal(set.expansion![0].kind, 'operator');
  assert.equal(acl.statements[0].items[1].value, 'sender/callout=5s');
  assert.deepEqual(c.routers.map((r) => r.name), ['r1', 'r2']);
  assert.deepEqual(c.retry.map((r) => [r.pattern, r.error, r.senders, r.rules]), [['*', '*', 'a@b', 'F,2h,15m; G,16h,1h,1.5']]);
  assert.deepEqual(c.rewrite.map((r) => [r.pattern, r.replacement, r.flags]), [['*@x', '$1@y', 'Fq'], ['*@z', '$1@w', 'Zz']]);
  // endpass is fine, a statement after a macro line has no ACL, `r2: driver` is one line too many,
  // the unknown flag, the repeated and the unknown section.
  assert.deepEqual(codes(c), ['exim/syntax@9', 'exim/syntax@13', 'exim/syntax@18', 'exim/syntax@19', 'exim/syntax@20']);
});

test('expansion trees carry ranges in the file, and errors are nodes', () => {
  const c = load({ 'exim.conf': 'begin routers\nr:\n  driver = redirect\n  data = ${if eq{$local_part}{x} {${lookup{$local_part}lsearch{/etc/aliases}}}{\\N}\\N}}\n  condition = ${if and{{def:h_from:}{!bool{$acl_m0}}}\n' });
  const data = c.routers[0].options.find((o) => o.name === 'data')!;
  const kinds = [...walkExpansion(data.expansion!)].map((n) => n.kind + ('name' in n ? ':' + n.name : ''));
  assert.deepEqual(kinds, ['item:if', 'condition:eq', 'variable:local_part', 'text', 'item:lookup', 'variable:local_part', 'text', 'literal']);
  const v = [...walkExpansion(data.expansion!)].find((n) => n.kind === 'variable')!;
  assert.deepEqual(v.range, { start: { line: 3, character: 17 }, end: { line: 3, character: 28 } });
  const cond = c.routers[0].options.find((o) => o.name === 'condition')!;
  const errs = [...walkExpansion(cond.expansion!)].filter((n) => n.kind === 'error');
  assert.equal(errs.length, 1);
  assert.match((errs[0] as { message: string }).message, /not closed/);
});

test('unterminated quote and expansion at end of file give findings, not exceptions', () => {
  const c = load({ 'exim.conf': 'primary_hostname = "abc\nbegin transports\nt:\n  driver = pipe\n  command = ${if' });
  assert.deepEqual(codes(c), ['exim/syntax@0']);
  const cmd = c.transports[0].options.find((o) => o.name === 'command')!;
  assert.ok([...walkExpansion(cmd.expansion!)].some((n) => n.kind === 'error'));
  assertLossless(c);
});

test('BOM, CRLF and binary junk', () => {
  const bom = load({ 'exim.conf': '\ufeffprimary_hostname = x\n' });
  assert.deepEqual(codes(bom), ['exim/syntax@0']);
  assert.match(bom.parseFindings[0].message, /BOM/);
  assert.equal(bom.main[0].name, 'primary_hostname');
  const crlf = load({ 'exim.conf': 'primary_hostname = x\r\nbegin routers\r\nr:\r\n  driver = accept\r\n' });
  assert.deepEqual(codes(crlf), []);
  assert.equal(crlf.main[0].value, 'x');
  assert.equal(crlf.routers[0].driver, 'accept');
  assertLossless(crlf);
  const junk = load({ 'exim.conf': '\u0000\u0001\u00ff\u00fe{}}}${\\\n\\\n$$$\u0000' });
  assert.ok(junk.parseFindings.length > 0);
  assertLossless(junk);
});

test('a directive name followed by other than a space or the line end is a line Exim skips: .endif\\t, .ifdeff X, .else or .endif with a CRLF end', () => {
  // What exim -bV makes of each (Exim 4.96): the line is skipped without a word, so it
  // opens, closes or switches nothing, and the config is accepted when nothing else breaks.
  const sev = (c: ParsedExim) => c.parseFindings.map((f) => `${f.severity} ${f.code}@${f.range.start.line}`);
  const head = 'primary_hostname = x.example\n';
  // Unmatched, yet accepted: skipped, not an unmatched .endif nor a setting.
  assert.deepEqual(sev(load({ 'exim.conf': `${head}.endif\t\nqualify_domain = a\n` })), ['warning exim/conditional-syntax@1']);
  assert.deepEqual(sev(load({ 'exim.conf': `${head}.endiff\nqualify_domain = a\n` })), ['warning exim/conditional-syntax@1']);
  const opened = load({ 'exim.conf': `${head}.ifdeff FOO\nqualify_domain = a\n` });
  assert.deepEqual(sev(opened), ['warning exim/conditional-syntax@1']);
  assert.equal(opened.main.find((o) => o.name === 'qualify_domain')?.value, 'a', 'no conditional opened: the setting is read');
  // .else with a CRLF end switches no branch: the setting after it stays skipped.
  const els = load({ 'exim.conf': `${head}.ifdef FOO\nqualify_domain = a\n.else\r\nqualify_domain = b\n.endif\n` });
  assert.equal(els.main.find((o) => o.name === 'qualify_domain'), undefined);
  // .ifdef FOO with a CRLF end is an .ifdef (a space follows the name); its .endif with one is not:
  // Exim fails with ".endif missing" at the end of the file.
  const crlf = load({ 'exim.conf': `${head.replace('\n', '\r\n')}.ifdef FOO\r\nqualify_domain = a\r\n.endif\r\n` });
  assert.deepEqual(sev(crlf).sort(), ['error exim/conditional-syntax@1', 'warning exim/conditional-syntax@3']);
  assert.match(crlf.parseFindings.find((f) => f.severity === 'warning')!.message, /\.endif followed by a carriage return \(a CRLF line end\): it skips this line/);
  // A space, or trailing white space after one, is fine.
  assert.deepEqual(sev(load({ 'exim.conf': `${head}.ifdef FOO\nqualify_domain = a\n.endif \r\n` })), []);
});

test('a rewrite rule whose quoted replacement is not closed: Exim takes the rest of the line (a warning); an unclosed pattern leaves no replacement (an error)', () => {
  // exim -bV accepts the first (rc 0) and refuses the second: "missing rewrite replacement string".
  const sev = (c: ParsedExim) => c.parseFindings.map((f) => `${f.severity} ${f.code}@${f.range.start.line}`);
  const open = load({ 'exim.conf': 'primary_hostname = x.example\nbegin rewrite\n*@example.com "foo bar Ffrs\n' });
  assert.deepEqual(sev(open), ['warning exim/syntax@2']);
  assert.match(open.parseFindings[0].message, /takes the rest of the line, flags included/);
  assert.deepEqual(sev(load({ 'exim.conf': 'primary_hostname = x.example\nbegin rewrite\n"*@example.com foo\n' })), ['error exim/syntax@2']);
});

test('Debian conf.d: parts concatenated in section order, findings in the part files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confd-'));
  const put = (f: string, t: string) => { fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true }); fs.writeFileSync(path.join(dir, f), t); };
  put('main/01_macros', 'MAIN_X = hello\n');
  put('main/02_opts', 'primary_hostname = MAIN_X\n');
  put('router/00_header', 'begin routers\n');
  put('router/10_a', 'a:\n  driver = accept\n');
  put('router/20_b', 'b:\n  driver = accept\n');
  put('router/20_b.rul', 'b_rul:\n  driver = accept\n');
  put('router/30.skip', 'ignored:\n');
  put('acl/00_header', 'begin acl\n');
  put('acl/10_rcpt', 'rcpt:\n  accept\n  hosts here\n');
  try {
    const c = loadExim(dir, defaultOptions, diskHost);
    assert.equal(c.main[0].value, 'hello');
    assert.deepEqual(c.routers.map((r) => r.name), ['a', 'b_rul']);
    assert.deepEqual(c.parseFindings.map((f) => `${path.relative(dir, f.file)}:${f.range.start.line}`), ['acl/10_rcpt:2']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a 10 MB file parses in bounded time', () => {
  const unit = 'begin routers\n' + Array.from({ length: 40 }, (_, i) => `r${i}:\n  driver = accept\n  domains = a.example : b.example\n  condition = \${if eq{$local_part}{x}{yes}{no}}\n`).join('');
  const body = 'MAC = value\nprimary_hostname = MAC.example\n' + 'x'.repeat(200_000) + ' = \\\n' + unit.repeat(Math.ceil(10_000_000 / unit.length));
  const t0 = Date.now();
  const c = load({ 'exim.conf': body });
  const ms = Date.now() - t0;
  assert.ok(c.routers.length > 1000);
  // Generous for loaded CI machines; a quadratic step would take minutes here.
  assert.ok(ms < 30000, `took ${ms} ms`);
});

test('an operator with a negative numeric argument keeps the "-" in its name, as Exim reads it', () => {
  const c = load({ 'exim.conf': 'begin routers\nr:\n  driver = redirect\n  data = ${substr_-1_1:$domain}\n' });
  const q = c.routers[0].options.find((o) => o.name === 'data')!;
  const ops = [...walkExpansion(q.expansion!)].filter((n) => n.kind === 'operator').map((n) => 'name' in n && n.name);
  assert.deepEqual(ops, ['substr_-1_1']);
  const errors = checkExim(c, defaultOptions).filter((f) => f.code === 'exim/expansion-syntax');
  assert.deepEqual(errors.map((f) => f.message), []);
});

test('a command is split into arguments before each is expanded: "\\\\$" in a quoted argument is a literal $', () => {
  const conf = 'begin routers\nq:\n  driver = queryprogram\n  command = /bin/echo \\\n    "${if match{$local_part}{^\\"([^\\"]*)\\"(.*)\\\\$}{$1$2}{$local_part}}"\n';
  const c = load({ 'exim.conf': conf });
  const cmd = c.routers[0].options.find((o) => o.name === 'command')!;
  const nodes = [...walkExpansion(cmd.expansion!)];
  assert.deepEqual(nodes.filter((n) => n.kind === 'error'), []);
  // The first $local_part sits on the continuation line, after `"${if match{`.
  const v = nodes.find((n) => n.kind === 'variable')!;
  assert.deepEqual(v.range, { start: { line: 4, character: 16 }, end: { line: 4, character: 27 } });
  assert.deepEqual(checkExim(c, defaultOptions).filter((f) => f.code === 'exim/expansion-syntax'), []);
});

test('an unterminated quote that runs onto a continuation line is reported on the last line, as Exim does', () => {
  const c = load({ 'exim.conf': 'qualify_domain = test.ex\nhold_domains = "a\\x65b :\\\n                c.d\n\n# End\n' });
  const f = c.parseFindings.filter((x) => x.code === 'exim/syntax');
  assert.deepEqual(f.map((x) => `${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character}`), ['2:16-2:19']);
  // On one line, it still starts at the opening quote.
  const d = load({ 'exim.conf': 'hold_domains = "a : b\n' });
  assert.deepEqual(d.parseFindings.map((x) => `${x.range.start.line}:${x.range.start.character}`), ['0:15']);
});

test('section, driver, ACL and verb names are read in place as Exim reads them', () => {
  const c = load({
    'exim.conf': [
      'BeGiN acl', 'check:', '  deny !verify = sender', '  !accept hosts = :', '  warn set acl_m0 = 1', '  Warn', 'X = y',
      'begin  Routers', 'r1:', '  driver = accept', 'R = z', '  domains = +local',
      'beginning = 1',
    ].join('\n') + '\n',
  });
  assert.deepEqual(c.sections.map((s) => s.name), ['acl', 'routers']);
  const stmts = c.acls[0].statements;
  assert.deepEqual(stmts.map((s) => `${s.verb}:${s.items.map((i) => `${i.negated ? '!' : ''}${i.name}${i.varName ? ' ' + i.varName : ''}=${i.value}`).join(',')}`),
    ['deny:!verify=sender', 'accept:hosts=:', 'warn:set acl_m0=1,Warn=undefined']);
  assert.equal(at(stmts[1].verbLoc), 'exim.conf:3:3-3:9');
  assert.deepEqual(c.routers.map((r) => `${r.name}:${r.options.map((o) => o.name).join(',')}`), ['r1:driver']);
  assert.deepEqual(c.parseFindings.map((f) => `${f.range.start.line}:${f.message.split(/[;:]/)[0]}`), [
    // "Warn" is no verb, so an item of the warn above, unknown: the ACL rule's to report.
    '3:An ACL verb cannot be negated', '11:This setting belongs to no router',
  ]);
});
