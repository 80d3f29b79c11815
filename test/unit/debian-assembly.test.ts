// assembleDebianConfig: the one file update-exim4.conf would make of Debian's conf.d or
// template, for the real `exim -bV`, with each line traced back to the part it came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { assembleDebianConfig } from '../../server/src/core/assemble';
import { diskHost } from '../../server/src/core/host';
import { tempTrees } from '../helpers/temp-tree';

const etc = tempTrees('exim-cyrus-assemble-');

const UE4CC = "dc_eximconfig_configtype='local'\ndc_other_hostnames=''\ndc_local_interfaces='127.0.0.1'\ndc_use_split_config='true'\n";

test('conf.d: parts in Debian\'s order, comments dropped, an empty line after each part, macros after the placeholder', () => {
  const dir = etc({
    'update-exim4.conf.conf': UE4CC,
    'conf.d/main/01_header': 'UPEX4CmacrosUPEX4C = 1\n# a comment\nprimary_hostname = a.example\n',
    'conf.d/main/02_last': 'keep_environment =',
    'conf.d/router/00_header': 'begin routers\n',
    'conf.d/router/100_r': 'r:\n  driver = accept\n',
    'conf.d/router/100_r.dpkg-old': 'not a part\n',
  });
  const a = assembleDebianConfig(path.join(dir, 'conf.d'), diskHost)!;
  assert.ok(a);
  const lines = a.text.split('\n');
  const at = lines.indexOf('UPEX4CmacrosUPEX4C = 1');
  assert.equal(at, 0);
  const macros = lines.slice(at + 1, lines.indexOf('primary_hostname = a.example'));
  assert.ok(macros.includes('.ifndef DCconfig_local') && macros.includes('DCconfig_local=1'), macros.join('\n'));
  assert.ok(macros.includes('MAIN_LOCAL_INTERFACES=127.0.0.1'));
  assert.ok(!lines.includes('# a comment'));
  assert.ok(!a.text.includes('not a part'));
  // 02_last has no final line break: the script's echo ends its line, adding no empty one.
  const body = lines.slice(at + 1 + macros.length);
  assert.deepEqual(body, ['primary_hostname = a.example', '', 'keep_environment =', 'begin routers', '', 'r:', '  driver = accept', '', '']);
  const origin = (text: string) => a.origins[lines.indexOf(text)];
  assert.deepEqual(origin('primary_hostname = a.example'), { file: path.join(dir, 'conf.d/main/01_header'), line: 2 });
  assert.deepEqual(origin('keep_environment ='), { file: path.join(dir, 'conf.d/main/02_last'), line: 0 });
  assert.deepEqual(origin('  driver = accept'), { file: path.join(dir, 'conf.d/router/100_r'), line: 1 });
  assert.equal(a.origins[at + 1], undefined, 'the macro lines come from no file');
  // The directory above conf.d stands for it when dc_use_split_config says so.
  assert.equal(assembleDebianConfig(dir, diskHost)?.text, a.text);
});

test('template: exim4.conf.localmacros first, as one text with it', () => {
  const dir = etc({
    'update-exim4.conf.conf': UE4CC.replace("'true'", "'false'"),
    'exim4.conf.localmacros': 'MY_MAX = 20\n',
    'exim4.conf.template': '# Debian\nUPEX4CmacrosUPEX4C = 1\nsmtp_accept_max = MY_MAX\n',
  });
  const a = assembleDebianConfig(path.join(dir, 'exim4.conf.template'), diskHost)!;
  const lines = a.text.split('\n');
  assert.equal(lines[0], 'MY_MAX = 20');
  assert.equal(lines[1], 'UPEX4CmacrosUPEX4C = 1');
  assert.equal(lines.at(-2), 'smtp_accept_max = MY_MAX');
  assert.deepEqual(a.origins[lines.length - 2], { file: path.join(dir, 'exim4.conf.template'), line: 2 });
  assert.deepEqual(a.files, [path.join(dir, 'exim4.conf.localmacros'), path.join(dir, 'exim4.conf.template')]);
});

test('an ordinary config is Exim\'s to read as it is', () => {
  const dir = etc({ 'exim.conf': 'primary_hostname = a.example\n' });
  assert.equal(assembleDebianConfig(path.join(dir, 'exim.conf'), diskHost), undefined);
});
