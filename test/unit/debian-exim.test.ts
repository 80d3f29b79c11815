// Debian's /etc/exim4 as Exim runs it: a hand-written exim4.conf first; else conf.d or
// exim4.conf.localmacros + exim4.conf.template, as update-exim4.conf.conf's
// dc_use_split_config says ('false', the default, picks the template).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { SourceHost } from '../../server/src/core/host';
import { checkProject, classifyPath, eximSourceOf, loadInput, type Models } from '../../server/src/core/project';
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

test('a dc_use_split_config update-exim4.conf refuses is an error on its line: Debian then writes no config for Exim', () => {
  const refused = (files: Record<string, string>) => checkProject([{ path: D, kind: 'exim' }], defaultOptions, memHost(files))
    .filter((f) => f.severity === 'error').map((f) => [path.relative(D, f.file), f.range.start.line, f.code, f.message]);
  // update-exim4.conf exits 1 on each of these (checked with the real script): an invalid
  // value, 'true' without conf.d, 'false' without the template.
  const bad = refused({ ...CONFD, ...TEMPLATE, ...ue("dc_use_split_config='ture'") });
  assert.deepEqual(bad.map((f) => f.slice(0, 3)), [['update-exim4.conf.conf', 1, 'exim/invalid-value']]);
  assert.match(String(bad[0][3]), /'ture' is neither 'true' nor 'false': update-exim4\.conf refuses it/);
  assert.match(String(refused({ ...TEMPLATE, ...ue("dc_use_split_config='true'") })[0]?.[3]), /needs the conf\.d directory beside this file/);
  assert.match(String(refused({ ...CONFD, ...ue("dc_use_split_config='false'") })[0]?.[3]), /needs exim4\.conf\.template beside this file/);
  // Upper case is lower-cased by the script, and taken.
  assert.deepEqual(refused({ ...CONFD, ...TEMPLATE, ...ue("dc_use_split_config='TRUE'") }), []);
  assert.deepEqual(refused({ ...CONFD, ...TEMPLATE, ...ue('') }), []);
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

// update-exim4.conf writes its macros after this line of the template and of conf.d.
const PLACEHOLDER = 'UPEX4CmacrosUPEX4C = 1\n';
const SMARTHOST_ROUTER = `begin routers
.ifdef DCconfig_smarthost DCconfig_satellite
smarthost:
  driver = manualroute
  domains = ! +local_domains
  transport = remote_smtp
  route_list = * DCsmarthost byname
  host_find_faild = ignore
.endif
begin transports
remote_smtp:
  driver = smtp
`;
const debconf = (type: string, extra = '') => ({ 'update-exim4.conf.conf': `dc_eximconfig_configtype='${type}'\ndc_other_hostnames='example.com;example.org'\ndc_smarthost='smtp.example.net'\ndc_localdelivery='maildir_home'\n${extra}` });
const findings = (p: string, files: Record<string, string>, defines: Record<string, string> = {}) =>
  checkProject([{ path: p, kind: 'exim' }], { ...defaultOptions, defines }, memHost(files)).map((x) => `${path.relative(D, x.file)}:${x.range.start.line + 1} ${x.code}`);

test('the template and conf.d are read with the macros update-exim4.conf defines from dc_* (DCconfig_<type> selects routers)', () => {
  const confd = {
    'conf.d/main/01_listmacrosdefs': `${PLACEHOLDER}domainlist local_domains = MAIN_LOCAL_DOMAINS\n`,
    'conf.d/router/200_primary': SMARTHOST_ROUTER,
  };
  const split = { ...confd, ...debconf('smarthost', "dc_use_split_config='true'") };
  // Exim rejects the misspelt option: update-exim4.conf defines DCconfig_smarthost.
  const error = ['conf.d/router/200_primary:8 exim/unknown-option'];
  assert.deepEqual(findings(D, split).filter((f) => f.includes('unknown-option')), error, 'as /etc/exim4');
  assert.deepEqual(findings(path.join(D, 'conf.d'), split).filter((f) => f.includes('unknown-option')), error, 'as conf.d itself');
  assert.deepEqual(findings(D, { ...confd, ...debconf('internet', "dc_use_split_config='true'") }).filter((f) => f.includes('unknown-option')), [],
    'an internet site does not use the smarthost router');
  const unsplit = { 'exim4.conf.template': `${PLACEHOLDER}domainlist local_domains = MAIN_LOCAL_DOMAINS\n${SMARTHOST_ROUTER}`, ...debconf('satellite') };
  assert.deepEqual(findings(path.join(D, 'exim4.conf.template'), unsplit).filter((f) => f.includes('unknown-option')), ['exim4.conf.template:10 exim/unknown-option']);
  // Without the placeholder line update-exim4.conf has nowhere to put them.
  const none = { ...unsplit, 'exim4.conf.template': unsplit['exim4.conf.template'].replace(PLACEHOLDER, '') };
  assert.deepEqual(findings(D, none).filter((f) => f.includes('unknown-option')), []);
  const s = eximSourceOf(D, memHost(unsplit));
  assert.equal(s.defines?.MAIN_LOCAL_DOMAINS, '@:localhost:example.com:example.org');
  assert.equal(s.defines?.DCsmarthost, 'smtp.example.net');
  assert.equal(s.defines?.LOCAL_DELIVERY, 'maildir_home');
  assert.match(String(s.macros), /with the macros update-exim4\.conf defines from update-exim4\.conf\.conf \(dc_eximconfig_configtype='satellite'\): .*DCconfig_satellite/);
  assert.equal(eximSourceOf(D, memHost({ ...unsplit, ...debconf('none') })).defines?.DCconfig_none, undefined, 'none: no macros');
});

test('a macro the config defines before the placeholder is the config\'s own, as update-exim4.conf\'s .ifndef makes it; -D wins over both', () => {
  const template = `${PLACEHOLDER}.ifndef LOCAL_DELIVERY\nLOCAL_DELIVERY = mail_spool\n.endif\ndomainlist local_domains = MAIN_LOCAL_DOMAINS\n`;
  const files = { 'exim4.conf.template': template, 'exim4.conf.localmacros': 'MAIN_LOCAL_DOMAINS = @:own.example\nMAIN_RELAY_NETS_EXTRA = 192.0.2.0/24\n', ...debconf('internet') };
  const s = eximSourceOf(D, memHost(files));
  assert.equal(s.defines?.MAIN_LOCAL_DOMAINS, undefined, 'the localmacros define it first');
  // A name inside an earlier macro's name would be refused after it: left to the config too.
  assert.equal(s.defines?.MAIN_RELAY_NETS, undefined);
  assert.equal(s.defines?.LOCAL_DELIVERY, 'maildir_home', 'the template\'s own .ifndef comes after the placeholder');
  assert.match(String(s.macros), /the config defines MAIN_LOCAL_DOMAINS, MAIN_RELAY_NETS itself/);
  assert.deepEqual(findings(D, files).filter((f) => !f.includes('unused-definition')), [], 'no "already defined" or "contains macro" error');
  const loaded = (defines: Record<string, string>) => {
    const m: Models = {};
    loadInput({ path: D, kind: 'exim' }, m, { ...defaultOptions, defines }, memHost(files));
    return m.exim!.lists.find((l) => l.name === 'local_domains')?.value;
  };
  assert.equal(loaded({}), '@:own.example');
  assert.equal(loaded({ MAIN_LOCAL_DOMAINS: 'cli.example' }), 'cli.example');
});

test('a macro update-exim4.conf defines is the file\'s own, not a -D: a plain definition of it after the placeholder is refused, "==" redefines it', () => {
  // As the real update-exim4.conf and exim -bV make of Debian's template with LOCAL_DELIVERY
  // defined outside its .ifndef: 'macro "LOCAL_DELIVERY" is already defined'; with "==" accepted.
  const template = (def: string) => `${PLACEHOLDER}LOCAL_DELIVERY ${def} mail_spool\ndomainlist local_domains = MAIN_LOCAL_DOMAINS\n`;
  const errors = (def: string, defines: Record<string, string> = {}) => checkProject([{ path: D, kind: 'exim' }], { ...defaultOptions, defines },
    memHost({ 'exim4.conf.template': template(def), ...debconf('internet') })).filter((f) => f.severity === 'error');
  const plain = errors('=');
  assert.deepEqual(plain.map((f) => [path.relative(D, f.file), f.range.start.line + 1, f.code]), [['exim4.conf.template', 2, 'exim/syntax']]);
  assert.match(plain[0].message, /Macro LOCAL_DELIVERY is already defined \(by update-exim4\.conf, from update-exim4\.conf\.conf/);
  assert.deepEqual(errors('=='), []);
  // A -D still wins over both, silently, as on Exim's command line.
  assert.deepEqual(errors('=', { LOCAL_DELIVERY: 'cli' }), []);
  const m: Models = {};
  loadInput({ path: D, kind: 'exim' }, m, defaultOptions, memHost({ 'exim4.conf.template': template('=='), ...debconf('internet') }));
  assert.equal(m.exim!.macros.get('LOCAL_DELIVERY')?.value, 'mail_spool');
});
