// What the init functions of Exim's drivers (transports/*.c, routers/*.c) refuse once an
// instance's options are read: options that clash, options that need another one, and a
// user with no group to go with it. Exim stops loading at the first of these and names
// the instance but no line, so each finding lands on the option at fault.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import { describe, given } from './instance-options';

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

export function checkDriverInit(inst: DriverInstance, out: Finding[]): void {
  if (inst.section === 'transports' && NEEDS_GROUP.has(inst.driver!)) userWithoutGroup(inst, out);
}
