// The few expansions whose result this machine decides, as Debian's conf.d writes them:
// `${if exists{FILE}{A}{B}}` (its optional lists and hubbed_hosts) and the aliases router's
// `${lookup{$local_part}lsearch{FILE}}`. Only with a host that can look at this machine.
import type { LinkContext } from './context';

/** A value with its backslash-newline continuations joined, as these patterns read it. */
export const unwrap = (v: string) => v.replace(/\\\n/g, ' ').trim();

/**
 * `${if exists{FILE}{A}{B}}` as Exim expands it here, A and B being plain text and B
 * possibly `fail`: the branch taken, null for a forced failure, undefined when it cannot be told.
 */
export function existsBranch(ctx: LinkContext, value: string): string | null | undefined {
  const m = /^\$\{if\s*exists\s*\{([^{}$]+)\}\s*\{([^{}$]*)\}\s*(?:\{([^{}$]*)\}|(fail))\s*\}$/.exec(unwrap(value));
  const file = m?.[1].trim();
  if (!m || !file?.startsWith('/') || !ctx.host?.stat) return undefined;
  if (ctx.host.stat(file)) return m[2].trim();
  return m[4] ? null : (m[3] ?? '').trim();
}

/**
 * For `data = ${lookup{$local_part}lsearch{FILE}}` (Debian's system_aliases): whether FILE,
 * read here, has a line for `localPart`; undefined for any other data or an unreadable file.
 */
export function aliasedHere(ctx: LinkContext, data: string, localPart: string): boolean | undefined {
  const m = /^\$\{lookup\s*\{\s*\$\{?local_part\}?\s*\}\s*lsearch\s*\{([^{}$]+)\}\s*\}$/.exec(unwrap(data));
  const file = m?.[1].trim();
  if (!file?.startsWith('/') || !ctx.host?.stat) return undefined;
  const text = ctx.host.readFile(file);
  if (text === undefined) return undefined;
  const lp = localPart.toLowerCase();
  // lsearch keys end at a colon or white space, and compare without case.
  return text.split('\n').some((l) => {
    const key = /^("?)([^\s:"]+)\1\s*(?::|\s|$)/.exec(l)?.[2];
    return key !== undefined && !l.startsWith('#') && key.toLowerCase() === lp;
  });
}
