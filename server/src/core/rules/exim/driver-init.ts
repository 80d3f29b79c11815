// What the init functions of Exim's drivers (transports/*.c, routers/*.c) refuse once an
// instance's options are read: options that clash, options that need another one, and a
// user with no group to go with it. Exim stops loading at the first of these and names
// the instance but no line, so each finding lands on the option at fault.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import { bothSet, cap, describe, given, on, onOpt, opt, order } from './instance-options';
import { didYouMean, nearest, replaceFix } from './suggest';

/** Transports whose init function refuses a fixed user without a group. */
const NEEDS_GROUP = new Set(['appendfile', 'autoreply', 'lmtp', 'pipe']);

/**
 * route_finduser takes a user that is all digits (or starts with "-") as a uid without
 * looking it up, so no passwd entry supplies its group; a name's entry does, and one
 * with "$" is expanded at delivery time.
 */
export const numericUser = (v: string) => /^[0-9-][0-9]*$/.test(v.trim());

function userWithoutGroup(inst: DriverInstance, out: Finding[]): void {
  const user = given(inst, 'user');
  if (!user?.value || !numericUser(user.value) || given(inst, 'group')) return;
  const at = user.valueLoc ?? user.nameLoc;
  out.push(finding('exim/invalid-value', at.file, at.range,
    `In ${describe(inst)}, "user" is the number ${user.value.trim()} and no "group" is set; Exim refuses the config, `
    + 'because a numeric user has no passwd entry to take the group from. Set "group", or give the user by name.'));
}

/** pipe.c: options of which at most one may be on, with why. allow_commands is a string, set by any value. */
const PIPE_CLASHES: [string, string, string][] = [
  ['return_output', 'return_fail_output', 'return_output returns whatever the command writes, return_fail_output only what a failing command writes'],
  ['log_output', 'log_fail_output', 'log_output logs whatever the command writes, log_fail_output only what a failing command writes'],
  ['restrict_to_path', 'use_shell', 'with use_shell the shell looks the command up, so restrict_to_path cannot hold it to "path"'],
  ['allow_commands', 'use_shell', 'with use_shell the shell runs the whole command line, so allow_commands cannot vet which command runs'],
];
const pipeOption = (inst: DriverInstance, name: string) => name === 'allow_commands' ? given(inst, name) : onOpt(inst, name);

function pipe(inst: DriverInstance, out: Finding[]): void {
  for (const [x, y, why] of PIPE_CLASHES) {
    const a = pipeOption(inst, x), b = pipeOption(inst, y);
    if (a && b) bothSet(describe(inst), a, b, out, why);
  }
  const creator = onOpt(inst, 'pipe_as_creator'), id = given(inst, 'user') ?? given(inst, 'group');
  if (creator && id) bothSet(describe(inst), creator, id, out, `pipe_as_creator runs the command as the message's sender, "${id.name}" as someone else`);
  // Exit codes are digits and colons (spaces around them too); "*" means any.
  const temp = given(inst, 'temp_errors');
  const bad = temp?.value && temp.value.trim() !== '*' ? /[^0-9: ]/.exec(temp.value.trim()) : null;
  if (temp && bad) {
    const at = temp.valueLoc ?? temp.nameLoc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(inst)}, "temp_errors" must be exit codes separated by ":" (e.g. 75:73), or "*" alone for any; ${bad[0] === '\t' ? 'a tab' : `"${bad[0]}"`} cannot be in it. Exim refuses the config.`));
  }
}

const DIRECTORY_QUOTAS = ['quota_filecount', 'quota_directory'];

/** appendfile.c: the directory-only quotas, the two directory formats, and locking. */
function appendfile(inst: DriverInstance, out: Finding[]): void {
  const file = given(inst, 'file'), directory = given(inst, 'directory');
  for (const name of DIRECTORY_QUOTAS) {
    const q = given(inst, name);
    if (!q) continue;
    if (file) {
      out.push(finding('exim/invalid-value', q.nameLoc.file, q.nameLoc.range,
        `In ${describe(inst)}, "${name}" is set but "file" delivers into a single file; quota_filecount and quota_directory apply only to deliveries into a "directory". Exim refuses the config. Remove it.`,
        { related: [{ file: file.nameLoc.file, range: file.nameLoc.range, message: '"file" is set here' }] }));
    } else if (directory && !given(inst, 'quota')) {
      out.push(finding('exim/invalid-value', q.nameLoc.file, q.nameLoc.range,
        `In ${describe(inst)}, "${name}" is set without "quota"; Exim refuses the config. Set "quota" as well, or remove it.`));
    }
  }
  const maildir = onOpt(inst, 'maildir_format'), mailstore = onOpt(inst, 'mailstore_format');
  if (directory && maildir && mailstore) bothSet(describe(inst), maildir, mailstore, out, 'a directory delivery writes one format');
  // Fcntl locking and a lock file are on unless turned off; flock and MBX locking only when turned on.
  const fcntl = opt(inst, 'use_fcntl_lock'), lockfile = opt(inst, 'use_lockfile');
  if (fcntl && on(fcntl) === false && lockfile && on(lockfile) === false && !onOpt(inst, 'use_flock_lock') && !onOpt(inst, 'use_mbx_lock')) {
    const [, last] = order(fcntl, lockfile);
    out.push(finding('exim/invalid-value', last.nameLoc.file, last.nameLoc.range,
      `In ${describe(inst)}, every kind of locking is turned off (use_fcntl_lock and use_lockfile are false, use_flock_lock and use_mbx_lock are not set); Exim refuses the config, as it needs at least one. Turn one back on.`));
  }
}

/**
 * Whether a list option keeps anything once readconf.c has read it item by item: empty
 * items are dropped, so "headers_remove = :" sets nothing. `sep` is the default separator;
 * "<X" at the start changes it, and a doubled separator that is punctuation is data.
 */
function hasListItem(value: string, sep: string): boolean {
  let s = value.trimStart();
  if (s[0] === '<' && s.length > 1 && /[!-/:-@[-`{-~\x00-\x1f\x7f]/.test(s[1])) {
    sep = s[1];
    s = s.slice(2);
  }
  if (sep > ' ' && s.includes(sep + sep)) return true;
  return s.split(sep).some((item) => item.trim() !== '');
}

/** redirect.c: qualify_domain against qualify_preserve_domain, filters need a user, one_time leaves headers alone. */
function redirect(inst: DriverInstance, out: Finding[]): void {
  const qualify = given(inst, 'qualify_domain'), preserve = onOpt(inst, 'qualify_preserve_domain');
  if (qualify && preserve) {
    bothSet(describe(inst), qualify, preserve, out, 'qualify_domain gives unqualified addresses that domain, qualify_preserve_domain the domain of the address it redirects');
  }
  const filter = onOpt(inst, 'allow_filter');
  if (filter && !onOpt(inst, 'check_local_user') && !given(inst, 'user')) {
    out.push(finding('exim/invalid-value', filter.nameLoc.file, filter.nameLoc.range,
      `In ${describe(inst)}, "allow_filter" is set without "user" or "check_local_user"; Exim refuses the config, because a filter runs as that user (check_local_user takes it from the passwd entry of the local part). Set one of them.`));
  }
  const oneTime = onOpt(inst, 'one_time');
  const headers = oneTime && inst.options.find((o) => o.value !== undefined
    && ((o.name === 'headers_add' && hasListItem(o.value, '\n')) || (o.name === 'headers_remove' && hasListItem(o.value, ':'))));
  if (oneTime && headers) {
    out.push(finding('exim/invalid-value', headers.nameLoc.file, headers.nameLoc.range,
      `In ${describe(inst)}, "${headers.name}" may not be used with "one_time"; Exim refuses the config, because addresses it generates that fail at the first attempt become top-level addresses of the message and would lose the header changes. Remove one of them.`,
      { related: [{ file: oneTime.nameLoc.file, range: oneTime.nameLoc.range, message: '"one_time" is set here' }] }));
  }
}

/** Options a router's init function will not do without, with what each is for. */
const ROUTER_NEEDS: Record<string, [string, string][]> = {
  iplookup: [['port', 'the port to send the query to'], ['hosts', 'the hosts to query']],
  queryprogram: [['command', 'the program to ask'], ['command_user', 'the user to run it as']],
};

function needs(inst: DriverInstance, out: Finding[]): void {
  for (const [name, what] of ROUTER_NEEDS[inst.driver!] ?? []) {
    const s = given(inst, name);
    // iplookup.c reads the port as a number and takes one below zero (its default, -1) as none.
    if (s && !(name === 'port' && /^-(0x0*[1-9a-f]|0*[1-9])/i.test(s.value!.trim()))) continue;
    const at = s?.valueLoc ?? inst.nameLoc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      s ? `In ${describe(inst)}, "${name}" is negative, which counts as no port; Exim refuses the config. Give ${what}.`
        : `${cap(describe(inst))} needs "${name}" (${what}); Exim refuses the config without it.`));
  }
}

const SMTP_TIMEOUTS = ['command_timeout', 'data_timeout', 'final_timeout'];

/**
 * smtp.c refuses a zero command, data or final timeout; connect_timeout may be zero.
 * A time is digit groups with units, so zero is written "0s", "0m0s" and so on.
 */
function smtpTimeouts(inst: DriverInstance, out: Finding[]): void {
  for (const name of SMTP_TIMEOUTS) {
    const s = given(inst, name);
    if (!s || !/^(0+[wdhms])+$/.test(s.value!.trim())) continue;
    const at = s.valueLoc ?? s.nameLoc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(inst)}, "${name}" is zero; Exim refuses the config, as it needs a limit above zero on how long to wait for the server. Give a time above zero (the default is ${name === 'final_timeout' ? '10m' : '5m'}).`));
  }
}

/** Transports that deliver to other hosts (drtables.c: not local); the rest may have a shadow. */
const REMOTE_TRANSPORTS = new Set(['smtp']);

/** transport.c, for every transport: body_only against headers_only, and a shadow only on a local one. */
function anyTransport(inst: DriverInstance, out: Finding[]): void {
  const body = onOpt(inst, 'body_only'), headers = onOpt(inst, 'headers_only');
  if (body && headers) bothSet(describe(inst), body, headers, out, 'body_only sends the body alone, headers_only the header alone');
  const shadow = given(inst, 'shadow_transport');
  if (shadow && REMOTE_TRANSPORTS.has(inst.driver!)) {
    out.push(finding('exim/invalid-value', shadow.nameLoc.file, shadow.nameLoc.range,
      `In ${describe(inst)}, "shadow_transport" is set, but only a local transport (appendfile, autoreply, lmtp, pipe) may have a shadow; Exim refuses the config. Remove it.`));
  }
}

/** spa.c: a client needs both a user name and a password. */
function spa(inst: DriverInstance, out: Finding[]): void {
  const user = given(inst, 'client_username'), password = given(inst, 'client_password');
  const s = user && !password ? user : password && !user ? password : undefined;
  if (!s) return;
  const other = s === user ? 'client_password' : 'client_username';
  out.push(finding('exim/invalid-value', s.nameLoc.file, s.nameLoc.range,
    `In ${describe(inst)}, "${s.name}" is set without "${other}"; Exim refuses the config, as a client needs both. Set "${other}" too, or remove it.`));
}

/**
 * Authenticators whose init leaves public_name unset when it is not given, which Exim then
 * refuses ("no public name specified for the ... authenticator"); the others default it.
 * cyrus_sasl takes its mechanism from public_name unless server_mech is set, and Debian's
 * Exim 4.96 crashes (SIGSEGV) loading one with neither.
 */
const NEEDS_PUBLIC_NAME = new Set(['cram_md5', 'cyrus_sasl']);

function publicName(inst: DriverInstance, out: Finding[]): void {
  if (given(inst, 'public_name')) return;
  const crash = inst.driver === 'cyrus_sasl' && !given(inst, 'server_mech');
  out.push(finding('exim/invalid-value', inst.nameLoc.file, inst.nameLoc.range,
    `${cap(describe(inst))} has no "public_name" (the SASL mechanism it offers or asks for, e.g. ${inst.driver === 'cram_md5' ? 'CRAM-MD5' : 'PLAIN'}); `
    + (crash ? 'Exim 4.96 crashes (SIGSEGV) when it loads this config.' : 'Exim refuses the config without it.') + ' Set "public_name".'));
}

/**
 * The mechanisms Cyrus SASL's plugins implement (plugins/*.c of cyrus-sasl 2.1: what
 * sasl_listmech can ever list). cyrus_sasl's init asks the library for its server_mech
 * (public_name by default) alone and refuses the config when it is not listed ("couldn't
 * get Cyrus SASL mechanism list"; exim4 -bV). Whether this machine has the plugin for a
 * known one installed is not judged.
 */
const CYRUS_SASL_MECHANISMS = [
  'ANONYMOUS', 'CRAM-MD5', 'DIGEST-MD5', 'EXTERNAL', 'GS2-IAKERB', 'GS2-KRB5', 'GSS-SPNEGO', 'GSSAPI', 'KERBEROS_V4',
  'LOGIN', 'NTLM', 'OTP', 'PASSDSS-3DES-1', 'PLAIN', 'SRP',
  ...['1', '224', '256', '384', '512'].flatMap((n) => [`SCRAM-SHA-${n}`, `SCRAM-SHA-${n}-PLUS`]),
];

function saslMechanism(inst: DriverInstance, out: Finding[]): void {
  const s = given(inst, 'server_mech') ?? given(inst, 'public_name');
  const mech = s?.value?.trim();
  if (!s || !mech || /[$\\]/.test(mech)) return;
  // White space the quotes keep is part of the name SASL is asked for.
  if (s.value !== mech && CYRUS_SASL_MECHANISMS.includes(mech.toUpperCase())) {
    const at = s.valueLoc ?? s.nameLoc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(inst)}, "${s.name}" asks Cyrus SASL for the mechanism "${s.value}", white space and all (the quotes keep it): no mechanism has that name, and Exim refuses the config ("Cyrus SASL doesn't know about mechanism ${s.value}"). Remove the white space.`,
      s.valueLoc ? { fixes: replaceFix(s.valueLoc, mech) } : {}));
    return;
  }
  if (CYRUS_SASL_MECHANISMS.includes(mech.toUpperCase())) return;
  const guess = nearest(mech.toUpperCase(), CYRUS_SASL_MECHANISMS);
  const at = s.valueLoc ?? s.nameLoc;
  out.push(finding('exim/invalid-value', at.file, at.range,
    `In ${describe(inst)}, "${s.name}" asks Cyrus SASL for the mechanism "${mech}", which no SASL plugin provides: Exim refuses the config ("couldn't get Cyrus SASL mechanism list").${didYouMean(guess)}${s.name === 'public_name' ? ' To offer it under another name, keep public_name and set server_mech to a mechanism SASL has.' : ''}`,
    guess && s.valueLoc ? { fixes: replaceFix(s.valueLoc, guess) } : {}));
}

export function checkDriverInit(inst: DriverInstance, out: Finding[]): void {
  if (inst.section === 'transports') anyTransport(inst, out);
  if (inst.section === 'authenticators' && inst.driver === 'spa') spa(inst, out);
  if (inst.section === 'authenticators' && NEEDS_PUBLIC_NAME.has(inst.driver!)) publicName(inst, out);
  if (inst.section === 'authenticators' && inst.driver === 'cyrus_sasl') saslMechanism(inst, out);
  if (inst.section === 'transports' && NEEDS_GROUP.has(inst.driver!)) userWithoutGroup(inst, out);
  if (inst.section === 'transports' && inst.driver === 'pipe') pipe(inst, out);
  if (inst.section === 'transports' && inst.driver === 'appendfile') appendfile(inst, out);
  if (inst.section === 'routers' && inst.driver === 'redirect') redirect(inst, out);
  if (inst.section === 'transports' && inst.driver === 'smtp') smtpTimeouts(inst, out);
  if (inst.section === 'routers') needs(inst, out);
}
