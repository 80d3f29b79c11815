// One address-rewriting rule, `pattern replacement [flags]`, as readconf.c's
// readconf_one_rewrite reads it: from a "begin rewrite" line, or from an item of a
// transport's headers_rewrite list.
import { dequote } from './strings';

export const REWRITE_FLAGS = new Set('qwhsftcbrEFTQRS'.split(''));
/** Flags that rewrite the envelope or the SMTP command: not for headers_rewrite. */
const NOT_AT_TRANSPORT = new Set('EFTS'.split(''));

/** Whether a rule may carry the S flag: only a regular expression pattern may. */
export function isRegexPattern(key: string): boolean {
  return key.startsWith('^') || key.startsWith('\\N^');
}

/** What Exim says is wrong with the rule, or undefined when it accepts it. */
export function rewriteRuleProblem(rule: string, atTransport: boolean): string | undefined {
  let i = 0;
  while (i < rule.length && /\s/.test(rule[i])) i++;
  const key = dequote(rule, i);
  i = key.end;
  while (i < rule.length && /\s/.test(rule[i])) i++;
  if (i >= rule.length) return `the rule "${rule.trim()}" has no replacement: write "pattern replacement [flags]"`;
  const repl = dequote(rule, i);
  for (const c of rule.slice(repl.end)) {
    if (c === ' ' || c === '\t') continue;
    if (!REWRITE_FLAGS.has(c)) return `unknown rewrite flag "${c}" in "${rule.trim()}" (flags are E F T Q R S b c f h q r s t w); if the replacement contains spaces, put it in quotes`;
    if (c === 'S' && !isRegexPattern(key.value)) return `the rule "${rule.trim()}" has the S flag, which needs a regular expression pattern (starting with ^)`;
    if (atTransport && NOT_AT_TRANSPORT.has(c)) return `the flag "${c}" in "${rule.trim()}" rewrites the envelope or SMTP commands, which a transport cannot do: headers_rewrite only rewrites headers`;
  }
  return undefined;
}
