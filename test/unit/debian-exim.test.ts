// Debian's /etc/exim4 as Exim runs it: a hand-written exim4.conf first; else conf.d or
// exim4.conf.localmacros + exim4.conf.template, as update-exim4.conf.conf's
// dc_use_split_config says ('false', the default, picks the template).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { SourceHost } from '../../server/src/core/host';
import { checkProject, classifyPath, eximSourceOf } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { splitConfigSetting } from '../../server/src/core/exim/confd';

const D = '/v/exim4';

/** Files by absolute path; directories are the paths' parents. */
function memHost(files: Record<string, string>): SourceHost {
  const full = Object.fromEntries(Object.entries(files).map(([k, v]) => [path.join(D, k), v]));
  const isDir = (d: string) => Object.keys(full).some((f) => f.startsWith(d.replace(/\/$/, '') + '/'));
  return {
    readFile: (f) => full[path.resolve(f)],
    isDirectory: isDir,
    readDir: (d) => {
      if (!isDir(d)) return undefined;
      const pre = path.resolve(d) + '/';
      return [...new Set(Object.keys(full).filter((f) => f.startsWith(pre)).map((f) => f.slice(pre.length).split('/')[0]))].sort();
    },
  };
}

const CONFD = {
  'conf.d/main/01_main': 'primary_hostname = split.example\n',
  'conf.d/router/00_header': 'begin routers\n',
};
const TEMPLATE = { 'exim4.conf.template': 'primary_hostname = MY_HOST\n' };
const ue = (v: string) => ({ 'update-exim4.conf.conf': `dc_eximconfig_configtype='local'\n${v}\nCFILEMODE='644'\n` });
const chosen = (files: Record<string, string>) => {
  const s = eximSourceOf(D, memHost(files));
  return [path.relative(D, s.root), s.prelude.map((p) => path.basename(p)), s.reason];
};

test('dc_use_split_config is read as update-exim4.conf reads it', () => {
  assert.equal(splitConfigSetting("dc_use_split_config='true'\n"), 'true');
  assert.equal(splitConfigSetting('dc_use_split_config=TRUE\n'), 'true');
  assert.equal(splitConfigSetting('dc_use_split_config="false"\ndc_use_split_config=\'true\'\n'), 'true', 'the last assignment wins');
  assert.equal(splitConfigSetting("dc_use_split_config=''\n"), 'false');
  assert.equal(splitConfigSetting('# dc_use_split_config=true\n'), 'false');
});

test('Debian\'s choice: exim4.conf, else the template (the default) or conf.d per dc_use_split_config', () => {
  assert.equal(classifyPath(D, memHost({ ...TEMPLATE, ...ue("dc_use_split_config='false'") })), 'exim');
  assert.deepEqual(chosen({ ...CONFD, ...TEMPLATE, ...ue("dc_use_split_config='false'") }),
    ['exim4.conf.template', [], "update-exim4.conf.conf sets dc_use_split_config='false'"]);
  assert.deepEqual(chosen({ ...CONFD, ...TEMPLATE, ...ue("dc_use_split_config='true'") }),
    ['conf.d', [], "update-exim4.conf.conf sets dc_use_split_config='true'"]);
  assert.deepEqual(chosen({ ...CONFD, ...TEMPLATE, ...ue("dc_use_split_config='true'"), 'exim4.conf': 'primary_hostname = own.example\n' })[0], 'exim4.conf');
  assert.deepEqual(chosen({ ...CONFD, ...TEMPLATE, ...ue('') })[0], 'exim4.conf.template', 'unset is false');
  assert.deepEqual(chosen({ ...CONFD, ...TEMPLATE })[0], 'exim4.conf.template', 'no update-exim4.conf.conf: Debian\'s default');
  assert.deepEqual(chosen({ ...CONFD })[0], 'conf.d');
  const missing = chosen({ ...TEMPLATE, ...ue("dc_use_split_config='true'") });
  assert.equal(missing[0], 'exim4.conf.template');
  assert.match(String(missing[2]), /there is no conf\.d \(update-exim4\.conf fails\)/);
  assert.match(String(chosen({ ...CONFD, ...TEMPLATE, ...ue('dc_use_split_config=yes') })[2]), /'yes', which update-exim4\.conf refuses/);
});

test('the template is read after exim4.conf.localmacros, as Debian concatenates them', () => {
  const template = { 'exim4.conf.template': 'primary_hostname = template.example\n.ifndef LOCAL_SET\nbogus_option = 1\n.endif\n' };
  const files = { ...CONFD, ...template, ...ue("dc_use_split_config='false'"), 'exim4.conf.localmacros': 'LOCAL_SET = 1\n' };
  assert.deepEqual(chosen(files).slice(0, 2), ['exim4.conf.template', ['exim4.conf.localmacros']]);
  const errors = (f: Record<string, string>) => checkProject([{ path: D, kind: 'exim' }], defaultOptions, memHost(f))
    .filter((x) => x.severity === 'error').map((x) => `${path.basename(x.file)} ${x.code}`);
  assert.deepEqual(errors(files), [], 'LOCAL_SET is defined in the localmacros');
  const without = { ...files } as Record<string, string>;
  delete without['exim4.conf.localmacros'];
  assert.deepEqual(errors(without), ['exim4.conf.template exim/unknown-option']);
});
