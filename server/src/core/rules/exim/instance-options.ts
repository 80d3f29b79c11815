// How Exim sees an instance's options once it has read them: whether a string option was
// given, whether a boolean ended up true, and which of two settings came first. Shared by
// the rules that repeat the checks Exim's driver init functions make.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig, OptionSetting } from '../../exim/model';

// Plain loops: the rules ask for several options of every instance.
export function opt(inst: DriverInstance, name: string): OptionSetting | undefined {
  for (const o of inst.options) if (o.name === name) return o;
  return undefined;
}
export const isSet = (s: OptionSetting | undefined) => s !== undefined && (s.value === undefined ? !s.negated : s.value.trim() !== '');
/** A string option Exim counts as given: any `name = value`, an empty value too (it stores ""). */
export function given(inst: DriverInstance, name: string): OptionSetting | undefined {
  for (const o of inst.options) if (o.name === name && o.value !== undefined) return o;
  return undefined;
}
/** A boolean option that ends up true; undefined when its value is no boolean (the options rule reports that). */
export function on(s: OptionSetting | undefined): boolean | undefined {
  if (s === undefined || s.negated) return false;
  // `name =` with nothing after it is true to Exim, as `name` alone is.
  if (s.value === undefined || /^\s*(true|yes|)\s*$/i.test(s.value)) return true;
  return /^\s*(false|no)\s*$/i.test(s.value) ? false : undefined;
}
/** The boolean option `name` of `inst`, when it is set and true. */
export const onOpt = (inst: DriverInstance, name: string): OptionSetting | undefined => {
  const s = opt(inst, name);
  return on(s) === true ? s : undefined;
};

/**
 * A setting's value as written out, for checks that judge only what they can read: set, not
 * negated, placed in a file, and holding no expansion or escape.
 */
export function writtenValue(s: OptionSetting | undefined): string | undefined {
  return s && !s.negated && s.value !== undefined && s.valueLoc && !/[$\\]/.test(s.value) ? s.value : undefined;
}

/** The value of the last main setting of `name` that is not negated. */
export function mainValue(cfg: Partial<EximConfig>, name: string): string | undefined {
  let v: string | undefined;
  for (const s of cfg.main ?? []) if (s && s.name === name && !s.negated) v = s.value;
  return v;
}

/** The main setting Exim uses for an option (the last one), negated or not. */
export function mainSetting(cfg: Partial<EximConfig>, name: string): OptionSetting | undefined {
  let found: OptionSetting | undefined;
  for (const s of cfg.main ?? []) if (s && s.name === name) found = s;
  return found;
}

/** A main option's value when it is fixed: undefined when unset or empty, null when Exim expands it. */
export function fixedMainValue(cfg: Partial<EximConfig>, name: string): string | null | undefined {
  const v = mainValue(cfg, name)?.trim();
  if (!v) return undefined;
  return v.includes('$') ? null : v;
}

export function kindOf(inst: DriverInstance): 'router' | 'transport' | 'authenticator' {
  return inst.section === 'routers' ? 'router' : inst.section === 'transports' ? 'transport' : 'authenticator';
}
/** The routers that name each transport, by its name (a transport named by an expansion is left out). */
export function routersByTransport(routers: readonly DriverInstance[]): Map<string, DriverInstance[]> {
  const out = new Map<string, DriverInstance[]>();
  for (const r of routers) {
    const t = given(r, 'transport')?.value?.trim();
    if (!t || t.includes('$')) continue;
    const list = out.get(t);
    if (list) list.push(r);
    else out.set(t, [r]);
  }
  return out;
}
/** `the pipe transport "name"`, as findings name an instance. */
export const describe = (inst: DriverInstance) => `the ${inst.driver} ${kindOf(inst)} "${inst.name}"`;
export const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The two settings in the order they were written (options are kept in reading order). */
export function order(a: OptionSetting, b: OptionSetting): [OptionSetting, OptionSetting] {
  const ra = a.nameLoc.range.start, rb = b.nameLoc.range.start;
  return a.nameLoc.file === b.nameLoc.file && (ra.line > rb.line || (ra.line === rb.line && ra.character > rb.character)) ? [b, a] : [a, b];
}

/** Two options of which Exim allows at most one: an error on the later one, `why` saying what each means. */
export function bothSet(what: string, a: OptionSetting, b: OptionSetting, out: Finding[], why?: string): void {
  const [first, second] = order(a, b);
  out.push(finding('exim/invalid-value', second.nameLoc.file, second.nameLoc.range,
    `In ${what}, "${first.name}" and "${second.name}" are both set, but only one of them may be${why ? ` (${why})` : ''}; Exim refuses the config. Remove one.`,
    { related: [{ file: first.nameLoc.file, range: first.nameLoc.range, message: `"${first.name}" is set here` }] }));
}
