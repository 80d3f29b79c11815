// The macros we define for a Debian /etc/exim4 are the ones Debian's real update-exim4.conf
// writes from the same update-exim4.conf.conf: it runs on a scratch directory (-d, -o) and
// its `.ifndef NAME` / `NAME=value` / `.endif` blocks are compared with debianMacros().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { debianMacros } from '../../server/src/core/exim/debconf';

const UPDATE = '/usr/sbin/update-exim4.conf';
const missing = fs.existsSync(UPDATE) ? undefined : `${UPDATE} is not installed`;
const skip = missing ? `skipped: ${missing}` : false;

/** The macros update-exim4.conf writes for `ue4cc`, by name. */
function written(ue4cc: string): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-ue4c-'));
  try {
    fs.writeFileSync(path.join(dir, 'update-exim4.conf.conf'), ue4cc);
    fs.writeFileSync(path.join(dir, 'exim4.conf.template'), 'UPEX4CmacrosUPEX4C = 1\n');
    const out = path.join(dir, 'out.conf');
    const r = spawnSync(UPDATE, ['-d', dir, '-o', out], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const text = fs.readFileSync(out, 'utf8');
    const macros: Record<string, string> = {};
    for (const m of text.matchAll(/^\.ifndef (\S+)\n\1=(.*)\n\.endif$/gm)) macros[m[1]] = m[2];
    return macros;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const mailname = fs.existsSync('/etc/mailname') ? fs.readFileSync('/etc/mailname', 'utf8') : undefined;

const CASES: Record<string, string> = {
  internet: `dc_eximconfig_configtype='internet'
dc_other_hostnames='Example.com;example.org;'
dc_local_interfaces='127.0.0.1 ; ::1'
dc_readhost=''
dc_relay_domains='relay.example.net'
dc_minimaldns='false'
dc_relay_nets=''
dc_smarthost=''
CFILEMODE='644'
dc_use_split_config='false'
dc_hide_mailname=''
dc_mailname_in_oh='true'
dc_localdelivery='maildir_home'
`,
  smarthost: `dc_eximconfig_configtype="Smarthost"
dc_other_hostnames=''
dc_local_interfaces=''
dc_readhost='Example.COM'
dc_relay_domains='a.example : b.example'
dc_relay_nets='192.0.2.0/24; 198.51.100.0/24'
dc_smarthost='Smtp.Example.NET::587;backup.example.net'
dc_use_split_config=false
dc_hide_mailname='true'
dc_localdelivery=''
`,
  satellite: `dc_eximconfig_configtype='satellite'
dc_other_hostnames='mail.example.com : example.com'
dc_local_interfaces='<; 127.0.0.1 ; ::1'
dc_readhost='example.com'
dc_minimaldns='true'
dc_relay_nets='10.0.0.0/8'
dc_smarthost='mx.example.net'
dc_use_split_config='false'
dc_hide_mailname='false'
MAIN_TLS_ENABLE='true'
SOMETHING='Hello   World'
dc_localdelivery='mail_spool'
`,
  none: `dc_eximconfig_configtype='none'
dc_other_hostnames='example.com'
dc_use_split_config='false'
`,
};

for (const [name, ue4cc] of Object.entries(CASES)) {
  test(`update-exim4.conf.conf "${name}": the same macros as the real update-exim4.conf`, { skip }, () => {
    const real = written(ue4cc);
    const ours = debianMacros(ue4cc, mailname);
    // What only the machine running the script knows.
    for (const n of ['MAIN_PACKAGE_VERSION', ...ours.unknown]) delete real[n];
    assert.deepEqual(ours.defines, real);
    if (name === 'none') assert.deepEqual(real, {}, 'no macros for the config type none');
  });
}
