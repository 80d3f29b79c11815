// What the init functions of Exim's drivers (transports/*.c, routers/*.c) refuse once an
// instance's options are read: options that clash, options that need another one, and a
// user with no group to go with it. Exim stops loading at the first of these and names
// the instance but no line, so each finding lands on the option at fault.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import { bothSet, describe, given, on, onOpt, opt, order } from './instance-options';

/** Transports whose init function refuses a fixed user without a group. */
const NEEDS_GROUP = new Set(['appendfile', 'autoreply', 'lmtp', 'pipe']);

/**
 * route_finduser takes a user that is all digits (or starts with "-") as a uid without
 * looking it up, so no passwd entry supplies its group; a name's entry does, and one
 * with "$" is expanded at delivery time.
 */
const numericUser = (v: string) => /^[0-9-][0-9]*$/.test(v.trim());

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
  const what = describe(inst);
  for (const [x, y, why] of PIPE_CLASHES) {
    const a = pipeOption(inst, x), b = pipeOption(inst, y);
    if (a && b) bothSet(what, a, b, out, why);
  }
  const creator = onOpt(inst, 'pipe_as_creator'), id = given(inst, 'user') ?? given(inst, 'group');
  if (creator && id) bothSet(what, creator, id, out, `pipe_as_creator runs the command as the message's sender, "${id.name}" as someone else`);
  // Exit codes are digits and colons (spaces around them too); "*" means any.
  const temp = given(inst, 'temp_errors');
  const bad = temp?.value && temp.value.trim() !== '*' ? /[^0-9: ]/.exec(temp.value.trim()) : null;
  if (temp && bad) {
    const at = temp.valueLoc ?? temp.nameLoc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${what}, "temp_errors" must be exit codes separated by ":" (e.g. 75:73), or "*" alone for any; ${bad[0] === '\t' ? 'a tab' : `"${bad[0]}"`} cannot be in it. Exim refuses the config.`));
  }
}

/** appendfile.c: the directory-only quotas, the two directory formats, and locking. */
function appendfile(inst: DriverInstance, out: Finding[]): void {
  const what = describe(inst);
  const file = given(inst, 'file'), directory = given(inst, 'directory');
  for (const name of ['quota_filecount', 'quota_directory']) {
    const q = given(inst, name);
    if (!q) continue;
    if (file) {
      out.push(finding('exim/invalid-value', q.nameLoc.file, q.nameLoc.range,
        `In ${what}, "${name}" is set but "file" delivers into a single file; quota_filecount and quota_directory apply only to deliveries into a "directory". Exim refuses the config. Remove it.`,
        { related: [{ file: file.nameLoc.file, range: file.nameLoc.range, message: '"file" is set here' }] }));
    } else if (directory && !given(inst, 'quota')) {
      out.push(finding('exim/invalid-value', q.nameLoc.file, q.nameLoc.range,
        `In ${what}, "${name}" is set without "quota"; Exim refuses the config. Set "quota" as well, or remove it.`));
    }
  }
  const maildir = onOpt(inst, 'maildir_format'), mailstore = onOpt(inst, 'mailstore_format');
  if (directory && maildir && mailstore) bothSet(what, maildir, mailstore, out, 'a directory delivery writes one format');
  // Fcntl locking and a lock file are on unless turned off; flock and MBX locking only when turned on.
  const fcntl = opt(inst, 'use_fcntl_lock'), lockfile = opt(inst, 'use_lockfile');
  if (fcntl && on(fcntl) === false && lockfile && on(lockfile) === false && !onOpt(inst, 'use_flock_lock') && !onOpt(inst, 'use_mbx_lock')) {
    const [, last] = order(fcntl, lockfile);
    out.push(finding('exim/invalid-value', last.nameLoc.file, last.nameLoc.range,
      `In ${what}, every kind of locking is turned off (use_fcntl_lock and use_lockfile are false, use_flock_lock and use_mbx_lock are not set); Exim refuses the config, as it needs at least one. Turn one back on.`));
  }
}

export function checkDriverInit(inst: DriverInstance, out: Finding[]): void {
  if (inst.section === 'transports' && NEEDS_GROUP.has(inst.driver!)) userWithoutGroup(inst, out);
  if (inst.section === 'transports' && inst.driver === 'pipe') pipe(inst, out);
  if (inst.section === 'transports' && inst.driver === 'appendfile') appendfile(inst, out);
}
