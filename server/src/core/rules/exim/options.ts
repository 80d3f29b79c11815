// Option names and values: unknown options (with did-you-mean), options the target Exim
// version lacks, values Exim would refuse when it reads the config, and options set twice.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { availableIn, eximDriver, lookupOption, optionsFor, versionNote, type OptionScope } from '../../catalog/exim';
import { checkValue, effectiveType } from './values';
import { didYouMean, namesOnce, nearest, replaceFix } from './suggest';

const SCOPE_WORD: Record<string, string> = { main: 'main', routers: 'router', transports: 'transport', authenticators: 'authenticator' };

function describeScope(scope: OptionScope): string {
  return SCOPE_WORD[scope] ? `${SCOPE_WORD[scope]} option` : `option of the ${scope} ${eximDriver(scope)?.kind ?? 'driver'}`;
}

function checkSettings(settings: OptionSetting[], scope: OptionScope, opts: CheckOptions, out: Finding[], owner: string): void {
  const seen = new Map<string, OptionSetting>();
  const version = opts.eximVersion;
  for (const s of settings) {
    const info = lookupOption(scope, s.name);
    if (!info) {
      const guess = nearest(s.name, namesOnce(`option ${scope}`, version, () => optionsFor(scope, version).map((o) => o.name)));
      out.push(finding('exim/unknown-option', s.nameLoc.file, s.nameLoc.range,
        `Unknown ${describeScope(scope)} "${s.name}"${owner}.${didYouMean(guess)}`,
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
        `"${s.name}" is set for the second time${owner}; Exim refuses this. Remove one of the settings.`,
        { related: [{ file: prev.nameLoc.file, range: prev.nameLoc.range, message: 'first set here' }] }));
    }
    if (!prev) seen.set(s.name, s);
    const { type, expanded } = effectiveType(info, version);
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
  checkSettings(cfg.main, 'main', opts, out, '');
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) {
    for (const inst of list) {
      const kind = inst.section === 'routers' ? 'router' : inst.section === 'transports' ? 'transport' : 'authenticator';
      const drv = inst.driver !== undefined ? eximDriver(inst.driver, kind) : undefined;
      // With an unknown or missing driver only the generic options can be judged; the
      // driver rule reports the driver itself.
      const scope = drv ? drv.name : inst.section;
      let settings = drv ? inst.options : inst.options.filter((o) => lookupOption(inst.section, o.name));
      if (drv) {
        // Exim reads the driver's own options only once it knows the driver: one of them
        // before "driver =" is an unknown option to it (readconf_driver_init).
        const early = new Set(inst.options.slice(0, Math.max(0, inst.options.findIndex((o) => o.name === 'driver')))
          .filter((o) => !lookupOption(inst.section, o.name) && lookupOption(drv.name, o.name)));
        for (const o of early) {
          out.push(finding('exim/unknown-option', o.nameLoc.file, o.nameLoc.range,
            `"${o.name}" is an option of the ${drv.name} ${kind}, but it comes before "driver = ${drv.name}" in ${kind} "${inst.name}"; Exim knows a driver's own options only after the driver line, so it refuses the config. Put "driver =" first.`));
        }
        if (early.size) settings = settings.filter((o) => !early.has(o));
      }
      checkSettings(settings.filter((o) => o.name !== 'driver'), scope, opts, out, ` in ${kind} "${inst.name}"`);
    }
  }
  return out;
}
