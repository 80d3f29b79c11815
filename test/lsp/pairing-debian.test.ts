// The editor pairs a Cyrus file with the Exim config Debian runs from /etc/exim4, the one
// `exim-cyrus check /etc/exim4` checks: exim4.conf, else conf.d or exim4.conf.template as
// update-exim4.conf.conf's dc_use_split_config says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigWorkspace } from '../../server/src/core/features';
import { analyseSetup, eximSourceOf } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { diskHost } from '../../server/src/core/host';
import { tempTrees } from '../helpers/temp-tree';

const etc = tempTrees('exim-cyrus-debian-pairing-');

const BASE = {
  'exim4/exim4.conf.template': 'primary_hostname = template.example\n',
  'exim4/conf.d/main/01_main': 'primary_hostname = split.example\n',
  'exim4/conf.d/router/00_header': 'begin routers\n',
  'cyrus.conf': 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n',
  'imapd.conf': 'configdirectory: /var/lib/cyrus\n',
};
const split = (v: string) => ({ 'exim4/update-exim4.conf.conf': `dc_eximconfig_configtype='local'\ndc_use_split_config='${v}'\n` });

function pairedExim(files: Record<string, string>): { paired?: string; cli: string } {
  const dir = etc(files);
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  const cyrus = path.join(dir, 'cyrus.conf');
  ws.open(cyrus, files['cyrus.conf'], 'cyrus-conf');
  return { paired: ws.pairingFor(cyrus).exim && path.relative(dir, ws.pairingFor(cyrus).exim!), cli: path.relative(dir, eximSourceOf(path.join(dir, 'exim4'), diskHost).root) };
}

test('dc_use_split_config=true: a Cyrus file is paired with conf.d, not the template beside it', () => {
  assert.deepEqual(pairedExim({ ...BASE, ...split('true') }), { paired: 'exim4/conf.d', cli: 'exim4/conf.d' });
});

test('dc_use_split_config=false (and unset): the template, as the CLI checks', () => {
  assert.deepEqual(pairedExim({ ...BASE, ...split('false') }), { paired: 'exim4/exim4.conf.template', cli: 'exim4/exim4.conf.template' });
  assert.deepEqual(pairedExim({ ...BASE }), { paired: 'exim4/exim4.conf.template', cli: 'exim4/exim4.conf.template' });
});

test('a hand-written exim4.conf wins whatever dc_use_split_config says', () => {
  assert.deepEqual(pairedExim({ ...BASE, ...split('true'), 'exim4/exim4.conf': 'primary_hostname = own.example\n' }),
    { paired: 'exim4/exim4.conf', cli: 'exim4/exim4.conf' });
});

test('the analysis of the pairing is the config Debian runs: conf.d\'s pieces, not the template', () => {
  const dir = etc({ ...BASE, ...split('true') });
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  const cyrus = path.join(dir, 'cyrus.conf');
  ws.open(cyrus, BASE['cyrus.conf'], 'cyrus-conf');
  const a = ws.analyseFile(cyrus);
  assert.ok(a.exim?.files.has(path.join(dir, 'exim4/conf.d/main/01_main')));
  assert.ok(!a.exim?.files.has(path.join(dir, 'exim4/exim4.conf.template')));
});

test('the template is read after exim4.conf.localmacros, as the CLI reads it, and an edit of localmacros is seen', () => {
  const template = 'MAIN_ACL_CHECK_RCPT = acl_check_rcpt\nacl_smtp_rcpt = MAIN_ACL_CHECK_RCPT\nbegin acl\nacl_check_rcpt:\n  accept\n';
  const dir = etc({ ...BASE, ...split('false'), 'exim4/exim4.conf.template': template.replace(/^/, '.ifndef MAIN_ACL_CHECK_RCPT\n').replace('acl_smtp_rcpt', '.endif\nacl_smtp_rcpt'),
    'exim4/exim4.conf.localmacros': 'MAIN_ACL_CHECK_RCPT = acl_nonexistent\n' });
  const tpl = path.join(dir, 'exim4/exim4.conf.template'), local = path.join(dir, 'exim4/exim4.conf.localmacros');
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  ws.open(tpl, fs.readFileSync(tpl, 'utf8'), 'exim');
  const a = ws.analyseFile(tpl);
  assert.ok(a.exim?.files.has(local), 'localmacros is read');
  assert.ok(a.watched.files.includes(local) || a.watched.dirs.includes(path.dirname(local)), 'localmacros is watched');
  const cli = analyseSetup([{ path: path.join(dir, 'exim4'), kind: 'exim' }], defaultOptions, diskHost).findings;
  const codes = (l: { code: string; range: { start: { line: number } } }[]) => l.map((f) => `${f.code}@${f.range.start.line}`).sort();
  assert.deepEqual(codes(a.byFile.get(tpl) ?? []), codes(cli));
  assert.ok(cli.some((f) => f.code === 'exim/undefined-acl'), 'the CLI sees the ACL localmacros names');
  // The localmacros buffer, edited in the editor, wins over the disk.
  ws.open(local, 'MAIN_ACL_CHECK_RCPT = acl_check_rcpt\n');
  assert.ok(!ws.analyseFile(tpl).findings.some((f) => f.code === 'exim/undefined-acl'));
});

test('exim4.conf.localmacros opened on its own is Exim text checked as part of the template', () => {
  const dir = etc({ ...BASE, ...split('false'), 'exim4/exim4.conf.localmacros': 'bogus_option = 1\n' });
  const local = path.join(dir, 'exim4/exim4.conf.localmacros');
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  ws.open(local, fs.readFileSync(local, 'utf8'));
  assert.equal(ws.kindOf(local), 'exim');
  assert.equal(ws.pairingFor(local).exim, path.join(dir, 'exim4/exim4.conf.template'));
  assert.deepEqual(ws.analyseFile(local).byFile.get(local)?.map((f) => f.code), ['exim/unknown-option']);
});
