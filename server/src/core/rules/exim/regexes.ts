// Regular expressions in values, which PCRE2 compiles only when Exim uses them (most of them).
// - An item that starts with `^` in a domain, local part, address or host list, or a rewrite
//   rule's pattern: `exim -bV` takes a malformed one, and the process whose match reaches it
//   panics and dies ("regular expression error ... while compiling", Exim 4.96's -bt); a
//   rewrite rule never applies (-brw).
// - The items of the ACL conditions `regex` and `mime_regex` are all patterns; a malformed one
//   is logged and skipped (-bh with DATA).
// - Options whose value is a pattern: uucp_from_pattern is compiled when Exim loads the
//   config (-bV fails: an error); the others when Exim comes to use them.
// Run-time problems are warnings, as everywhere.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig, ListKind, OptionSetting } from '../../exim/model';
import { parseExpansion } from '../../exim/expansion-parser';
import { expansionForm } from '../../exim/parsed';
import { ExpandForm } from '../../exim/value-expansion';
import { literalPattern, patternProblem, regexProblem, WRITE_WITH_N } from '../../exim/pcre-syntax';
import { eximDriver, optionsOfScope } from '../../catalog/exim';
import type { CheckOptions } from '../../options';
import { ACL_LIST_KIND, KIND_WORD, locOfText, occurrencesOf, splitList } from './lists';
import { RUN_TIME } from './suggest';

const NOWHERE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const nowhere = () => NOWHERE;

/** Options whose value is one pattern, not expanded; by scope. */
const PATTERN_OPTIONS: Record<string, readonly string[]> = {
  main: ['dns_check_names_pattern', 'gecos_pattern', 'uucp_from_pattern'],
  appendfile: ['maildir_quota_directory_regex', 'maildirfolder_create_regex', 'quota_size_regex'],
  iplookup: ['response_pattern'],
};
/** Compiled when Exim reads the config. */
const AT_LOAD = new Set(['uucp_from_pattern']);

export function checkRegexes(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  seen = new Map();
  clean = new Set();
  try {
    return regexFindings(cfg);
  } finally {
    seen = new Map();
    clean = new Set();
  }
}

function regexFindings(cfg: EximConfig): Finding[] {
  const out: Finding[] = [];
  patternOptions(cfg.main, 'main', out);
  for (const inst of cfg.transports) if (inst.driver) patternOptions(inst.options, inst.driver.trim(), out);
  for (const inst of cfg.routers) if (inst.driver) patternOptions(inst.options, inst.driver.trim(), out);
  // Named lists are expanded when they are used.
  for (const l of cfg.lists) {
    if (!l.value.includes('^')) continue;
    for (const it of l.items) {
      const message = it.text.includes('^') ? problemOf(l.kind, it.text, true) : undefined;
      if (message) out.push(finding('exim/invalid-value', it.loc.file, it.loc.range, message, RUN_TIME));
    }
  }
  settings(cfg, cfg.main, 'main', out);
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) {
    for (const inst of list) settings(cfg, inst.options, inst.driver && eximDriver(inst.driver) ? inst.driver : inst.section, out);
  }
  for (const acl of cfg.acls) {
    for (const st of acl.statements) {
      for (const it of st.items) {
        const kind = ACL_LIST_KIND[it.name];
        if (kind && it.value?.includes('^')) value(cfg, kind, it, out);
        else if (it.name === 'regex' || it.name === 'mime_regex') value(cfg, 'regex', it, out);
      }
    }
  }
  // A rewrite rule's pattern is one address-list item, expanded as a list is.
  for (const r of cfg.rewrite) {
    if (!r.pattern.includes('^')) continue;
    const message = problemOf('rewrite', r.pattern, true);
    if (!message) continue;
    const at = locOfText(cfg, r.loc, r.pattern);
    out.push(finding('exim/invalid-value', at.file, at.range, message, RUN_TIME));
  }
  return out;
}

function patternOptions(list: readonly OptionSetting[], scope: string, out: Finding[]): void {
  const names = PATTERN_OPTIONS[scope];
  if (!names) return;
  for (const s of list) {
    if (s.negated || s.value === undefined || !names.includes(s.name)) continue;
    const problem = regexProblem(s.value);
    const loc = s.valueLoc;
    if (!problem || !loc) continue;
    const then = AT_LOAD.has(s.name)
      ? ' Exim compiles it when it loads the config, so it refuses the config.'
      : ' Exim cannot compile it when it comes to use it ("regular expression error").';
    out.push(finding('exim/invalid-value', loc.file, loc.range,
      `The regular expression "${s.value}" of ${s.name} is malformed: ${problem.message} (at offset ${problem.offset}).${then}`,
      AT_LOAD.has(s.name) ? { severity: 'error' } : RUN_TIME));
  }
}

function settings(cfg: EximConfig, list: readonly OptionSetting[], scope: string, out: Finding[]): void {
  for (const s of list) {
    if (s.negated || !s.value?.includes('^')) continue;
    const kind = optionsOfScope(scope)?.get(s.name)?.listKind;
    if (kind) value(cfg, kind, s, out);
  }
}

/** The items of a list-valued option or ACL condition, each found in the value as written. */
/**
 * What a list's items are: the kind of a list whose items starting with ^ are patterns,
 * `regex` (ACL regex and mime_regex: every item is one), or a rewrite rule's pattern.
 */
type Kind = ListKind | 'regex' | 'rewrite';

function value(cfg: EximConfig, kind: Kind, h: OptionSetting | AclItem, out: Finding[]): void {
  const v = h.value;
  if (v === undefined) return;
  // A value seen without a problem is not split again: configs repeat their list conditions.
  const key = `${kind}:${v}`;
  if (clean.has(key)) return;
  let expanded: boolean | undefined;
  const before = out.length;
  const items = splitList(v);
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    if (kind !== 'regex' && !it.text.includes('^')) continue;
    // An option Exim does not expand (no tree for a value with a backslash) keeps its escapes.
    expanded ??= !v.includes('\\') || expansionForm(h) !== ExpandForm.None;
    const message = problemOf(kind, it.text, expanded);
    const loc = message ? h.valueLoc : undefined;
    if (!message || !loc) continue;
    // Which occurrence of its text in the value it is: an earlier item may be the same.
    let nth = 0;
    for (let j = 0; j < k; j++) nth += occurrencesOf(items[j].text, it.text);
    const at = locOfText(cfg, loc, it.text, nth);
    out.push(finding('exim/invalid-value', at.file, at.range, message, RUN_TIME));
  }
  // Without a backslash, whether the option is expanded makes no difference to the items.
  if (out.length === before && !v.includes('\\')) clean.add(key);
}

/**
 * problemOf's answers for the items of the config being checked: a config repeats its
 * patterns from list to list (a generated 20k-line one, 2,000 times).
 */
let seen = new Map<string, string | undefined>();
/** Values of a kind of list found with no problem in the config being checked. */
let clean = new Set<string>();

/** What is wrong with a list item that is a regular expression; undefined for any other item. */
function problemOf(kind: Kind, text: string, expanded: boolean): string | undefined {
  const key = `${kind}${expanded ? '+' : '-'}${text}`;
  if (seen.has(key)) return seen.get(key);
  const message = itemProblem(kind, text, expanded);
  seen.set(key, message);
  return message;
}

function itemProblem(kind: Kind, text: string, expanded: boolean): string | undefined {
  // A \N...\N cut in two by a separator is not read here.
  if (text.split('\\N').length % 2 === 0) return undefined;
  const written = expanded ? literalPattern(parseExpansion(text, nowhere)) : { pattern: text, raw: text, escapes: false };
  if (!written || (kind !== 'regex' && !written.pattern.startsWith('^'))) return undefined;
  const problem = patternProblem(written);
  if (!problem) return undefined;
  const what = `The regular expression "${written.pattern}"${kind === 'regex' || kind === 'rewrite' ? '' : ` in this ${KIND_WORD[kind]}`} is malformed: ${problem.message} (at offset ${problem.offset}).`;
  // Checked with Exim 4.96: -bt for a domain or local part list, -bh with DATA for regex, -brw for rewrite.
  const then = kind === 'regex' ? ' Exim skips it ("regex acl condition warning - error in regex"), so it never matches.'
    : kind === 'rewrite' ? ' Exim cannot compile it ("regular expression error"), so the rule never rewrites anything.'
    : ' Exim compiles it when a match first reaches it, and then panics and dies ("regular expression error").';
  return what + then + (problem.escapesBreakIt ? ' ' + WRITE_WITH_N : '');
}
