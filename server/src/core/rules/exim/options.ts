// Option names and values: unknown options (with did-you-mean), options the target Exim
// version lacks, values Exim would refuse when it reads the config, and options set twice.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig, OptionSetting } from '../../exim/model';
import { kindOf } from './instance-options';
import { FirstByName } from './first-by-name';
import type { CheckOptions } from '../../options';
import { availableIn, eximDriver, lookupOption, optionsFor, optionsOfScope, versionNote, type OptionScope } from '../../catalog/exim';
import { checkValue, effectiveType, isExpanded } from './values';
import { didYouMean, namesOnce, nearest, replaceFix } from './suggest';

const SCOPE_WORD: Record<string, string> = { main: 'main', routers: 'router', transports: 'transport', authenticators: 'authenticator' };

function describeScope(scope: OptionScope): string {
  return SCOPE_WORD[scope] ? `${SCOPE_WORD[scope]} option` : `option of the ${scope} ${eximDriver(scope)?.kind ?? 'driver'}`;
}

/** Whose settings findings talk about, made only for a finding. */
function ownerText(inst: DriverInstance | undefined): string {
  return inst ? ` in ${kindOf(inst)} "${inst.name}"` : '';
}

/**
 * Checks `settings` as options of `scope`; of `inst` when they are an instance's, whose
 * `driver` line is skipped, as are the settings in `early` (reported already) and, when
 * only the generic options can be judged (`genericOnly`), the options `scope` lacks.
 */
function checkSettings(settings: readonly OptionSetting[], scope: OptionScope, opts: CheckOptions, out: Finding[],
  seen: FirstByName<OptionSetting>, inst?: DriverInstance, genericOnly = false, early?: ReadonlySet<OptionSetting>): void {
  seen.reset();
  const version = opts.eximVersion;
  const options = optionsOfScope(scope);
  for (const s of settings) {
    if ((inst && s.name === 'driver') || early?.has(s)) continue;
    const info = options?.get(s.name);
    if (!info) {
      if (genericOnly) continue;
      const guess = nearest(s.name, namesOnce(`option ${scope}`, version, () => optionsFor(scope, version).map((o) => o.name)));
      out.push(finding('exim/unknown-option', s.nameLoc.file, s.nameLoc.range,
        `Unknown ${describeScope(scope)} "${s.name}"${ownerText(inst)}.${didYouMean(guess)}`,
        guess ? { fixes: replaceFix(s.nameLoc, guess, s.name.length) } : {}));
      continue;
    }
    if (!availableIn(info, version)) {
      if (version === '4.96') {
        out.push(finding('exim/unknown-option', s.nameLoc.file, s.nameLoc.range,
          `"${s.name}" is not an option in Exim 4.96 (${versionNote(info) || 'not in this version'}); Exim 4.96 rejects the config. Remove it or target a newer Exim.`));
      } else {
        out.push(finding('exim/unknown-option', s.nameLoc.file, s.nameLoc.range,
          `"${s.name}" was ${versionNote(info) || 'removed'}: current Exim rejects it. Remove it when upgrading.`, { severity: 'warning' }));
      }
      continue;
    }
    const prev = seen.get(s.name);
    if (prev && !info.repeatable) {
      out.push(finding('exim/duplicate-name', s.nameLoc.file, s.nameLoc.range,
        `"${s.name}" is set for the second time${ownerText(inst)}; Exim refuses this. Remove one of the settings.`,
        { related: [{ file: prev.nameLoc.file, range: prev.nameLoc.range, message: 'first set here' }] }));
    }
    if (!prev) seen.add(s);
    const type = effectiveType(info, version), expanded = isExpanded(info, version);
    const isBool = type === 'bool' || type === 'expand_bool';
    if (s.negated && !isBool) {
      out.push(finding('exim/invalid-value', s.nameLoc.file, s.nameLoc.range,
        `"no_"/"not_" can only be put before a boolean option, and "${s.name}" is not one. Write "${s.name} = ..." instead.`));
      continue;
    }
    if (s.value === undefined) {
      if (!isBool) {
        out.push(finding('exim/invalid-value', s.loc.file, s.nameLoc.range,
          `"${s.name}" needs a value: write "${s.name} = ...".`));
      }
      continue;
    }
    if (s.negated) {
      out.push(finding('exim/invalid-value', (s.valueLoc ?? s.loc).file, (s.valueLoc ?? s.nameLoc).range,
        `A negated boolean option takes no value: write "no_${s.name}" alone, or "${s.name} = false".`));
      continue;
    }
    // Expanded values are only known at run time; string options take anything.
    if (expanded && s.value.includes('$')) continue;
    const problem = checkValue(info, s.value, version);
    if (problem) {
      const where = s.valueLoc ?? s.loc;
      out.push(finding('exim/invalid-value', where.file, where.range, problem));
    }
  }
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
      let early: Set<OptionSetting> | undefined;
      if (drv) {
        // Exim reads the driver's own options only once it knows the driver: one of them
        // before "driver =" is an unknown option to it (readconf_driver_init).
        const options = inst.options;
        let driverAt = 0;
        while (driverAt < options.length && options[driverAt].name !== 'driver') driverAt++;
        if (driverAt === options.length) driverAt = 0;
        for (let i = 0; i < driverAt; i++) {
          const o = options[i];
          if (!lookupOption(inst.section, o.name) && lookupOption(drv.name, o.name)) (early ??= new Set()).add(o);
        }
        for (const o of early ?? []) {
          out.push(finding('exim/unknown-option', o.nameLoc.file, o.nameLoc.range,
            `"${o.name}" is an option of the ${drv.name} ${kind}, but it comes before "driver = ${drv.name}" in ${kind} "${inst.name}"; Exim knows a driver's own options only after the driver line, so it refuses the config. Put "driver =" first.`));
        }
      }
      checkSettings(inst.options, scope, opts, out, seen, inst, !drv, early);
    }
  }
  return out;
}
