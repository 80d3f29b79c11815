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
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig, ListKind, Loc, OptionSetting } from '../../exim/model';
import { parseExpansion } from '../../exim/expansion-parser';
import { expansionForm } from '../../exim/parsed';
import { ExpandForm } from '../../exim/value-expansion';
import { literalFix, literalPattern, patternProblem, regexProblem, WRITE_WITH_N } from '../../exim/pcre-syntax';
import type { CheckOptions } from '../../options';
import { forEachListValue, KIND_WORD, locOfText, occurrencesOf, splitList } from './lists';
import { RUN_TIME, runTime } from './suggest';
import { ownEntry } from '../../own';

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

/**
 * What a list's items are: the kind of a list whose items starting with ^ are patterns,
 * `regex` (ACL regex and mime_regex: every item is one), or a rewrite rule's pattern.
 */
type Kind = ListKind | 'regex' | 'rewrite';

export function checkRegexes(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const c = new RegexCheck(cfg);
  c.patternOptions(cfg.main, 'main');
  for (const inst of cfg.transports) if (inst.driver) c.patternOptions(inst.options, inst.driver.trim());
  for (const inst of cfg.routers) if (inst.driver) c.patternOptions(inst.options, inst.driver.trim());
  // Named lists are expanded when they are used.
  for (const l of cfg.lists) {
    if (!l.value.includes('^')) continue;
    for (const it of l.items) {
      const problem = it.text.includes('^') ? c.problemOf(l.kind, it.text, true) : undefined;
      if (!problem) continue;
      const at = it.loc;
      c.out.push(finding('exim/invalid-value', at.file, at.range, problem.message, runTime(c.fixOf(l.kind, it.text, problem, at))));
    }
  }
  forEachListValue(cfg, '^', (kind, h) => c.value(kind, h));
  for (const acl of cfg.acls) {
    for (const st of acl.statements) {
      for (const it of st.items) if (it.name === 'regex' || it.name === 'mime_regex') c.value('regex', it);
    }
  }
  // A rewrite rule's pattern is one address-list item, expanded as a list is.
  for (const r of cfg.rewrite) {
    if (!r.pattern.includes('^')) continue;
    const problem = c.problemOf('rewrite', r.pattern, true);
    if (!problem) continue;
    const at = locOfText(cfg, r.loc, r.pattern);
    c.out.push(finding('exim/invalid-value', at.file, at.range, problem.message, RUN_TIME));
  }
  return c.out;
}

/** One run of the rule over a config, which repeats its list conditions and patterns. */
class RegexCheck {
  readonly out: Finding[] = [];
  /** problemOf's answers (a generated 20k-line config has 2,000 patterns, mostly the same few). */
  private readonly seen = new Map<string, ItemProblem | undefined>();
  /** List values of a kind found with no problem: not split again. */
  private readonly clean = new Set<string>();
  constructor(private readonly cfg: EximConfig) {}

  patternOptions(list: readonly OptionSetting[], scope: string): void {
    const names = ownEntry(PATTERN_OPTIONS, scope);
    if (!names) return;
    for (const s of list) {
      if (s.negated || s.value === undefined || !names.includes(s.name)) continue;
      const problem = regexProblem(s.value);
      const loc = s.valueLoc;
      if (!problem || !loc) continue;
      const then = AT_LOAD.has(s.name)
        ? ' Exim compiles it when it loads the config, so it refuses the config.'
        : ' Exim cannot compile it when it comes to use it ("regular expression error").';
      this.out.push(finding('exim/invalid-value', loc.file, loc.range,
        `The regular expression "${s.value}" of ${s.name} is malformed: ${problem.message} (at offset ${problem.offset}).${then}`,
        AT_LOAD.has(s.name) ? { severity: 'error' } : RUN_TIME));
    }
  }

  /** The items of a list-valued option or ACL condition, each found in the value as written. */
  value(kind: Kind, h: OptionSetting | AclItem): void {
    const v = h.value;
    if (v === undefined) return;
    const key = `${kind}:${v}`;
    if (this.clean.has(key)) return;
    let expanded: boolean | undefined;
    const before = this.out.length;
    const items = splitList(v);
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (kind !== 'regex' && !it.text.includes('^')) continue;
      // An option Exim does not expand (no tree for a value with a backslash) keeps its escapes.
      expanded ??= !v.includes('\\') || expansionForm(h) !== ExpandForm.None;
      const problem = this.problemOf(kind, it.text, expanded);
      const loc = problem ? h.valueLoc : undefined;
      if (!problem || !loc) continue;
      // Which occurrence of its text in the value it is: an earlier item may be the same.
      let nth = 0;
      for (let j = 0; j < k; j++) nth += occurrencesOf(items[j].text, it.text);
      const at = locOfText(this.cfg, loc, it.text, nth);
      this.out.push(finding('exim/invalid-value', at.file, at.range, problem.message, runTime(this.fixOf(kind, it.text, problem, at))));
    }
    // Without a backslash, whether the option is expanded makes no difference to the items.
    if (this.out.length === before && !v.includes('\\')) this.clean.add(key);
  }

  /** The quick fix for a malformed item: a wildcard meant, or the \N an item whose escapes broke it needs. */
  fixOf(kind: Kind, text: string, problem: ItemProblem, at: Loc): Fix[] | undefined {
    // `^*.example.com` in a domain list: a wildcard written as a pattern.
    if (kind === 'domainlist' && /^\^\*\.[A-Za-z0-9.-]+$/.test(text)) {
      return [{ title: `Use the wildcard ${text.slice(1)}`, preferred: true, edits: [{ file: at.file, range: at.range, newText: text.slice(1) }] }];
    }
    return problem.escapesBreakIt ? literalFix(this.cfg, at.file, at.range, text) : undefined;
  }

  /** What is wrong with a list item that is a regular expression; undefined for any other item. */
  problemOf(kind: Kind, text: string, expanded: boolean): ItemProblem | undefined {
    const key = `${kind}${expanded ? '+' : '-'}${text}`;
    if (this.seen.has(key)) return this.seen.get(key);
    const problem = itemProblem(kind, text, expanded);
    this.seen.set(key, problem);
    return problem;
  }
}

/** A malformed item: the finding's message, and whether the expansion's escapes broke it (then \N...\N mends it). */
interface ItemProblem { message: string; escapesBreakIt: boolean }

function itemProblem(kind: Kind, text: string, expanded: boolean): ItemProblem | undefined {
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
  return { message: what + then + (problem.escapesBreakIt ? ' ' + WRITE_WITH_N : ''), escapesBreakIt: problem.escapesBreakIt };
}
