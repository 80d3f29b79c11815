// Names that pass through macros, as in Debian's conf.d (`MAIN_ACL_CHECK_RCPT =
// acl_check_rcpt`, then `acl_smtp_rcpt = MAIN_ACL_CHECK_RCPT`), and macros spelt where the
// model's macro table does not look: `==` redefinitions, skipped branches, `.ifdef NAME`.
// A rename must leave a config Exim accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigWorkspace, definition, hover, prepareRename, references, rename } from '../../server/src/core/features';
import { applyEdits } from '../helpers/apply-edits';
import { runEximCheck } from '../../server/src/lsp/exim-check';
import { positionOf } from './client';

const EXIM = ['/usr/sbin/exim4', '/usr/sbin/exim'].find((p) => fs.existsSync(p));

// Exim 4.96 accepts this config (exim4 -C FILE -bV), as it does after each rename below.
const DEBIANISH = `.ifndef LOCAL_DELIVERY
LOCAL_DELIVERY=mail_spool
.endif
.ifndef MAIN_ACL_CHECK_RCPT
MAIN_ACL_CHECK_RCPT = acl_check_rcpt
.endif
acl_smtp_rcpt = MAIN_ACL_CHECK_RCPT
MAIN_LOCAL_DOMAINS = +local_domains
domainlist local_domains = example.com
begin acl
acl_check_rcpt:
  accept domains = MAIN_LOCAL_DOMAINS
  deny
begin routers
real_local:
  driver = accept
  local_part_prefix = real-
  check_local_user
  transport = LOCAL_DELIVERY
local_user:
  driver = accept
  check_local_user
  transport = LOCAL_DELIVERY
begin transports
mail_spool:
  driver = appendfile
  file = /var/mail/$local_part_data
`;

function open(text: string): { ws: ConfigWorkspace; file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-macnames-'));
  const file = path.join(dir, 'exim.conf');
  fs.writeFileSync(file, text);
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  ws.open(file, text, 'exim');
  return { ws, file, dir };
}

const codes = (ws: ConfigWorkspace, file: string) => ws.analyseFile(file).findings.map((f) => f.code);
const lineOf = (text: string, needle: string) => positionOf(text, needle).line;

async function eximAccepts(text: string): Promise<void> {
  if (!EXIM) return;
  const { file, dir } = open(text);
  try {
    const r = await runEximCheck(EXIM, file);
    assert.deepEqual(r.findings.map((f) => f.message), [], 'exim -bV refuses the renamed config');
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

test('renaming an ACL or a transport named through a macro edits the macro\'s value, once', async () => {
  const { ws, file, dir } = open(DEBIANISH);
  try {
    assert.deepEqual(codes(ws, file), []);
    const acl = rename(ws, file, positionOf(DEBIANISH, 'acl_check_rcpt:', 2), 'acl_rcpt2');
    assert.ok('edits' in acl, JSON.stringify(acl));
    assert.deepEqual(acl.edits.map((e) => e.range.start.line).sort((a, b) => a - b), [lineOf(DEBIANISH, 'MAIN_ACL_CHECK_RCPT = acl'), lineOf(DEBIANISH, 'acl_check_rcpt:')]);
    const t1 = applyEdits(DEBIANISH, acl.edits);
    assert.match(t1, /MAIN_ACL_CHECK_RCPT = acl_rcpt2\n/);
    assert.match(t1, /acl_smtp_rcpt = MAIN_ACL_CHECK_RCPT\n/);

    // Two routers use LOCAL_DELIVERY: its value is still edited once.
    const tr = rename(ws, file, positionOf(DEBIANISH, 'mail_spool:', 2), 'spool2');
    assert.ok('edits' in tr);
    assert.deepEqual(tr.edits.map((e) => e.range.start.line).sort((a, b) => a - b), [lineOf(DEBIANISH, 'LOCAL_DELIVERY=mail'), lineOf(DEBIANISH, 'mail_spool:')]);
    const t2 = applyEdits(t1, tr.edits);
    const after = open(t2);
    assert.deepEqual(codes(after.ws, after.file), [], 'the renamed config still checks clean');
    fs.rmSync(after.dir, { recursive: true, force: true });
    await eximAccepts(t2);

    // A named list referred to from a macro's value, and renamed there.
    const refs = references(ws, file, positionOf(DEBIANISH, 'domainlist local_domains', 'domainlist '.length + 1), true);
    assert.deepEqual(refs.map((r) => r.range.start.line), [lineOf(DEBIANISH, 'MAIN_LOCAL_DOMAINS = +'), lineOf(DEBIANISH, 'domainlist local_domains')]);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('hover and definition on a macro that stands for a name say what it names and go there', () => {
  const { ws, file, dir } = open(DEBIANISH);
  try {
    const use = positionOf(DEBIANISH, 'acl_smtp_rcpt = MAIN_ACL_CHECK_RCPT', 'acl_smtp_rcpt = '.length + 3);
    const h = hover(ws, file, use)!.markdown;
    assert.doesNotMatch(h, /No ACL named/);
    assert.match(h, /MAIN_ACL_CHECK_RCPT = acl_check_rcpt/);
    assert.match(h, /Names the ACL `acl_check_rcpt`/);
    const d = definition(ws, file, positionOf(DEBIANISH, 'transport = LOCAL_DELIVERY', 'transport = '.length + 2));
    assert.deepEqual(d.map((l) => l.range.start.line), [lineOf(DEBIANISH, 'LOCAL_DELIVERY=mail'), lineOf(DEBIANISH, 'mail_spool:')]);
    // From inside the macro's value: the ACL itself.
    const inValue = definition(ws, file, positionOf(DEBIANISH, 'MAIN_ACL_CHECK_RCPT = acl_check_rcpt', 'MAIN_ACL_CHECK_RCPT = '.length + 2));
    assert.deepEqual(inValue.map((l) => l.range.start.line), [lineOf(DEBIANISH, 'acl_check_rcpt:')]);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

// Exim 4.96 accepts this config, and it after the rename.
const BRANCHES = `.ifdef FAST
MYPORT = 25
.else
MYPORT = 2003
.endif
MYPORT == 2004
.ifndef MYPORT
primary_hostname = never.example
.elifdef MYPORT
primary_hostname = x.example
.endif
.ifdef NOT_SET
qualify_domain = MYPORT.example
.endif
begin routers
r1:
  driver = accept
  transport = t1
begin transports
t1:
  driver = smtp
  hosts = 127.0.0.1
  port = MYPORT
  hosts_try_auth = \${if eq{MYPORT}{25}{*}{}}
`;

test('a macro rename covers == redefinitions, skipped definitions and uses, and .ifdef/.ifndef/.elifdef lines', async () => {
  const { ws, file, dir } = open(BRANCHES);
  try {
    const all = ['MYPORT = 25', 'MYPORT = 2003', 'MYPORT ==', '.ifndef MYPORT', '.elifdef MYPORT', 'MYPORT.example', 'port = MYPORT', '{MYPORT}'];
    const want = all.map((n) => lineOf(BRANCHES, n));
    for (const [from, offset] of [['MYPORT = 25', 1], ['MYPORT ==', 2], ['.ifndef MYPORT', '.ifndef '.length + 1], ['port = MYPORT', 'port = '.length]] as const) {
      const p = positionOf(BRANCHES, from, offset);
      assert.deepEqual(references(ws, file, p, true).map((r) => r.range.start.line), want, `references from ${from}`);
      assert.deepEqual(definition(ws, file, p).map((r) => r.range.start.line), [1, 3, 5].map((l) => l), `definition from ${from}`);
      const prep = prepareRename(ws, file, p);
      assert.ok(prep && 'placeholder' in prep && prep.placeholder === 'MYPORT', `prepareRename from ${from}`);
      const r = rename(ws, file, p, 'LMTP_PORT');
      assert.ok('edits' in r && r.edits.length === want.length, `rename from ${from}: ${JSON.stringify(r)}`);
    }
    const r = rename(ws, file, positionOf(BRANCHES, 'MYPORT ==', 2), 'LMTP_PORT');
    const renamed = applyEdits(BRANCHES, 'edits' in r ? r.edits : []);
    assert.doesNotMatch(renamed, /MYPORT/);
    await eximAccepts(renamed);
    // Hover on a name defined only in a skipped branch says so.
    const t = '.ifdef NOT_SET\nONLY_THERE = 1\n.endif\n.ifdef ONLY_THERE\nprimary_hostname = x\n.endif\n';
    const o = open(t);
    assert.match(hover(o.ws, o.file, positionOf(t, '.ifdef ONLY_THERE', 9))!.markdown, /skipped \.ifdef branch \(exim\.conf:2\)/);
    fs.rmSync(o.dir, { recursive: true, force: true });
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('a macro\'s default in a skipped branch still names its ACL: renamed with it', () => {
  // localmacros sets MAIN_ACL_CHECK_RCPT, so the template's .ifndef default is skipped.
  const t = 'MAIN_ACL_CHECK_RCPT = acl_local\n' + DEBIANISH.replace('begin acl\n', 'begin acl\nacl_local:\n  accept\n');
  const { ws, file, dir } = open(t);
  try {
    const r = rename(ws, file, positionOf(t, 'acl_check_rcpt:', 2), 'acl_rcpt2');
    assert.ok('edits' in r);
    assert.deepEqual(r.edits.map((e) => e.range.start.line).sort((a, b) => a - b), [lineOf(t, 'MAIN_ACL_CHECK_RCPT = acl_check'), lineOf(t, 'acl_check_rcpt:')]);
    // The macro in force names the other ACL.
    assert.deepEqual(references(ws, file, positionOf(t, 'acl_local:', 2), false).map((l) => l.range.start.line), [0]);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
