// The authoritative check with the real Exim (`exim -C FILE -bV`) on save, and when it must not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratch, uriOf } from './client';
import { parseEximError, runEximCheck } from '../../server/src/lsp/exim-check';

const EXIM = ['/usr/sbin/exim4', '/usr/sbin/exim'].find((p) => fs.existsSync(p));

test('parses Exim\'s configuration error into a finding on the right line of the right file', () => {
  const f = parseEximError('2026-11-25 17:08:28 Exim configuration error in line 7 of /etc/exim4/conf.d/main/01:\n  main option "foo_bar" unknown\n', '/etc/exim4/exim4.conf');
  assert.ok(f);
  assert.equal(f.file, '/etc/exim4/conf.d/main/01');
  assert.equal(f.range.start.line, 6);
  assert.equal(f.code, 'exim/external');
  assert.equal(f.source, 'exim');
  assert.match(f.message, /main option "foo_bar" unknown/);
  assert.equal(parseEximError('Exim version 4.96 #2 built …\nConfiguration file is /x\n', '/x'), undefined);
});

test('the message is the indented lines after the error line, not what follows them', () => {
  const f = parseEximError('2026-11-30 07:21:29 Exim configuration error in line 2 of /x/e.conf:\n  main option "foo_bar" unknown\nExim version 4.96 #2 built 26-Nov-2026\nSize of off_t: 8\n', '/x/e.conf');
  assert.equal(f?.message, 'exim: main option "foo_bar" unknown');
  const two = parseEximError('Exim configuration error in line 3 of /x/e.conf:\n  first part\n  second part\n', '/x/e.conf');
  assert.equal(two?.message, 'exim: first part second part');
  // Errors found when the drivers are set up name no line.
  const lineless = parseEximError('2026-11-30 07:43:51 Warning: purging the environment.\n Suggested action: use keep_environment.\n2026-11-30 07:43:51 Exim configuration error:\n  new_router "nosuch" not found for "first" router\n', '/x/e.conf');
  assert.equal(lineless?.message, 'exim: new_router "nosuch" not found for "first" router');
  assert.equal(lineless?.file, '/x/e.conf');
});

test('the real exim: an error with a line and one without, each reported as Exim words it', { skip: !EXIM && 'exim is not installed' }, async () => {
  const { dir, file } = tempConfig(BAD);
  const router = path.join(dir, 'router.conf');
  fs.writeFileSync(router, 'begin routers\nfirst:\n  driver = accept\n  transport = t\n  pass_router = nosuch\nbegin transports\nt:\n  driver = appendfile\n  file = /tmp/x\n');
  const bad = await runEximCheck(EXIM!, file);
  assert.deepEqual(bad.findings.map((f) => [f.range.start.line, f.message]), [[1, 'exim: main option "not_an_option_at_all" unknown']]);
  const r = await runEximCheck(EXIM!, router);
  assert.deepEqual(r.findings.map((f) => f.message), ['exim: new_router "nosuch" not found for "first" router']);
});

const { tree, client } = scratch('exim-cyrus-ext-');

function tempConfig(text: string): { dir: string; file: string } {
  const dir = tree({ 'exim.conf': text });
  return { dir, file: path.join(dir, 'exim.conf') };
}

const BAD = 'primary_hostname = x.example\nnot_an_option_at_all = 1\n';

test('on save, the real exim reports its error with source exim', { skip: !EXIM && 'exim is not installed' }, async () => {
  const { dir, file } = tempConfig(BAD);
  const c = await client(dir, { eximPath: EXIM, trusted: true });
  c.open(file, BAD, 'exim');
  await c.waitForDiagnostics(file);
  c.save(file);
  const d = await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'exim/external'), 15000);
  const ext = d.find((x) => x.code === 'exim/external')!;
  assert.equal(ext.source, 'exim');
  assert.equal(ext.range.start.line, 1);
  // Exim's error only: not the version banner -bV prints on stdout.
  assert.equal(ext.message, 'exim: main option "not_an_option_at_all" unknown');
});

test('an exim -bV result goes when the text Exim read is edited, and comes back when the edit is undone', { skip: !EXIM && 'exim is not installed' }, async () => {
  const { dir, file } = tempConfig(BAD);
  const c = await client(dir, { eximPath: EXIM, trusted: true });
  c.open(file, BAD, 'exim');
  await c.waitForDiagnostics(file);
  c.save(file);
  await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'exim/external' && x.range.start.line === 1), 15000);
  // Three lines inserted above, not saved: Exim's line 2 is now line 5, and Exim has not said so.
  c.change(file, '# a\n# b\n# c\n' + BAD);
  const d = await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'exim/unknown-option' && x.range.start.line === 4));
  assert.deepEqual(d.filter((x) => x.code === 'exim/external'), []);
  c.change(file, BAD);
  await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'exim/external' && x.range.start.line === 1));
});

test('no external program runs in an untrusted workspace or without a machine-level path', { skip: !EXIM && 'exim is not installed' }, async () => {
  for (const init of [{ eximPath: EXIM, trusted: false }, {}]) {
    const { dir, file } = tempConfig(BAD);
    const c = await client(dir, init);
    // A workspace setting must not be able to name the binary.
    c.settings = { exim: { path: EXIM } };
    c.open(file, BAD, 'exim');
    await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'exim/unknown-option'));
    c.save(file);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(!c.diagnostics.get(uriOf(file))!.diagnostics.some((x) => x.code === 'exim/external'), `exim ran with ${JSON.stringify(init)}`);
  }
});

// Debian's conf.d and template are checked as update-exim4.conf would put them together.
const UE4CC = "dc_eximconfig_configtype='local'\ndc_local_interfaces='127.0.0.1'\ndc_other_hostnames=''\ndc_use_split_config='true'\n";
const CONFD = {
  'exim4/update-exim4.conf.conf': UE4CC,
  'exim4/conf.d/main/01_main': 'UPEX4CmacrosUPEX4C = 1\nprimary_hostname = x.example\nkeep_environment =\n',
  'exim4/conf.d/router/00_header': 'begin routers\n',
  'exim4/conf.d/router/100_local': '# the local router\nlocal:\n  driver = accept\n  no_such_router_option = 1\n  transport = t\n',
  'exim4/conf.d/transport/00_header': 'begin transports\n',
  'exim4/conf.d/transport/10_t': 't:\n  driver = appendfile\n  file = /tmp/x\n',
};

/**
 * A workspace of `files` with the real Exim set, `rel` opened and saved: resolves once Exim's
 * own finding is shown on it.
 */
async function savedWithEximFinding(files: Record<string, string>, rel: string) {
  const dir = tree(files);
  const file = path.join(dir, rel);
  const c = await client(dir, { eximPath: EXIM, trusted: true });
  c.open(file, files[rel], 'exim');
  await c.waitForDiagnostics(file);
  c.save(file);
  const diagnostics = await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'exim/external'), 15000);
  return { c, file, external: diagnostics.filter((x) => x.code === 'exim/external') };
}

const PART = 'exim4/conf.d/router/100_local';

test('conf.d: exim -bV runs on the parts put together, and its error lands on the part and line it is in', { skip: !EXIM && 'exim is not installed' }, async () => {
  const { external } = await savedWithEximFinding(CONFD, PART);
  assert.deepEqual(external.map((x) => x.range.start.line), [3]);
  assert.match(external[0].message, /option "no_such_router_option" unknown/);
});

test('template: exim -bV reads exim4.conf.localmacros first, so its macros are no error', { skip: !EXIM && 'exim is not installed' }, async () => {
  const files = {
    'exim4/update-exim4.conf.conf': UE4CC.replace("'true'", "'false'"),
    'exim4/exim4.conf.localmacros': 'MY_MAX = 20\n',
    'exim4/exim4.conf.template': 'UPEX4CmacrosUPEX4C = 1\nprimary_hostname = x.example\nkeep_environment =\nsmtp_accept_max = MY_MAX\n.ifdef DCconfig_local\nsmtp_accept_queue = MY_QUEUE\n.endif\n',
  };
  // Only the line Debian's macros switch on is wrong: MY_QUEUE is defined nowhere.
  const { external } = await savedWithEximFinding(files, 'exim4/exim4.conf.template');
  assert.deepEqual(external.map((x) => x.range.start.line), [5]);
});

test('conf.d: a fixed part loses Exim\'s finding at the next save, and nothing is published for the directory', { skip: !EXIM && 'exim is not installed' }, async () => {
  const { c, file } = await savedWithEximFinding(CONFD, PART);
  const fixed = CONFD[PART].replace('  no_such_router_option = 1\n', '');
  fs.writeFileSync(file, fixed);
  c.change(file, fixed);
  c.save(file);
  await c.waitForDiagnostics(file, (ds) => !ds.some((x) => x.code === 'exim/external' || x.code === 'exim/unknown-option'), 15000);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual([...c.diagnostics.keys()].filter((u) => u.endsWith('/conf.d') || u.endsWith('/exim4')), []);
});

test('conf.d: a relative include is looked for where Exim looks for it in Debian\'s file, /var/lib/exim4, not in the temporary copy', { skip: !EXIM && 'exim is not installed' }, async () => {
  const name = 'exim-cyrus-test-no-such-include.conf';
  assert.ok(!fs.existsSync(path.join('/var/lib/exim4', name)));
  const part = 'exim4/conf.d/main/01_main';
  const files = { ...CONFD, [part]: `${CONFD[part]}.include ${name}\n` };
  const { c, file, external } = await savedWithEximFinding(files, part);
  assert.deepEqual(external.map((x) => [x.range.start.line, x.message]), [[3, `exim: failed to open included configuration file /var/lib/exim4/${name}`]]);
  // Our own check says the same, and why there.
  const ours = c.diagnostics.get(uriOf(file))!.diagnostics.filter((x) => x.code === 'exim/include-not-found');
  assert.deepEqual(ours.map((x) => x.range.start.line), [3]);
  assert.match(ours[0].message, /Included file \/var\/lib\/exim4\/exim-cyrus-test-no-such-include\.conf does not exist .* resolves the path against \/var\/lib\/exim4, not this file's directory/);
});
