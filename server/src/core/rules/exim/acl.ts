// ACL statements: verbs, conditions and modifiers Exim knows, used where Exim allows them
// (a condition forbidden at the SMTP stage its ACL runs at fails every time it is reached).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig } from '../../exim/model';
import type { CheckOptions, EximVersion } from '../../options';
import {
  aclCondition, aclNames, availableIn, calloutOption, verifyType, versionNote, type AclNameInfo, type AclNameKind,
} from '../../catalog/exim';
import { didYouMean, namesOnce, nearest, replaceFix, runTime, RUN_TIME } from './suggest';
import { aclWheres, type AclUse } from './acl-where';
import { locOfText } from './lists';

/** The names of one kind of ACL word for the version, made once. */
function aclNameList(kind: AclNameKind, version: EximVersion): readonly string[] {
  return namesOnce(kind, version, () => aclNames(kind, version).map((x) => x.name));
}

function versionProblem(info: AclNameInfo, what: string, opts: CheckOptions): { message: string; severity?: 'warning' } | undefined {
  if (availableIn(info, opts.eximVersion)) return undefined;
  if (opts.eximVersion === '4.96') return { message: `${what} is not in Exim 4.96 (${versionNote(info)}); Exim 4.96 rejects it.` };
  return { message: `${what} was ${versionNote(info)}; current Exim rejects it.`, severity: 'warning' };
}

function forbiddenAt(info: AclNameInfo, uses: AclUse[]): AclUse[] {
  if (!info.allowedIn) return [];
  return uses.filter((u) => !info.allowedIn!.includes(u.where));
}

function describeUses(uses: AclUse[]): string {
  return uses.map((u) => u.option).join(', ');
}

const CALLOUT_TIME = /^[0-9]+[wdhms]?$/;

/**
 * What each control that checks its options accepts after its name (acl.c, the
 * ACLC_CONTROL cases); the others take any text after "/" or "_" and ignore what they do
 * not know.
 */
const CONTROL_SUFFIXES: Record<string, string> = {
  freeze: 'only "/no_tell"',
  submission: '"/sender_retain", "/domain=..." and "/name=..."',
  dscp: '"/" and a DSCP value',
};
const CONTROL_ACCEPTS: Record<string, RegExp> = {
  freeze: /^(\/no_tell)?$/,
  submission: /^(\/sender_retain|\/domain=[^/]*)*(\/name=.*)?$/,
  dscp: /^\/./,
};

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

/** `verify = type/opt/opt`, `control = name/opt`: checks the first word and callout options. */
function checkSubValue(cfg: EximConfig, item: AclItem, uses: AclUse[], acl: string, opts: CheckOptions, out: Finding[]): void {
  const v = item.value?.trim();
  if (!v || v.includes('$') || !item.valueLoc) return;
  const [head, ...rest] = v.split('/');
  const kind = item.name === 'control' ? 'control' : 'verify';
  const control = kind === 'control' ? decodeControl(v) : undefined;
  const word = control?.info.name ?? head.trim();
  const info = control ? control.info : kind === 'control' ? undefined : verifyType(word);
  // Placing the word costs a search in the file text: only for a finding.
  const place = () => locOfText(cfg, item.valueLoc!, word);
  if (control?.leftover) {
    const at = locOfText(cfg, item.valueLoc, v);
    out.push(finding('exim/acl-syntax', at.file, at.range,
      `"control = ${v}": Exim knows the control "${word}" but not "${control.leftover}" after it (it takes ${CONTROL_SUFFIXES[word]}); the ACL fails with an error when it gets here.`, RUN_TIME));
    return;
  }
  if (!info) {
    const at = place();
    const guess = nearest(word, aclNameList(item.name === 'control' ? 'control' : 'verify-type', opts.eximVersion));
    out.push(finding('exim/acl-syntax', at.file, at.range, `Unknown ${kind} "${word}" in ACL "${acl}"; the ACL fails with an error when it gets here.${didYouMean(guess)}`,
      runTime(guess ? replaceFix(at, guess) : undefined)));
    return;
  }
  const vp = versionProblem(info, `"${kind} = ${word}"`, opts);
  if (vp) { const at = place(); out.push(finding('exim/acl-syntax', at.file, at.range, vp.message, RUN_TIME)); return; }
  const bad = forbiddenAt(info, uses);
  if (bad.length) {
    const at = place();
    out.push(finding('exim/acl-syntax', at.file, at.range,
      `"${kind} = ${word}" cannot be used in ACL "${acl}", which runs for ${describeUses(bad)}; Exim fails the ACL with an error there. Allowed at: ${info.allowedIn!.join(', ')}.`, RUN_TIME));
  }
  if (kind !== 'verify') return;
  for (const part of rest) {
    const m = /^\s*callout\s*=\s*(.*)$/.exec(part);
    if (!m) continue;
    for (const raw of m[1].split(',')) {
      const o = raw.trim();
      if (!o || CALLOUT_TIME.test(o)) continue;
      const name = o.split('=')[0].trim();
      if (calloutOption(name)) continue;
      const oat = locOfText(cfg, item.valueLoc, name);
      const guess = nearest(name, aclNameList('callout-option', opts.eximVersion));
      out.push(finding('exim/acl-syntax', oat.file, oat.range, `Unknown callout option "${name}"; the verification fails with an error.${didYouMean(guess)}`,
        runTime(guess ? replaceFix(oat, guess) : undefined)));
    }
  }
}

export function checkAcls(cfg: EximConfig, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (!cfg.acls.length) return out;
  const wheres = aclWheres(cfg);
  const verbs = aclNameList('verb', opts.eximVersion);
  const itemNames = () => namesOnce('acl condition or modifier', opts.eximVersion,
    () => [...aclNames('condition', opts.eximVersion), ...aclNames('modifier', opts.eximVersion)].map((v) => v.name));
  for (const acl of cfg.acls) {
    const uses = wheres.get(acl.name) ?? [];
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
        const vp = versionProblem(info, `The ACL ${info.kind} "${it.name}"`, opts);
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
          if (!/^acl_[cm](\d|_)/.test(varName)) {
            const at = it.varNameLoc ?? it.nameLoc;
            out.push(finding('exim/acl-syntax', at.file, at.range,
              `"set" needs an ACL variable name such as acl_m_name or acl_c_name before "=", not "${varName}".`));
          }
        }
        const bad = forbiddenAt(info, uses);
        if (bad.length) {
          out.push(finding('exim/acl-syntax', it.nameLoc.file, it.nameLoc.range,
            `The ${info.kind} "${it.name}" cannot be used in ACL "${acl.name}", which runs for ${describeUses(bad)}; Exim fails the ACL with an error there. Allowed at: ${info.allowedIn!.join(', ')}.`, RUN_TIME));
        }
        if (it.name === 'control' || it.name === 'verify') checkSubValue(cfg, it, uses, acl.name, opts, out);
      }
    }
  }
  return out;
}
