/** Thrown for a usage mistake: the CLI prints the message and exits with status 2. */
/**
 * A mistake in the command line. The subcommands may be bundles of their own (scripts/build.mjs),
 * each with its own copy of this class: the shell tells one by isUsageError, not instanceof.
 */
export class UsageError extends Error {
  readonly usageError = true;
}

export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && (e as Partial<UsageError>).usageError === true;
}

export interface FlagSpec {
  /** Flags that take a value (`--format json` or `--format=json`); may repeat. */
  values: string[];
  /** Flags without a value. */
  switches: string[];
  /** Short aliases, e.g. { D: 'define' } lets `-D X=1` and `-DX=1` mean `--define X=1`. */
  short?: Record<string, string>;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  switches: Set<string>;
  positional: string[];
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const flags = new Map<string, string[]>();
  const switches = new Set<string>();
  const positional: string[] = [];
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    let name: string | undefined, inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
    } else if (a.length > 1 && a.startsWith('-') && spec.short?.[a[1]]) {
      name = spec.short[a[1]];
      inline = a.length > 2 ? a.slice(2) : undefined;
    } else if (a.startsWith('-') && a.length > 1) {
      throw new UsageError(`unknown option ${a}`);
    }
    if (name === undefined) { positional.push(a); continue; }
    if (spec.switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
    } else if (spec.values.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      add(name, v);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { flags, switches, positional };
}

/** The last value of a flag, checked against the allowed values when given. */
export function one(args: ParsedArgs, name: string, allowed?: readonly string[]): string | undefined {
  const v = args.flags.get(name)?.at(-1);
  if (v !== undefined && allowed && !allowed.includes(v)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  }
  return v;
}
