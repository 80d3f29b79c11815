// The editor pairs a Cyrus file with the Exim config Debian runs from /etc/exim4, the one
// `exim-cyrus check /etc/exim4` checks: exim4.conf, else conf.d or exim4.conf.template as
// update-exim4.conf.conf's dc_use_split_config says.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigWorkspace } from '../../server/src/core/features';
import { eximSourceOf } from '../../server/src/core/project';
import { diskHost } from '../../server/src/core/host';

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function etc(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-debian-pairing-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

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
