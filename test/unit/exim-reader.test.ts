// The Exim reader's shortcuts must read every line as Exim does: a line is searched for
// macros only when it could hold one, and a comment is a comment before or after
// substitution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExim, loadExim, reconstructFiles } from '../../server/src/core/exim';
import { MacroStarts } from '../../server/src/core/exim/macros';
import { overlayHost } from '../../server/src/core/host';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';

const FILE = '/virtual/reader/exim.conf';

function load(text: string) {
  return loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text]])));
}

test('a macro whose value starts with # makes its line a comment (Exim test 0290)', () => {
  const c = load('C1=#\nC2=#\nC1C2 this should be a comment\n  C1 indented too\nqualify_domain = example.com\n');
  assert.deepEqual(c.parseFindings, []);
  assert.deepEqual(c.main.map((o) => o.name), ['qualify_domain']);
  assert.deepEqual(c.macroUses.map((u) => `${u.name}@${u.loc.range.start.line}`), [], 'a comment line records no use');
  assert.deepEqual(checkExim(c, defaultOptions).map((f) => f.message), [
    'The macro "C1" is defined but never used.', 'The macro "C2" is defined but never used.',
  ]);
});

test('a comment line is not substituted, whatever macros it names', () => {
  const c = load('X = y\n# X is used here only in a comment\nqualify_domain = example.com\n');
  assert.deepEqual(c.macroUses, []);
  assert.deepEqual(c.main.map((o) => o.value), ['example.com']);
});

test('macros are found on any line with an upper-case letter, after lines without one', () => {
  const text = [
    'DOM = example.com',
    'primary_hostname = mail.example.com',
    'qualify_domain = DOM',
    'qualify_recipient = x.DOM',
    '# DOM',
    'trusted_users = mail',
    '  # x',
    'local_interfaces = <; ::1 ; 127.0.0.1',
    'received_header_text = Received: by DOM \\',
    '  for DOM',
  ].join('\n') + '\n';
  const c = load(text);
  assert.deepEqual(c.main.map((o) => `${o.name}=${o.value}`), [
    'primary_hostname=mail.example.com', 'qualify_domain=example.com', 'qualify_recipient=x.example.com',
    'trusted_users=mail', 'local_interfaces=<; ::1 ; 127.0.0.1', 'received_header_text=Received: by example.com for example.com',
  ]);
  assert.deepEqual(c.macroUses.map((u) => u.loc.range.start.line), [2, 3, 8, 9]);
  assert.equal(reconstructFiles(c).get(FILE), text);
});

test('every physical line is a piece of its kind, and the pieces rebuild the file', () => {
  const text = '# c\n\n.ifdef NOPE\nskipped = 1\n.endif\nqualify_domain = a\\\n  .example\n.include /virtual/reader/none\n';
  const c = load(text);
  const pieces = c.pieces.get(FILE)!;
  assert.deepEqual(pieces.map((p) => p.kind), ['comment', 'blank', 'directive', 'skipped', 'directive', 'content', 'content', 'include']);
  assert.deepEqual(pieces.map((p) => [p.line, p.start, p.end]).slice(0, 3), [[0, 0, 4], [1, 4, 5], [2, 5, 17]]);
  assert.equal(c.pieces, c.pieces, 'made once');
  assert.equal(reconstructFiles(c).get(FILE), text);
});

test('a macro name that holds an earlier macro\'s name is refused, naming the first such macro in list order', () => {
  const c = load([
    'X_HAVE_TLS_OCSP_Y = 1',
    'Y_HAVE_TLS_RESUMEZ = 2',
    'AB = 3',
    'XABY = 4',
    'qualify_domain = _HAVE_TLS.AB',
  ].join('\n') + '\n');
  assert.deepEqual(c.parseFindings.map((f) => f.message.split(':')[0]), [
    'X_HAVE_TLS_OCSP_Y cannot be a macro name',
    'Y_HAVE_TLS_RESUMEZ cannot be a macro name',
    'XABY cannot be a macro name',
  ]);
  assert.deepEqual(c.parseFindings.map((f) => /earlier macro (\w+)/.exec(f.message)?.[1]), ['_HAVE_TLS_OCSP', '_HAVE_TLS_RESUME', 'AB']);
  assert.deepEqual(c.main.map((o) => o.value), ['y.3']);
});

test('an .include of a directory is reported as one, with or without _if_exists; a missing file only without', () => {
  const dirs = new Set(['/virtual/reader/conf.d']);
  const host = overlayHost(new Map([[FILE, '.include /virtual/reader/conf.d\n.include_if_exists /virtual/reader/conf.d\n.include /virtual/reader/none\n.include_if_exists /virtual/reader/none\n']]),
    { readFile: () => undefined, readDir: () => undefined, isDirectory: (d) => dirs.has(d) });
  const c = loadExim(FILE, defaultOptions, host);
  assert.deepEqual(c.parseFindings.map((f) => `${f.code}@${f.range.start.line}: ${f.message.split(',')[0]}`), [
    'exim/include-not-found@0: .include names /virtual/reader/conf.d',
    'exim/include-not-found@1: .include_if_exists names /virtual/reader/conf.d',
    'exim/include-not-found@2: Included file /virtual/reader/none does not exist or cannot be read; fix the path or use .include_if_exists for an optional file.',
  ]);
  assert.deepEqual(c.includes.map((i) => i.found), [false, false, false, false]);
});

test('an .include with no name is a warning (exim4 -bV opens the directory and reads nothing); .include_if_exists with none an error, as Exim refuses it', () => {
  const host = overlayHost(new Map([[FILE, '.include\n.include ""\n.include_if_exists\n']]), { readFile: () => undefined, readDir: () => undefined, isDirectory: () => false });
  const c = loadExim(FILE, defaultOptions, host);
  assert.deepEqual(c.parseFindings.map((f) => `${f.severity}@${f.range.start.line}`), ['warning@0', 'warning@1', 'error@2']);
});

test('a driver or ACL name Exim cannot read is found however the line ends', () => {
  const c = load('begin routers\nlocal-user:\n  driver = accept\nsecond-one:\u00a0\n  driver = accept\nbegin acl\n2nd:\n  accept\n');
  assert.deepEqual(c.parseFindings.map((f) => `${f.range.start.line}:${f.message.split(' is ')[0]}`), [
    '1:"local-user"', '3:"second-one"', '3:Unexpected text after the name "second-one:". Put each option on its own line.', '6:"2nd"',
  ]);
  assert.deepEqual(c.routers.map((r) => r.name), ['local-user', 'second-one']);
});

test('a line whose upper-case letters start no macro is read as written, placed without spans', () => {
  const text = 'DOM = example.com\nqualify_domain = No.Macro.Here\nqualify_recipient = DOM\n';
  const c = load(text);
  // A setting holds the fields of the logical line it was read from.
  const [plain, used] = c.main as (typeof c.main[number] & { spans: unknown[] })[];
  assert.equal(plain.value, 'No.Macro.Here');
  assert.equal(plain.spans.length, 0, 'one run of its physical line needs no span objects');
  assert.deepEqual(plain.valueLoc!.range, { start: { line: 1, character: 17 }, end: { line: 1, character: 30 } });
  assert.equal(used.value, 'example.com');
  assert.equal(used.spans.length > 0, true);
});

test('what the parser keeps from a line stays that line\'s after the reader has read on (it reuses its line object)', () => {
  const c = load('begin acl\nchk:\n  accept\n    hosts = a\n  deny  domains = b \\\n     : c\n    message = m\n  warn\nbegin routers\nr:\n  driver = accept\n  domains = d\n');
  const where = (l: { file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }) =>
    `${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`;
  const sts = c.acls[0].statements;
  assert.deepEqual(sts.map((s) => `${s.verb} ${where(s.verbLoc)} ${where(s.loc)}`), ['accept 2:2-2:8 2:2-3:13', 'deny 4:2-4:6 4:2-6:15', 'warn 7:2-7:6 7:2-7:6']);
  assert.deepEqual(sts.flatMap((s) => s.items.map((i) => `${i.name}=${i.value} ${where(i.nameLoc)} ${where(i.valueLoc!)}`)),
    ['hosts=a 3:4-3:9 3:12-3:13', 'domains=b : c 4:8-4:15 4:18-5:8', 'message=m 6:4-6:11 6:14-6:15']);
  assert.equal(where(c.acls[0].loc), '1:0-7:6');
  const r = c.routers[0];
  assert.deepEqual(r.options.map((o) => `${o.name}=${o.value} ${where(o.nameLoc)} ${where(o.valueLoc!)}`), ['driver=accept 10:2-10:8 10:11-10:17', 'domains=d 11:2-11:9 11:12-11:13']);
  assert.equal(where(r.loc), '9:0-11:13');
});

test('a line is searched for the macros defined by then: a later definition is found on the lines after it', () => {
  const inc = '/virtual/reader/inc.conf';
  const text = 'A = a.example\nqualify_domain = B\n.include /virtual/reader/inc.conf\nprimary_hostname = B.C\nqualify_recipient = x_D\n';
  const c = loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text], [inc, 'B = b.example\nC = A\nD == x\n']])));
  assert.deepEqual(c.main.map((o) => `${o.name}=${o.value}`), ['qualify_domain=B', 'primary_hostname=b.example.a.example', 'qualify_recipient=x_D']);
  assert.deepEqual(c.macroUses.map((u) => `${u.name}@${u.loc.range.start.line}`), ['A@1', 'B@3', 'C@3']);
});

test('MacroStarts finds the next place a macro could start, for the initials given then', () => {
  const text = 'a_b x_Yz\nAB c\nfoo_ Q_R\nzzz';
  const ms = new MacroStarts(text);
  assert.equal(ms.next(0, ''), 5, '_Y');
  assert.equal(ms.next(0, 'A'), 5);
  assert.equal(ms.next(6, 'A'), 9, 'A after the _Y');
  assert.equal(ms.next(10, 'A'), 20, '_R: "_ " is no start');
  assert.equal(ms.next(10, 'AQ'), 19, 'Q, a new initial, found although searched from before it');
  assert.equal(ms.next(21, 'AQ'), text.length);
  // Beginnings of two characters: `A` alone (line 3's "AB c" has AB) is no longer a place.
  const ms2 = new MacroStarts('Ax AB\nzA');
  assert.equal(ms2.next(0, ['AB']), 3);
  assert.equal(ms2.next(4, ['AB', 'zA']), 6, 'a new beginning, searched from before it');
});

test('a line is searched for a macro where it holds the beginning of its name, and only there', () => {
  const opts = { ...defaultOptions, defines: { EXIM_PATH: '/usr/sbin/exim4' } };
  const text = 'qualify_recipient = Example E\nqualify_domain = EXIM EXIM_PATH\nX = EXIM_PATHEXIM_PATH\nprimary_hostname = X\n';
  const c = loadExim(FILE, opts, memoryHost(new Map([[FILE, text]])));
  assert.deepEqual(c.main.map((o) => `${o.name}=${o.value}`), ['qualify_recipient=Example E', 'qualify_domain=EXIM /usr/sbin/exim4', 'primary_hostname=/usr/sbin/exim4/usr/sbin/exim4']);
  assert.deepEqual(c.macroUses.map((u) => `${u.name}@${u.loc.range.start.line}:${u.loc.range.start.character}`), ['EXIM_PATH@1:22', 'EXIM_PATH@2:4', 'EXIM_PATH@2:13', 'X@3:19']);
});

test('a quoted option value is placed from the line it was read on, also when its driver is finished lines later', () => {
  const c = load('begin transports\nt:\n  driver = appendfile\n  file = "/var/\\x6dail/${lc:$local_part}"  \n  user = "mail" x\n  group = "mail\n  mode = 0600\n');
  const where = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  assert.deepEqual(c.parseFindings.map((f) => `${where(f.range)} ${f.message.split(';')[0]}`), [
    '4:16-4:17 Unexpected text after the quoted value of user',
    '5:10-5:15 The quoted value of group has no closing quote',
  ]);
  const file = c.transports[0].options.find((o) => o.name === 'file')!;
  assert.equal(file.value, '/var/mail/${lc:$local_part}');
  const [lit, item] = file.expansion!;
  assert.deepEqual([lit.kind, where(lit.range), item.kind, where(item.range)], ['text', '3:10-3:23', 'operator', '3:23-3:40']);
});

test('ACL items and list entries keep negation, expansion and the set variable (held packed)', () => {
  const c = load('domainlist d = !a : $x : +b\nbegin acl\nchk:\n  accept !hosts = ${lc:$h}\n         set acl_m_v = 1\n         !verify = sender\n');
  const [d] = c.lists;
  assert.deepEqual(d.items.map((e) => [e.text, e.negated, e.ref, e.expansion !== undefined]), [['a', true, undefined, false], ['$x', false, undefined, true], ['+b', false, 'b', false]]);
  const items = c.acls[0].statements[0].items;
  assert.deepEqual(items.map((i) => [i.name, i.negated, i.varName, i.expansion !== undefined]), [['hosts', true, undefined, true], ['set', false, 'acl_m_v', false], ['verify', true, undefined, false]]);
  assert.deepEqual(items[1].varNameLoc!.range, { start: { line: 4, character: 13 }, end: { line: 4, character: 20 } });
  assert.equal(items[0].varNameLoc, undefined);
});

test('settings keep negation, hide and how their value expands (held packed)', () => {
  const c = load('hide mysql_servers = h/d/u/p\nno_message_logs\nbegin transports\np:\n  driver = pipe\n  command = /bin/x $local_part\n  return_path = $sender_address\n');
  assert.deepEqual(c.main.map((s) => [s.name, s.negated, s.hidden, s.expansion !== undefined]), [['mysql_servers', false, true, false], ['message_logs', true, false, false]]);
  const [, command, rp] = c.transports[0].options;
  assert.deepEqual([command.negated, command.hidden, command.expansion!.map((n) => n.kind)], [false, false, ['variable']]);
  assert.deepEqual(rp.expansion!.map((n) => n.kind), ['variable']);
});

test('an absolute .include path is normalised as path.normalize does, and a normal one kept as written', () => {
  const inc = '/virtual/reader/inc.conf';
  const paths = ['/virtual/reader/inc.conf', '/virtual//reader/inc.conf', '/virtual/./reader/inc.conf', '/virtual/x/../reader/inc.conf', '/virtual/reader/sub/..', '/virtual/reader/.inc.conf'];
  const text = paths.map((p) => `.include_if_exists ${p}\n`).join('');
  const c = loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text], [inc, 'qualify_domain = example.com\n']])));
  assert.deepEqual(c.includes.map((i) => i.resolved), ['/virtual/reader/inc.conf', '/virtual/reader/inc.conf', '/virtual/reader/inc.conf', '/virtual/reader/inc.conf', '/virtual/reader', '/virtual/reader/.inc.conf']);
  assert.deepEqual(c.includes.map((i) => i.found), [true, true, true, true, false, false]);
});

test('a BOM (as UTF-16 or as Latin-1 read UTF-8) is read as blanks on the first line, whatever that line holds', () => {
  const at = (text: string) => {
    const c = load(text);
    return [...c.main.map((o) => `${o.name}=${o.value}@${o.nameLoc.range.start.line}:${o.nameLoc.range.start.character}`),
      ...c.parseFindings.map((f) => `${f.code}@${f.range.start.line}`)];
  };
  assert.deepEqual(at('\ufeffprimary_hostname = x\r\nqualify_domain = y\n'), ['primary_hostname=x@0:1', 'qualify_domain=y@1:0', 'exim/syntax@0']);
  assert.deepEqual(at('\u00ef\u00bb\u00bf  primary_hostname = x\n'), ['primary_hostname=x@0:5', 'exim/syntax@0']);
  assert.deepEqual(at('\ufeff\nX = a.example\nprimary_hostname = X\n'), ['primary_hostname=a.example@2:0', 'exim/syntax@0']);
  assert.deepEqual(at('\ufeffqualify_domain = \\\n  b\n'), ['qualify_domain=b@0:1', 'exim/syntax@0']);
});

// Exim's fgets reads a line on to its LF: a lone CR is a character of the line (white space
// to Exim's parsing), not the break an editor shows. Checked with exim -bV and -bP.
test('a lone CR ends no line: the line goes on past it, as a comment, a value or a blank', () => {
  const read = (text: string) => {
    const c = load(text);
    assert.equal(reconstructFiles(c).get(FILE), text, 'lossless');
    return [...c.main.map((o) => `${o.name}=${JSON.stringify(o.value)}@${o.nameLoc.range.start.line}:${o.nameLoc.range.start.character}`),
      ...c.parseFindings.map((f) => `${f.code}/${f.severity}@${f.range.start.line}:${f.range.start.character}`)];
  };
  assert.deepEqual(read('qualify_domain = te\rst.ex\nprimary_hostname = x\n'),
    ['qualify_domain="te\\rst.ex"@0:0', 'primary_hostname="x"@2:0', 'exim/syntax/warning@0:19']);
  assert.deepEqual(read('# a comment\rqualify_domain = y\rz\nprimary_hostname = x\n'),
    ['primary_hostname="x"@3:0', 'exim/syntax/warning@0:11']);
  assert.deepEqual(read('  \r  qualify_domain = y\n'), ['qualify_domain="y"@1:2', 'exim/syntax/warning@0:2']);
  // The value after the CR keeps its white space; a `\` before the CR continues nothing.
  assert.deepEqual(read('qualify_domain = a \\\r  b\nprimary_hostname = x\n'),
    ['qualify_domain="a \\\\\\r  b"@0:0', 'primary_hostname="x"@2:0', 'exim/syntax/warning@0:20']);
  // CRLF, a CR before it, and a CR at the very end are line ends with white space before them.
  assert.deepEqual(read('qualify_domain = a\r\r\nprimary_hostname = x\r'), ['qualify_domain="a"@0:0', 'primary_hostname="x"@2:0']);
  // A directive takes the rest of Exim's line: the text after the CR is no option.
  assert.deepEqual(read('.ifdef NOPE\rqualify_domain = y\nprimary_hostname = x\n.endif\n'), ['exim/syntax/warning@0:11']);
});

test('a NUL ends what Exim reads of its line: the rest, a backslash there included, is not read', () => {
  const read = (text: string) => {
    const c = load(text);
    assert.equal(reconstructFiles(c).get(FILE), text, 'lossless');
    return [...c.main.map((o) => `${o.name}=${JSON.stringify(o.value)}@${o.nameLoc.range.start.line}`),
      ...c.parseFindings.map((f) => `${f.code}/${f.severity}@${f.range.start.line}:${f.range.start.character}`)];
  };
  assert.deepEqual(read('primary_hostname = foo\0bar\n'), ['primary_hostname="foo"@0', 'exim/syntax/warning@0:22']);
  assert.deepEqual(read('\0# not a comment to Exim: an empty line\nqualify_domain = y\n'), ['qualify_domain="y"@1', 'exim/syntax/warning@0:0']);
  assert.deepEqual(read('qualify_domain = a\0 \\\n  primary_hostname = b\n'), ['qualify_domain="a"@0', 'primary_hostname="b"@1', 'exim/syntax/warning@0:18']);
  // After a lone CR, the rest up to the LF is Exim's line too: unread.
  assert.deepEqual(read('qualify_domain = a\0\rprimary_hostname = b\nqualify_recipient = c\n'),
    ['qualify_domain="a"@0', 'qualify_recipient="c"@2', 'exim/syntax/warning@0:18', 'exim/syntax/warning@0:19']);
});

test('quoted values as Exim reads them: an escape making a NUL ends the value, an escaped quote at the end closes it', () => {
  const read = (text: string) => {
    const c = load(text);
    return [...c.main.map((o) => `${o.name}=${JSON.stringify(o.value)}`), ...c.parseFindings.map((f) => `${f.severity}@${f.range.start.character}-${f.range.end.character}`)];
  };
  assert.deepEqual(read('qualify_domain = "a\\0b"\n'), ['qualify_domain="a"', 'warning@19-21']);
  assert.deepEqual(read('qualify_domain = "ab\\x00c"\n'), ['qualify_domain="ab"', 'warning@20-22']);
  assert.deepEqual(read('qualify_domain = "abc\\"\n'), ['qualify_domain="abc\\""', 'warning@21-23']);
  assert.deepEqual(read('qualify_domain = "\\"\n'), ['qualify_domain="\\""', 'warning@18-20']);
  assert.deepEqual(read('qualify_domain = "abc\n'), ['qualify_domain="abc"', 'error@17-21']);
  assert.deepEqual(read('qualify_domain = "\n'), ['qualify_domain=""', 'error@17-18']);
  assert.deepEqual(read('domainlist d = "a : b\\0 : c"\n'), ['warning@21-23']);
});

test('a # after a string value is text to Exim, and warned about; one with no space after it is not', () => {
  const read = (text: string) => load(text).parseFindings.map((f) => `${f.severity}@${f.range.start.line}:${f.range.start.character}`);
  assert.deepEqual(read('qualify_domain = example.com # the domain\ntrusted_users = root #\n'), ['warning@0:29', 'warning@1:21']);
  assert.deepEqual(read('smtp_banner = ${primary_hostname} Exim #${compile_number}\nqualify_domain = "a # b"\n'), []);
});

test('.include of a directory: a warning, not an error (Exim opens it, reads no line from it, and loads the config); of a missing file: an error', () => {
  const host = overlayHost(new Map([[FILE, 'primary_hostname = a.example\n.include /etc\n.include_if_exists /etc\n.include /nonexistent/part\n']]), {
    readFile: () => undefined, readDir: (p) => (p === '/etc' ? ['passwd'] : undefined), isDirectory: (p) => p === '/etc',
  });
  const found = checkExim(loadExim(FILE, defaultOptions, host), defaultOptions).filter((f) => f.code === 'exim/include-not-found');
  assert.deepEqual(found.map((f) => [f.range.start.line + 1, f.severity]), [[2, 'warning'], [3, 'warning'], [4, 'error']]);
  assert.match(found[0].message, /which is a directory: Exim reads no lines from it, so this adds nothing/);
});
