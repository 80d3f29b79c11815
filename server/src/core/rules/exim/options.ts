// Option names and values: unknown options (with did-you-mean), options the target Exim
// version lacks, values Exim would refuse when it reads the config, and options set twice.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig, OptionSetting } from '../../exim/model';
import { kindOf } from './instance-options';
import { FirstByName } from './first-by-name';
import type { CheckOptions, EximVersion } from '../../options';
import { availableIn, driversOf, effectiveType, eximDriver, isExpanded, lookupOption, readsQuotes, optionsFor, optionsOfScope, versionNote, type DriverKind, type EximOptionInfo, type OptionScope } from '../../catalog/exim';
import { checkValue } from './values';
import { didYouMean, namesOnce, nearest, replaceFix, RUN_TIME, unquoteFix } from './suggest';
import { ownEntry } from '../../own';

const SCOPE_WORD: Record<string, string> = { main: 'main', routers: 'router', transports: 'transport', authenticators: 'authenticator' };

function describeScope(scope: OptionScope): string {
  const word = ownEntry(SCOPE_WORD, scope);
  return word ? `${word} option` : `option of the ${scope} ${eximDriver(scope)?.kind ?? 'driver'}`;
}

/** Whose settings findings talk about, made only for a finding. */
function ownerText(inst: DriverInstance | undefined): string {
  return inst ? ` in ${kindOf(inst)} "${inst.name}"` : '';
}

/** No setting reported before the driver line (always asked: a call that is always made stays optimised). */
const NONE_EARLY: ReadonlySet<OptionSetting> = new Set();

/**
 * Checks `settings` as options of `scope`; of `inst` when they are an instance's, whose
 * `driver` line is skipped, as are the settings in `early` (reported already) and, when
 * only the generic options can be judged (`genericOnly`), the options `scope` lacks.
 * Each finding is made in a function of its own, so this loop stays small to optimise.
 */
function checkSettings(settings: readonly OptionSetting[], scope: OptionScope, opts: CheckOptions, out: Finding[],
  seen: FirstByName<OptionSetting>, inst?: DriverInstance, genericOnly = false, early: ReadonlySet<OptionSetting> = NONE_EARLY): void {
  seen.reset();
  const version = opts.eximVersion;
  const options = optionsOfScope(scope);
  for (const s of settings) {
    if ((inst && s.name === 'driver') || early.has(s)) continue;
    const info = options?.get(s.name);
    if (info && availableIn(info, version)) {
      if (!seen.get(s.name)) {
        seen.add(s);
        checkSetting(s, info, version, out);
        continue;
      }
    } else if (genericOnly && !info) continue;
    // One call site for every rare case: its first use deoptimises this loop once, not once per case.
    rareSetting(s, info, scope, version, inst, seen, out, settings);
  }
}

/** An unknown option, one the target version lacks, or one set before (whose value is then checked). */
function rareSetting(s: OptionSetting, info: EximOptionInfo | undefined, scope: OptionScope, version: EximVersion,
  inst: DriverInstance | undefined, seen: FirstByName<OptionSetting>, out: Finding[], settings: readonly OptionSetting[]): void {
  if (!info) unknownOption(s, scope, version, inst, out, settings);
  else if (!availableIn(info, version)) unavailableOption(s, info, version, out);
  else {
    if (!info.repeatable) setTwice(s, seen.get(s.name)!, inst, out);
    checkSetting(s, info, version, out);
  }
}

/** The form of a known setting (negation, value present) and its value. */
function checkSetting(s: OptionSetting, info: EximOptionInfo, version: EximVersion, out: Finding[]): void {
  const value = s.value;
  // null: the form is wrong.
  let problem: string | null | undefined;
  if (s.negated || value === undefined) problem = null;
  else if (!value.trim() && ['bool', 'expand_bool'].includes(effectiveType(info, version))) return emptyBoolean(s, out);
  // Expanded values are only known at run time; string options take anything. An option
  // read by a function is expanded only when it starts with "$".
  else if (isExpanded(info, version) && (info.cType === 'func' ? value.trimStart().startsWith('$') : value.includes('$'))) return;
  else problem = checkValue(info, value, version);
  if (problem !== undefined) settingProblem(s, info, version, problem, out);
}

/**
 * `name =` with nothing after it: Exim turns a boolean on then (exim4 -bP, 4.96), where the
 * writer may have meant to turn it off. Anything after the "=" that is no word, a quoted ""
 * included, Exim refuses; that is checkValue's.
 */
function emptyBoolean(s: OptionSetting, out: Finding[]): void {
  const at = s.nameLoc;
  const whole = { start: at.range.start, end: s.loc.range.end };
  const fixable = !s.hidden && !s.rawValue?.trim() && whole.start.line === whole.end.line;
  const fix = (text: string, title: string): Fix => ({ title, edits: [{ file: at.file, range: whole, newText: text }] });
  out.push(finding('exim/invalid-value', at.file, at.range,
    `"${s.name} =" with nothing after it turns ${s.name} on: Exim reads an empty boolean value as true. Write "${s.name}" to turn it on, or "no_${s.name}" to turn it off.`,
    { severity: 'warning', ...fixable ? { fixes: [fix(s.name, `Write "${s.name}" (on, as now)`), fix(`no_${s.name}`, `Write "no_${s.name}" (off)`)] } : {} }));
}

function settingProblem(s: OptionSetting, info: EximOptionInfo, version: EximVersion, problem: string | null, out: Finding[]): void {
  if (problem === null) {
    const type = effectiveType(info, version);
    formProblem(s, type === 'bool' || type === 'expand_bool', out);
    return;
  }
  // An empty value has no width to underline: the option's name stands for it.
  const v = s.valueLoc;
  const where = v && (v.range.start.line !== v.range.end.line || v.range.start.character !== v.range.end.character) ? v : s.nameLoc ?? s.loc;
  // smtp's protocol is the one word Exim does not refuse: anything but lmtp or smtps loads
  // and means smtp (a different protocol at delivery), so it is a warning, not an error.
  out.push(finding('exim/invalid-value', where.file, where.range, problem, info.use === 'smtp' && info.name === 'protocol' ? RUN_TIME : withFixes(quotedValueFix(s, info, version))));
}

const withFixes = (fixes: Fix[] | undefined) => fixes ? { fixes } : {};

/** `"5"` for a number, time or boolean, where Exim keeps the quotes: the value without them, when that one is right. */
function quotedValueFix(s: OptionSetting, info: EximOptionInfo, version: EximVersion): Fix[] | undefined {
  if (s.value === undefined || s.rawValue !== s.value || readsQuotes(info, version)) return undefined;
  const fixes = unquoteFix(s.valueLoc, s.value);
  return fixes && checkValue(info, fixes[0].edits[0].newText, version) === undefined ? fixes : undefined;
}

/** A negated setting, or one without a value: right only for a boolean negated without a value. */
function formProblem(s: OptionSetting, isBool: boolean, out: Finding[]): void {
  if (s.negated && !isBool) {
    out.push(finding('exim/invalid-value', s.nameLoc.file, s.nameLoc.range,
      `"no_"/"not_" can only be put before a boolean option, and "${s.name}" is not one. Write "${s.name} = ..." instead.`));
  } else if (s.value === undefined) {
    if (!isBool) {
      out.push(finding('exim/invalid-value', s.loc.file, s.nameLoc.range,
        `"${s.name}" needs a value: write "${s.name} = ...".`));
    }
  } else {
    out.push(finding('exim/invalid-value', (s.valueLoc ?? s.loc).file, (s.valueLoc ?? s.nameLoc).range,
      `A negated boolean option takes no value: write "no_${s.name}" alone, or "${s.name} = false".`));
  }
}

/**
 * `settings` are the others of its scope (the main section, or the instance): renamed onto a
 * name set there already, the line would set that option twice, which Exim refuses ("option
 * set for the second time", exim4 -bV), unless the option may be repeated.
 */
function unknownOption(s: OptionSetting, scope: OptionScope, version: EximVersion, inst: DriverInstance | undefined, out: Finding[], settings: readonly OptionSetting[]): void {
  const guess = nearest(s.name, namesOnce(`option ${scope}`, version, () => optionsFor(scope, version).map((o) => o.name)));
  const taken = guess && !optionsOfScope(scope)?.get(guess)?.repeatable ? settings.find((o) => o !== s && o.name === guess) : undefined;
  const also = taken ? ` "${guess}" is set already (line ${taken.nameLoc.range.start.line + 1}${taken.nameLoc.file === s.nameLoc.file ? '' : ` of ${taken.nameLoc.file}`}), and Exim refuses an option set twice: keep one of the two.` : '';
  out.push(finding('exim/unknown-option', s.nameLoc.file, s.nameLoc.range,
    `Unknown ${describeScope(scope)} "${s.name}"${ownerText(inst)}.${didYouMean(guess)}${also}`,
    guess && !taken ? { fixes: replaceFix(s.nameLoc, guess, s.name.length) } : {}));
}

/** An option the target version lacks: added later, or removed. */
function unavailableOption(s: OptionSetting, info: EximOptionInfo, version: EximVersion, out: Finding[]): void {
  if (version === '4.96' && info.unbuilt496) {
    out.push(finding('exim/unknown-option', s.nameLoc.file, s.nameLoc.range,
      `"${s.name}" is not an option of Debian 12's Exim 4.96 (${versionNote(info)}): it rejects the config ("option unknown"). Remove it, or target latest if your Exim is built with it.`));
  } else if (version === '4.96') {
    out.push(finding('exim/unknown-option', s.nameLoc.file, s.nameLoc.range,
      `"${s.name}" is not an option in Exim 4.96 (${versionNote(info) || 'not in this version'}); Exim 4.96 rejects the config. Remove it or target a newer Exim.`));
  } else {
    out.push(finding('exim/unknown-option', s.nameLoc.file, s.nameLoc.range,
      `"${s.name}" was ${versionNote(info, 'latest') || 'removed'}: current Exim rejects it. Remove it when upgrading.`, { severity: 'warning' }));
  }
}

function setTwice(s: OptionSetting, prev: OptionSetting, inst: DriverInstance | undefined, out: Finding[]): void {
  out.push(finding('exim/duplicate-name', s.nameLoc.file, s.nameLoc.range,
    `"${s.name}" is set for the second time${ownerText(inst)}; Exim refuses this. Remove one of the settings.`,
    { related: [{ file: prev.nameLoc.file, range: prev.nameLoc.range, message: 'first set here' }] }));
}

export function checkOptions(cfg: EximConfig, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const seen = new FirstByName<OptionSetting>();
  checkSettings(cfg.main, 'main', opts, out, seen);
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) {
    for (const inst of list) {
      const kind = inst.section === 'routers' ? 'router' : inst.section === 'transports' ? 'transport' : 'authenticator';
      const drv = inst.driver !== undefined ? eximDriver(inst.driver, kind) : undefined;
      // With an unknown or missing driver only the generic options can be judged; the
      // driver rule reports the driver itself.
      const scope = drv ? drv.name : inst.section;
      const early = beforeDriverLine(inst, drv?.name, kind, opts.eximVersion, out) || NONE_EARLY;
      checkSettings(inst.options, scope, opts, out, seen, inst, !drv, early);
      driverTwice(inst, out);
    }
  }
  return out;
}

/** Exim takes the first "driver =" and refuses another, as any option set twice. */
function driverTwice(inst: DriverInstance, out: Finding[]): void {
  let first: OptionSetting | undefined;
  for (const o of inst.options) {
    if (o.name !== 'driver') continue;
    if (first) setTwice(o, first, inst, out);
    else first = o;
  }
}

/**
 * Exim knows a driver's own options only once it has read a "driver =" line naming a driver
 * it has: before that line (or with no such line) any option but the generic ones is unknown
 * to it, and it stops at the first (readconf_driver_init), before it would say the driver is
 * missing or unknown. Reports those options and returns them; an option no driver has is left
 * to the option rule's own "unknown option".
 */
function beforeDriverLine(inst: DriverInstance, driver: string | undefined, kind: DriverKind, version: EximVersion, out: Finding[]): Set<OptionSetting> | undefined {
  let early: Set<OptionSetting> | undefined;
  for (const o of inst.options) {
    if (o.name === 'driver') break;
    if (lookupOption(inst.section, o.name)) continue;
    if (driver !== undefined) {
      if (!lookupOption(driver, o.name)) continue;
      (early ??= new Set()).add(o);
      out.push(finding('exim/unknown-option', o.nameLoc.file, o.nameLoc.range,
        `"${o.name}" is an option of the ${driver} ${kind}, but it comes before "driver = ${driver}" in ${kind} "${inst.name}"; Exim knows a driver's own options only after the driver line, so it refuses the config. Put "driver =" first.`));
      continue;
    }
    (early ??= new Set()).add(o);
    const owners = driversOf(kind, version).filter((d) => lookupOption(d.name, o.name));
    if (!owners.length) unknownOption(o, inst.section, version, inst, out, inst.options);
    else {
      out.push(finding('exim/unknown-option', o.nameLoc.file, o.nameLoc.range,
        `"${o.name}" is an option of the ${owners.map((d) => d.name).join('/')} ${kind}, but ${kind} "${inst.name}" has no "driver =" line before it; Exim knows only the generic options until then, so it refuses the config. Put "driver =" first.`));
    }
  }
  return early;
}
