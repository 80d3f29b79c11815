// What we hand the real `exim -bV` for Debian's conf.d and template is what Debian's own
// update-exim4.conf writes from the same files: it runs on a copy (-d, -o), and both are
// compared line for line once comments and empty lines are set aside (the script drops
// comments; we keep the lines apart only to trace Exim's errors back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assembleDebianConfig } from '../../server/src/core/assemble';
import { diskHost } from '../../server/src/core/host';

const UPDATE = '/usr/sbin/update-exim4.conf';
const ETC = '/etc/exim4';
const missing = !fs.existsSync(UPDATE) ? `${UPDATE} is not installed`
  : !fs.existsSync(path.join(ETC, 'conf.d')) || !fs.existsSync(path.join(ETC, 'exim4.conf.template')) ? `${ETC} has no conf.d or template (exim4-config)`
  // The script reads exim4.conf.localmacros from /etc/exim4 whatever -d says.
  : fs.existsSync(path.join(ETC, 'exim4.conf.localmacros')) ? `${ETC}/exim4.conf.localmacros exists, and the script would read it into the copy's config`
  : undefined;

/** Lines that carry meaning: no comments, no empty lines, none of the macros we leave out. */
function meaningful(text: string, leftOut: string[] = []): string[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\.ifndef (\S+)$/.exec(lines[i]);
    if (m && leftOut.includes(m[1]) && lines[i + 2] === '.endif') { i += 2; continue; }
    out.push(lines[i]);
  }
  return out;
}

for (const split of ['true', 'false']) {
  test(`dc_use_split_config='${split}': the same config as update-exim4.conf writes`, { skip: missing && `skipped: ${missing}` }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-ue4c-asm-'));
    try {
      fs.cpSync(path.join(ETC, 'conf.d'), path.join(dir, 'conf.d'), { recursive: true });
      fs.copyFileSync(path.join(ETC, 'exim4.conf.template'), path.join(dir, 'exim4.conf.template'));
      fs.writeFileSync(path.join(dir, 'update-exim4.conf.conf'),
        `dc_eximconfig_configtype='internet'\ndc_other_hostnames='example.org'\ndc_local_interfaces='127.0.0.1 ; ::1'\ndc_relay_nets='192.0.2.0/24'\ndc_use_split_config='${split}'\ndc_localdelivery='mail_spool'\n`);
      const out = path.join(dir, 'out.conf');
      const r = spawnSync(UPDATE, ['-d', dir, '-o', out], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, r.stderr);
      const ours = assembleDebianConfig(dir, diskHost);
      assert.ok(ours, 'a Debian config');
      // MAIN_PACKAGE_VERSION (the exim4-config version) is not known here, and no Debian config uses it.
      assert.deepEqual(meaningful(ours.text), meaningful(fs.readFileSync(out, 'latin1'), ['MAIN_PACKAGE_VERSION']));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

// Exim resolves a relative `.include` against the directory of the file it reads: Debian's
// real file is update-exim4.conf's output, while `exim -bV` on save reads our copy from a
// private directory. Anchored, the copy reads the same included file as the real one.
const EXIM = ['/usr/sbin/exim4', '/usr/sbin/exim'].find((p) => fs.existsSync(p));
const noExim = !fs.existsSync(UPDATE) ? `${UPDATE} is not installed` : !EXIM ? 'exim is not installed' : undefined;

/** Exim's complaint about `file`: the file and line it names, and what it says. */
function eximError(file: string): { at: string; line: number; message: string } | undefined {
  const r = spawnSync(EXIM!, ['-C', file, '-bV'], { encoding: 'utf8', timeout: 30_000 });
  const m = /Exim configuration error in line (\d+) of (\S+):\n\s*(.*)/.exec(r.stderr);
  return m ? { at: m[2], line: Number(m[1]), message: m[3].trim() } : undefined;
}

test('a relative .include in conf.d: the anchored copy reads what Debian\'s own file reads, found or not', { skip: noExim && `skipped: ${noExim}` }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-ue4c-inc-'));
  try {
    const etc = path.join(dir, 'etc'), gen = path.join(dir, 'gen'), copy = path.join(dir, 'copy');
    for (const d of [path.join(etc, 'conf.d/main'), gen, copy]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(etc, 'update-exim4.conf.conf'), "dc_eximconfig_configtype='local'\ndc_local_interfaces='127.0.0.1'\ndc_use_split_config='true'\n");
    fs.writeFileSync(path.join(etc, 'conf.d/main/01_main'), 'UPEX4CmacrosUPEX4C = 1\nprimary_hostname = x.example\nkeep_environment =\n.include relinc.conf\n');
    // Beside the part: not what Exim reads.
    fs.writeFileSync(path.join(etc, 'conf.d/main/relinc.conf'), 'primary_hostname = beside.example\n');
    fs.writeFileSync(path.join(gen, 'relinc.conf'), 'no_such_option_relinc = 1\n');
    const real = path.join(gen, 'config.autogenerated');
    const r = spawnSync(UPDATE, ['-d', etc, '-o', real], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const ours = path.join(copy, 'config.autogenerated');
    const check = () => {
      const a = assembleDebianConfig(etc, diskHost, real)!;
      fs.writeFileSync(ours, a.text);
      return { theirs: eximError(real), mine: eximError(ours), origins: a.origins };
    };

    const found = check();
    assert.deepEqual(found.theirs, { at: path.join(gen, 'relinc.conf'), line: 1, message: 'main option "no_such_option_relinc" unknown' });
    assert.deepEqual(found.mine, found.theirs);

    fs.rmSync(path.join(gen, 'relinc.conf'));
    const missing = check();
    assert.equal(missing.theirs?.message, `failed to open included configuration file ${path.join(gen, 'relinc.conf')}`);
    assert.equal(missing.mine?.message, missing.theirs?.message);
    assert.deepEqual(missing.origins[missing.mine!.line - 1], { file: path.join(etc, 'conf.d/main/01_main'), line: 3 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
