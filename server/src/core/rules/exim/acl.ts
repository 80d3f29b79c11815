// ACL statements: verbs, conditions and modifiers Exim knows, used where Exim allows them
// (a condition forbidden at the SMTP stage its ACL runs at fails every time it is reached).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig } from '../../exim/model';
import type { CheckOptions, EximVersion } from '../../options';
import {
  aclAllowedIn, aclCondition, aclNames, availableIn, calloutOption, verifyType, versionNote, type AclNameInfo, type AclNameKind,
} from '../../catalog/exim';
import { didYouMean, namesOnce, nearest, replaceFix, replaceWrittenFix, runTime, RUN_TIME, unquoteFix } from './suggest';
import { aclWheres, type AclUse } from './acl-where';
import { locOfText } from './lists';
import { ArgumentMemo, badConditionValue } from './acl-arguments';
import { isMacroName } from './undefined-macro';
import { verifyOptionProblems } from './verify-options';

/** The names of one kind of ACL word for the version, made once. */
function aclNameList(kind: AclNameKind, version: EximVersion): readonly string[] {
  return namesOnce(kind, version, () => aclNames(kind, version).map((x) => x.name));
}

function versionProblem(info: AclNameInfo, what: string, opts: CheckOptions): { message: string; severity?: 'warning' } | undefined {
  if (availableIn(info, opts.eximVersion)) return undefined;
  if (opts.eximVersion === '4.96') return { message: `${what} is not in Exim 4.96 (${versionNote(info)}); Exim 4.96 rejects it.` };
  return { message: `${what} was ${versionNote(info, 'latest')}; current Exim rejects it.`, severity: 'warning' };
}

const NO_USES: readonly AclUse[] = [];

/** The uses at which `info` is not allowed; no array is made when there are none (nearly always). */
function forbiddenAt(info: AclNameInfo, uses: readonly AclUse[], version: EximVersion): readonly AclUse[] {
  const allowed = aclAllowedIn(info, version);
  if (!allowed) return NO_USES;
  let bad: AclUse[] | undefined;
  for (const u of uses) if (!allowed.includes(u.where)) (bad ??= []).push(u);
  return bad ?? NO_USES;
}

function describeUses(uses: readonly AclUse[]): string {
  return uses.map((u) => u.option).join(', ');
}

/**
 * A time as readconf_readtime reads a callout's: every number takes a unit, "1m30s" too. A
 * bare number ("30") is a "bad time value" at run time, and so is anything else.
 */
const CALLOUT_TIME = /^(?:[0-9]+[wdhms])+$/;

/**
 * What each control that checks its options accepts after its name (acl.c, the
 * ACLC_CONTROL cases); the others take any text after "/" or "_" and ignore what they do
 * not know.
 */
const CONTROL_SUFFIXES: Record<string, string> = {
  freeze: 'only "/no_tell"',
  submission: '"/sender_retain", "/domain=..." and "/name=..."',
  dscp: '"/" and a DSCP value: a number from 0 to 63, or af11 to af43, ef, lowdelay, throughput, reliability, lowcost, mincost, in lower case',
  utf8_downconvert: 'only "/1", "/0" or "/-1"',
};
const CONTROL_ACCEPTS: Record<string, { test(rest: string): boolean }> = {
  freeze: /^(\/no_tell)?$/,
  submission: /^(\/sender_retain|\/domain=[^/]*)*(\/name=.*)?$/,
  dscp: { test: (rest) => rest.startsWith('/') && dscpValue(rest.slice(1)) },
  utf8_downconvert: /^(?:$|\/(?:1|0|-1))/,
};

const DSCP_NAMES = /^(?:af[1-4][1-3]|ef|lowcost|lowdelay|mincost|reliability|throughput)$/;

/**
 * A DSCP value as ip.c's dscp_lookup reads it: trimmed, a whole number as strtol reads it
 * with base 0 (0x hex, a leading 0 octal) from 0 to 63, or a name of its table (case
 * matters). Anything else, with a real socket, fails the ACL (exim4 -bdf: "unrecognised
 * DSCP value", 451; -bh, on no socket, skips the control); an smtp transport's dscp
 * option sends without one (smtp-interface.ts).
 */
export function dscpValue(v: string): boolean {
  const t = v.trim();
  const m = /^[+-]?(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(t);
  if (!m) return DSCP_NAMES.test(t);
  const n = m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 8) : parseInt(m[3], 10);
  return (t.startsWith('-') ? -n : n) >= 0 && n <= 63;
}

/** The controls Exim knows, in the catalog's order (made once: it is fixed). */
const CONTROLS = aclNames('control');

/**
 * `control = value` as acl.c's decode_control reads it: the value starts with a control's
 * name, followed by nothing or — for a control that takes options — by "/" or "_" and
 * more (`queue_only` is `queue` with "_only"). Undefined when no control matches;
 * `leftover` when the control's own code refuses what follows its name.
 */
export function decodeControl(v: string): { info: AclNameInfo; leftover?: string } | undefined {
  for (const info of CONTROLS) {
    if (!v.startsWith(info.name)) continue;
    const rest = v.slice(info.name.length);
    if (rest && !(info.hasOptions && (rest[0] === '/' || rest[0] === '_'))) continue;
    const accepts = CONTROL_ACCEPTS[info.name];
    return accepts && !accepts.test(rest) ? { info, leftover: rest } : { info };
  }
  return undefined;
}

/**
 * `verify = type/opt/opt`, `control = name/opt`: checks the first word and callout options.
 * Every finding is placed in the value, so a value with no place gives none; the place is
 * read only for a finding.
 */
function checkSubValue(cfg: EximConfig, item: AclItem, uses: readonly AclUse[], acl: string, opts: CheckOptions, out: Finding[]): void {
  const v = item.value?.trim();
  const kind = item.name === 'control' ? 'control' : 'verify';
  if (v === '' && item.valueLoc) {
    const at = item.nameLoc;
    out.push(finding('exim/acl-syntax', at.file, at.range,
      `"${kind} =" names no ${kind === 'verify' ? 'verify type (recipient, sender, helo, ...)' : 'control'}, so Exim fails the ACL with an error when it gets here. Give one, or remove the line.`, RUN_TIME));
    return;
  }
  if (!v || v.includes('$')) return;
  const control = kind === 'control' ? decodeControl(v) : undefined;
  const slash = v.indexOf('/');
  // Exim compares verify types without regard to case, and "sender=address" is sender.
  const typed = (slash < 0 ? v : v.slice(0, slash)).trim();
  const word = control ? control.info.name : /^sender\s*=/i.test(typed) ? 'sender' : typed;
  const info = control ? control.info : kind === 'control' ? undefined : verifyType(word) ?? verifyType(word.toLowerCase());
  if (control?.leftover !== undefined) {
    const valueLoc = item.valueLoc;
    if (!valueLoc) return;
    const at = locOfText(cfg, valueLoc, v);
    out.push(finding('exim/acl-syntax', at.file, at.range,
      control.leftover
        ? `"control = ${v}": Exim knows the control "${word}" but not "${control.leftover}" after it (it takes ${CONTROL_SUFFIXES[word]}); the ACL fails with an error when it gets here.`
        : `"control = ${v}" needs ${CONTROL_SUFFIXES[word]} after it; without, the ACL fails with an error when it gets here.`, RUN_TIME));
    return;
  }
  if (!info) {
    const valueLoc = item.valueLoc;
    if (!valueLoc) return;
    const at = locOfText(cfg, valueLoc, word);
    const guess = nearest(word, aclNameList(item.name === 'control' ? 'control' : 'verify-type', opts.eximVersion));
    out.push(finding('exim/acl-syntax', at.file, at.range, `Unknown ${kind} "${word}" in ACL "${acl}"; the ACL fails with an error when it gets here.${didYouMean(guess)}`,
      runTime(guess ? replaceFix(at, guess) : undefined)));
    return;
  }
  // The message is made only for a name the target lacks: this runs for every verify and control.
  const vp = availableIn(info, opts.eximVersion) ? undefined : versionProblem(info, `"${kind} = ${word}"`, opts);
  if (vp) {
    const valueLoc = item.valueLoc;
    if (!valueLoc) return;
    const at = locOfText(cfg, valueLoc, word);
    // Unlike a condition's name, a control's or verify type's is read when the ACL runs: the
    // config loads, and the ACL fails with an error there (exim4 -bh: 451).
    const runs = vp.message.replace(/ (Exim 4\.96|current Exim) rejects it\.$/, ' $1 loads the config, but the ACL fails with an error each time it gets here ("451 Temporary local problem").');
    out.push(finding('exim/acl-syntax', at.file, at.range, runs, RUN_TIME));
    return;
  }
  const bad = forbiddenAt(info, uses, opts.eximVersion);
  if (bad.length) {
    const valueLoc = item.valueLoc;
    if (!valueLoc) return;
    const at = locOfText(cfg, valueLoc, word);
    out.push(finding('exim/acl-syntax', at.file, at.range,
      `"${kind} = ${word}" cannot be used in ACL "${acl}", which runs for ${describeUses(bad)}; Exim fails the ACL with an error there. Allowed at: ${aclAllowedIn(info, opts.eximVersion)!.join(', ')}.`, RUN_TIME));
  }
  if (kind === 'verify' && slash >= 0 && item.valueLoc) {
    for (const p of verifyOptionProblems(v)) {
      const at = locOfText(cfg, item.valueLoc, p.text);
      out.push(finding('exim/acl-syntax', at.file, at.range, p.message, RUN_TIME));
    }
  }
  // Callout options follow the type after "/".
  if (kind !== 'verify' || slash < 0 || !v.includes('callout', slash)) return;
  const parts = v.split('/');
  for (let k = 1; k < parts.length; k++) {
    const m = /^\s*callout\s*=\s*(.*)$/.exec(parts[k]);
    if (!m) continue;
    for (const raw of m[1].split(',')) {
      const o = raw.trim();
      if (!o) continue;
      const valueLoc = item.valueLoc;
      // An item that names no option is the callout's time (acl.c), as are connect= and maxwait='s values.
      if (/^[0-9]/.test(o)) {
        if (valueLoc) calloutTime(cfg, valueLoc, o, 'the callout', true, out);
        continue;
      }
      const name = o.split('=')[0].trim();
      if (calloutOption(name)) {
        const timed = /^(connect|maxwait)$/i.test(name) ? o.slice(o.indexOf('=') + 1).trim() : '';
        if (timed && valueLoc) calloutTime(cfg, valueLoc, timed, `the callout's ${name.toLowerCase()}`, false, out);
        continue;
      }
      if (!valueLoc) return;
      const oat = locOfText(cfg, valueLoc, name);
      const guess = nearest(name, aclNameList('callout-option', opts.eximVersion));
      out.push(finding('exim/acl-syntax', oat.file, oat.range, `Unknown callout option "${name}"; the verification fails with an error.${didYouMean(guess)}`,
        runTime(guess ? replaceFix(oat, guess) : undefined)));
    }
  }
}

/**
 * A callout time as Exim reads it when the ACL runs: one it cannot read fails the ACL with an
 * error (451, "bad time value in ACL condition"), and a callout time of 0 makes no callout
 * (verify.c calls out only for a time above 0), so the address is only routed.
 */
function calloutTime(cfg: EximConfig, valueLoc: NonNullable<AclItem['valueLoc']>, t: string, what: string, main: boolean, out: Finding[]): void {
  const at = locOfText(cfg, valueLoc, t);
  if (!CALLOUT_TIME.test(t)) {
    const fix = /^[0-9]+$/.test(t) ? replaceFix(at, `${t}s`) : undefined;
    out.push(finding('exim/acl-syntax', at.file, at.range,
      `"${t}" is no time to Exim (${what}): every number needs its unit, as in 30s, 2m or 1m30s, so Exim fails the ACL with an error each time it gets here ("bad time value in ACL condition") and answers 451.`,
      runTime(fix)));
    return;
  }
  if (main && /^(?:0+[wdhms])+$/.test(t)) {
    out.push(finding('exim/invalid-value', at.file, at.range,
      `A callout time of ${t} makes no callout: Exim calls out only when the time is above 0, so this verify only routes the address, and an address the other server would refuse passes. Give the time the callout may take (30s, as Exim's default).`,
      RUN_TIME));
  }
}

/** Names whose written-out arguments acl-arguments judges. */
const ARGUMENTS = new Set(['ratelimit', 'delay', 'seen', 'queue', 'logwrite', 'add_header', 'udpsend', 'dnslists', 'malware', 'spam']);

function aclArguments(cfg: EximConfig, it: AclItem, memo: ArgumentMemo, out: Finding[]): void {
  const problem = memo.problem(it.name, it.value!);
  const at = problem ? it.valueLoc ?? it.nameLoc : undefined;
  if (!problem || !at) return;
  const then = problem.consequence === 'misread' ? ''
    : problem.consequence === 'lost' ? 'Exim logs "unknown log name" instead of the line.'
    : problem.consequence === 'renamed' ? 'put ":" after the header\'s name.'
    : 'Exim fails the ACL with an error there and answers 451 each time it gets here, even in a warn statement.';
  // The whole argument is replaced, and only where it stands as written (no macro, no continuation).
  const fixes = it.valueLoc && replaceWrittenFix(cfg, it.valueLoc, it.value!.trim(), problem.replacement);
  out.push(finding('exim/acl-syntax', at.file, at.range, `In "${it.name} = ${it.value!.trim()}", ${problem.message}${then ? `: ${then}` : '.'}`, runTime(fixes)));
}

/** A `condition =` that gives a word Exim reads as neither true nor false: the statement defers. */
function conditionValue(it: AclItem, out: Finding[]): void {
  // A macro's name left as it stands is undefined-macro's finding.
  if (isMacroName(it.value!)) return;
  const bad = badConditionValue(it.value!, () => it.expansion);
  const at = bad === undefined ? undefined : it.valueLoc ?? it.nameLoc;
  if (bad === undefined || !at) return;
  const how = it.value!.includes('$') ? `can give "${bad}"` : `is "${bad}"`;
  out.push(finding('exim/acl-syntax', at.file, at.range,
    `"condition =" ${how}, which Exim reads as neither true nor false (it takes yes, no, true, false or a number): the condition defers there ('invalid "condition" value'), so Exim answers 451, and a warn statement is skipped. Write yes and no (or true and false), or leave the value empty for false.`, RUN_TIME));
}

/** Conditions whose argument is a list Exim matches against: a quote becomes part of an item. */
const MATCHED = new Set(['authenticated', 'dnslists', 'domains', 'encrypted', 'hosts', 'local_parts', 'recipients', 'sender_domains', 'senders']);
/** Conditions and modifiers whose argument Exim reads as words or a value it must know: a quoted one is a stranger. */
const READ = new Set(['condition', 'control', 'delay', 'ratelimit', 'seen', 'verify']);

/**
 * An argument in double quotes: Exim does not unquote ACL arguments as it does option values,
 * so the quotes stay in it (seen with exim4 -bh: `domains = "a.example"` matches nothing,
 * `verify = "recipient"` and `condition = "yes"` fail the ACL with 451).
 */
function quotedArgument(it: AclItem, out: Finding[]): boolean {
  const v = it.value?.trim();
  const matched = MATCHED.has(it.name);
  if (!v || v.length < 2 || v[0] !== '"' || v[v.length - 1] !== '"' || (!matched && !READ.has(it.name))) return false;
  const at = it.valueLoc ?? it.nameLoc;
  const then = matched
    ? `they become part of the first and last items, so the list does not match what it names${it.negated ? ' (and, negated, the condition is true for everything)' : ''}`
    : `it reads ${v} with them and ${it.name === 'condition' ? 'cannot take that for true or false' : 'cannot read it'}, so it fails the ACL with an error there and answers 451 each time it gets here, even in a warn statement`;
  out.push(finding('exim/acl-syntax', at.file, at.range,
    `Exim keeps the double quotes around the argument of "${it.name}" (an ACL argument is not unquoted, as an option value is): ${then}. Remove the quotes.`,
    runTime(unquoteFix(it.valueLoc, it.value!))));
  return true;
}

export function checkAcls(cfg: EximConfig, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (!cfg.acls.length) return out;
  const wheres = aclWheres(cfg);
  let memo: ArgumentMemo | undefined;
  const verbs = aclNameList('verb', opts.eximVersion);
  const itemNames = () => namesOnce('acl condition or modifier', opts.eximVersion,
    () => [...aclNames('condition', opts.eximVersion), ...aclNames('modifier', opts.eximVersion)].map((v) => v.name));
  for (const acl of cfg.acls) {
    const uses = wheres.get(acl.name) ?? NO_USES;
    for (const st of acl.statements) {
      if (!verbs.includes(st.verb) && !aclNames('verb').some((v) => v.name === st.verb)) {
        const guess = nearest(st.verb, verbs);
        out.push(finding('exim/acl-syntax', st.verbLoc.file, st.verbLoc.range,
          `Unknown ACL verb "${st.verb}" in ACL "${acl.name}"; verbs are ${verbs.join(', ')}.${didYouMean(guess)}`,
          guess ? { fixes: replaceFix(st.verbLoc, guess) } : {}));
        continue;
      }
      for (const it of st.items) {
        const info = aclCondition(it.name);
        if (!info) {
          const guess = nearest(it.name, itemNames());
          out.push(finding('exim/acl-syntax', it.nameLoc.file, it.nameLoc.range,
            `Unknown ACL condition or modifier "${it.name}" in ACL "${acl.name}".${didYouMean(guess)}`,
            guess ? { fixes: replaceFix(it.nameLoc, guess, it.name.length) } : {}));
          continue;
        }
        const vp = availableIn(info, opts.eximVersion) ? undefined : versionProblem(info, `The ACL ${info.kind} "${it.name}"`, opts);
        if (vp) {
          out.push(finding('exim/acl-syntax', it.nameLoc.file, it.nameLoc.range, vp.message, vp.severity ? { severity: vp.severity } : {}));
          continue;
        }
        if (it.negated && info.kind === 'modifier') {
          out.push(finding('exim/acl-syntax', it.nameLoc.file, it.nameLoc.range,
            `"${it.name}" is a modifier and cannot be negated with "!"; Exim rejects the ACL. Remove the "!".`));
        }
        if (it.name === 'endpass' && st.verb !== 'accept' && st.verb !== 'discard') {
          out.push(finding('exim/acl-syntax', it.nameLoc.file, it.nameLoc.range,
            `"endpass" is only allowed with "accept" or "discard", not with "${st.verb}".`));
        }
        if (it.name === 'set' && it.varName !== undefined) {
          const varName = it.varName;
          const at = it.varNameLoc ?? it.nameLoc;
          // acl.c also lets the DKIM ACL override the verification's result.
          if (varName === 'dkim_verify_status' || varName === 'dkim_verify_reason') {
            // fine
          } else if (!/^acl_[cm](\d|_)/.test(varName)) {
            out.push(finding('exim/acl-syntax', at.file, at.range,
              `"set" needs an ACL variable name such as acl_m_name or acl_c_name (or dkim_verify_status or dkim_verify_reason) before "=", not "${varName}".`));
          } else if (/[^A-Za-z0-9_]/.test(varName)) {
            // acl.c: letters, digits and "_" only, up to the "=" or a space.
            const c = /[^A-Za-z0-9_]/.exec(varName)![0];
            out.push(finding('exim/acl-syntax', at.file, at.range,
              `The variable name "${varName}" has a "${c}", and Exim refuses the ACL ("invalid character in variable name"): an ACL variable's name is letters, digits and "_" only.`));
          }
        }
        const bad = forbiddenAt(info, uses, opts.eximVersion);
        if (bad.length) {
          out.push(finding('exim/acl-syntax', it.nameLoc.file, it.nameLoc.range,
            `The ${info.kind} "${it.name}" cannot be used in ACL "${acl.name}", which runs for ${describeUses(bad)}; Exim fails the ACL with an error there. Allowed at: ${aclAllowedIn(info, opts.eximVersion)!.join(', ')}.`, RUN_TIME));
        }
        if (quotedArgument(it, out)) continue;
        if (it.name === 'control' || it.name === 'verify') checkSubValue(cfg, it, uses, acl.name, opts, out);
        else if (ARGUMENTS.has(it.name) && it.value !== undefined) aclArguments(cfg, it, memo ??= new ArgumentMemo(), out);
        else if (it.name === 'condition' && it.value !== undefined) conditionValue(it, out);
      }
    }
  }
  return out;
}
