// String expansions: the parser's syntax errors, and item/operator/condition/variable
// names Exim does not know (or the target version lacks).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig, NamedList, OptionSetting, RewriteRule } from '../../exim/model';
import { parseExpansion, type RangeOf } from '../../exim/expansion-parser';
import { taintSource } from '../../exim/taint';
import { locOfText } from './lists';
import { peekListRefs } from './names';
import { expansionForm } from '../../exim/parsed';
import { ExpandForm } from '../../exim/value-expansion';
import { lookupTypeOf, plainText, type ExpansionNode } from '../../exim/expansion';
import type { Range } from '../../text';
import type { CheckOptions, EximVersion } from '../../options';
import {
  availableIn, eximLookupType, relativeLookupFile, expansionCondition, expansionItem, expansionNames, expansionOperator, expansionVariable,
  itemArgProblem, lookupTypes, operatorArgProblem, versionNote, writtenLookupType, type ExpansionKind, type ExpansionNameInfo,
} from '../../catalog/exim';
import { didYouMean, namesOnce, nearest, replaceFix, runTime, RUN_TIME } from './suggest';
import { literalFix, literalPattern, patternProblem, WRITE_WITH_N } from '../../exim/pcre-syntax';
import { lookupSetupProblem } from './lookup-setup';
import { cap, mainValue } from './instance-options';
import { conditionLiteralProblem, dnsdbWordsProblem, itemLiteralProblems, LITERAL_CONDITIONS, LITERAL_OPERATORS, MACRO_NAME, operatorLiteralProblem } from './expansion-literals';
import { ownEntry } from '../../own';

type Lookup = (name: string) => ExpansionNameInfo | undefined;
const LOOKUPS: Record<Exclude<ExpansionKind, 'variable'>, Lookup> = {
  item: expansionItem, operator: expansionOperator, condition: expansionCondition,
};

/** Calls `f` on every node, depth first, without a generator per level. */
export function forEachNode(nodes: readonly ExpansionNode[], f: (n: ExpansionNode) => void): void {
  for (const n of nodes) {
    f(n);
    if (n.kind === 'item' || n.kind === 'condition') for (const a of n.args) forEachNode(a, f);
    else if (n.kind === 'operator') forEachNode(n.arg, f);
  }
}

/** The file an option's or ACL item's value is in. */
export function fileOfValue(holder: OptionSetting | AclItem): string {
  return (holder.valueLoc ?? ('loc' in holder ? holder.loc : holder.nameLoc)).file;
}

export function checkExpansions(cfg: EximConfig, opts: CheckOptions): Finding[] {
  const c = new ExpansionCheck(opts.eximVersion, cfg);
  // The holders are walked here, a direct call per holder rather than a callback: no closure
  // for the optimising compiler to see several of.
  c.mainSettings(cfg.main);
  for (const inst of cfg.routers) c.settings(inst.options, 'router');
  for (const inst of cfg.transports) c.settings(inst.options, 'transport');
  for (const inst of cfg.authenticators) c.settings(inst.options, 'authenticator');
  for (const a of cfg.acls) for (const st of a.statements) c.items(st.items);
  if (cfg.rewrite.length) c.rewriteRules(cfg.rewrite);
  if (cfg.lists.length) c.namedLists(cfg.lists);
  return c.out;
}

/** The text braces still open after `text`, `open` of them before it. */
function openBraces(text: string, open: number): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) open++;
    else if (c === 125 /* } */ && open > 0) open--;
  }
  return open;
}

/**
 * Values Exim reads as yes or no, by section and option: an ACL's `condition`, an
 * authenticator's `server_condition` (both yes or no, or a failure), and the values Exim
 * reads with expand_check_condition (expand.c), which is true unless the value is empty,
 * "0", "no" or "false": so "no}" is true. What a "}" left in the value does to each.
 */
const TRUE_ANYWAY = 'and the value is never empty, "0", "no" or "false", which Exim reads as true: ';
const BRACE_IN_YES_NO: Record<string, Record<string, string>> = {
  acl: { condition: 'and the condition is never yes or no; Exim defers the statement with \'invalid "condition" value\'.' },
  router: {
    condition: TRUE_ANYWAY + 'the router runs for every address it gets to.',
    ipv4_only: TRUE_ANYWAY + 'the router always looks up IPv4 addresses only.',
    ipv4_prefer: TRUE_ANYWAY + 'the router always puts IPv4 addresses first.',
  },
  transport: { shadow_condition: TRUE_ANYWAY + 'the shadow transport runs after every successful delivery by this transport.' },
  authenticator: {
    server_condition: 'and the result is never yes or no: Exim answers every login with "435 Unable to authenticate at present".',
    client_condition: TRUE_ANYWAY + 'Exim tries this authenticator with every server that offers its mechanism.',
    server_advertise_condition: TRUE_ANYWAY + 'Exim advertises this mechanism to every client.',
    server_mail_auth_condition: TRUE_ANYWAY + 'Exim trusts the AUTH= of every MAIL command from a client that logged in with it.',
  },
  main: { delay_warning_condition: TRUE_ANYWAY + 'a delay warning goes to the sender of every delayed message, lists and auto-replies too.' },
};
type Section = keyof typeof BRACE_IN_YES_NO;
/** The consequence of a stray "}" in `name`'s value in `section`, when Exim reads the value as yes or no. */
const yesNo = (section: Section, name: string): string | undefined => Object.hasOwn(BRACE_IN_YES_NO[section], name) ? BRACE_IN_YES_NO[section][name] : undefined;

type Node<K extends ExpansionNode['kind']> = Extract<ExpansionNode, { kind: K }>;

/**
 * Where offsets into `length` characters of text lie, when `r` holds them as written (one
 * line, as long as the text); else every offset maps to `r` as a whole.
 */
export function within(r: Range, length: number): RangeOf {
  if (r.start.line !== r.end.line || r.end.character - r.start.character !== length) return () => r;
  const { line, character } = r.start;
  return (a, b) => ({ start: { line, character: character + a }, end: { line, character: character + b } });
}

/** The conditions that compare integers, and what Exim 4.96 takes as one: decimal (leading zeros too), an optional K/M/G, or nothing (0). */
const NUMERIC_CONDITIONS = new Set(['<', '<=', '=', '==', '>', '>=']);
const INTEGER = /^\s*(?:([-+]?\d+[KMGkmg]?)\s*)?$/;
/** Text an integer can go on from: the rest of the argument is expanded (it may be empty). */
const INTEGER_START = /^\s*(?:[-+]?\d*|[-+]?\d+[KMGkmg]?\s*)$/;
/** Items whose written-out arguments expansion-literals.ts judges. */
const LITERAL_ARGS = new Set(['length', 'substr', 'hash', 'nhash', 'listextract', 'hmac', 'imapfolder', 'certextract', 'prvs', 'sort']);

/**
 * Main options Exim expands as soon as it has read the config, so `exim -bV` already fails
 * on a malformed expansion or an unknown variable in them (checked with Exim 4.96): there
 * these are errors, not the run-time warnings they are elsewhere.
 */
const EXPANDED_AT_LOAD = new Set([
  'admin_groups', 'localhost_number', 'log_file_path', 'never_users', 'pid_file_path',
  'smtp_active_hostname', 'spool_directory', 'trusted_groups', 'trusted_users',
]);

/** Item names expand.c finds before any operator: `${length:x}` is an item short of arguments. */
const ITEMS_FIRST = new Set(['length', 'substr', 'hash', 'nhash']);

/** Items whose last braced arguments may be left out (yes/no strings and the like): how many they take at most (lookup: its key's, then three). */
const MOST_ARGS: Record<string, number> = { if: 3, run: 3, readfile: 2, readsocket: 5, listextract: 4, certextract: 4, prvscheck: 3 };

const FORCED_FAIL = /\}\s*fail(?![\w$])/;

/**
 * A redirect router's uid and gid lists, expanded as readconf reads them: exim4 -bV fails on
 * "owners = $nosuchvar" ("failed to expand owners: unknown variable name").
 */
const ROUTER_EXPANDED_AT_LOAD = new Set(['owners', 'owngroups']);

/**
 * One run of the rule. The same few names recur in every value: those found known and
 * available (no finding) are remembered for the run, so each is looked up in the catalog
 * once; the rest go the whole way each time, so every occurrence is reported.
 */
class ExpansionCheck {
  readonly out: Finding[] = [];
  private holder: OptionSetting | AclItem | undefined;
  private where: string | undefined;
  /** The main option being checked when Exim expands it at load: its warnings are errors. */
  private atLoad: string | undefined;
  /**
   * Whether the node being looked at is worked out whenever the value is: true at the top
   * of a value and in an operator's argument, false inside an item's or a condition's
   * arguments (a branch of `${if}` or a lookup may be skipped, and Exim only reads what it
   * skips). A failure that comes from working a node out stops Exim at load only where this
   * holds; one that comes from reading it (an unknown name, a brace) stops it anywhere.
   */
  private always = true;
  private readonly fineItems = new Set<string>();
  private readonly fineOperators = new Set<string>();
  private readonly fineConditions = new Set<string>();
  private readonly fineVariables = new Set<string>();
  /** The words between a `${lookup` item's arguments, when their lookup type is known. */
  private readonly fineLookups = new Set<string>();
  /**
   * Per way of expanding (ExpandForm), the values whose trees gave no finding: the same
   * value expanded the same way gives the same tree, only placed elsewhere, so it is not
   * parsed again. Configs repeat conditions and lookups from driver to driver.
   */
  private readonly clean = new Map<ExpandForm, Set<string>>();
  /** The same for ACL conditions, which are checked for more (a stray "}"). */
  private readonly cleanConditions = new Set<string>();
  constructor(private readonly v: EximVersion, private readonly cfg: EximConfig) {}

  settings(list: readonly OptionSetting[], section: 'router' | 'transport' | 'authenticator'): void {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      this.atLoad = section === 'router' && ROUTER_EXPANDED_AT_LOAD.has(s.name) && !FORCED_FAIL.test(s.value ?? '') ? s.name : undefined;
      this.check(s, yesNo(section, s.name));
    }
    this.atLoad = undefined;
  }

  mainSettings(list: readonly OptionSetting[]): void {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      // A forced failure ("{...}fail") ends the expansion where it is met, quietly, before
      // whatever comes after it is read (exim.c takes a forced failure as no value): with one
      // anywhere, even an unclosed brace may never be reached at load, so nothing is raised.
      this.atLoad = EXPANDED_AT_LOAD.has(s.name) && !FORCED_FAIL.test(s.value ?? '') ? s.name : undefined;
      this.check(s, yesNo('main', s.name));
    }
    this.atLoad = undefined;
  }

  items(list: readonly AclItem[]): void {
    for (let i = 0; i < list.length; i++) this.check(list[i], yesNo('acl', list[i].name));
  }

  /**
   * A rewrite rule's pattern is expanded as an address list is when Exim tries the rule
   * ("failed to expand ... while checking a list" for `^a@b$`), and its replacement when the
   * rule applies. Neither has a tree in the model: each is parsed here, placed in its line
   * when it is written there as it is (not quoted, not continued).
   */
  rewriteRules(rules: readonly RewriteRule[]): void {
    for (const r of rules) {
      for (const text of [r.pattern, r.replacement]) {
        if (!text.includes('$') && !text.includes('\\')) continue;
        const at = locOfText(this.cfg, r.loc, text);
        this.holder = undefined;
        this.where = at.file;
        this.nodes(parseExpansion(text, within(at.range, text.length)));
      }
    }
  }

  /**
   * A named list's value is expanded as a whole each time the list is used (it has no tree
   * in the model: parsed here), so a regex written with a bare "$" fails there: with
   * `domainlist d = ^example\.(com|org)$`, exim4 -bh answers 451 to every RCPT the ACL
   * matches against +d.
   */
  namedLists(lists: readonly NamedList[]): void {
    // Only lists something uses are ever expanded (an unused one is exim/unused-definition's):
    // the names family has found the uses by now; without them, every list is looked at.
    const used = lists.length ? peekListRefs(this.cfg)?.used : undefined;
    for (const l of lists) {
      if (!l.value.includes('$') && !l.value.includes('\\')) continue;
      if (used && !used.get(l.kind)?.has(l.name)) continue;
      this.holder = undefined;
      this.where = l.valueLoc.file;
      this.always = true;
      this.nodes(parseExpansion(l.value, within(l.valueLoc.range, l.value.length)));
    }
  }

  /**
   * A "}" outside any expansion is literal text that stays in the value (`${if ...}}}` gives
   * "yes}"), so a value read as yes or no is neither (seen with Exim 4.96): an ACL
   * `condition` defers its statement with 'invalid "condition" value' (a 451 for
   * deny/require); a router's `condition` is true unless empty, "0", "no" or "false", so the
   * router always runs (-bt); an authenticator's `server_condition` answers every login
   * "435 Unable to authenticate at present" (-bh). The other values Exim reads as the
   * router's (BRACE_IN_YES_NO) are as true: a transport's `shadow_condition` with "no }"
   * ran its shadow transport (-odf).
   */
  private conditionValue(nodes: readonly ExpansionNode[], consequence: string): void {
    if (nodes.length < 2) return;
    for (const n of nodes) {
      const at = n.kind === 'text' ? n.text.indexOf('}') : -1;
      if (at < 0) continue;
      const r = n.range;
      const placed = r.start.line === r.end.line && r.end.character - r.start.character === (n as Node<'text'>).text.length;
      const brace = placed ? { start: { line: r.start.line, character: r.start.character + at }, end: { line: r.start.line, character: r.start.character + at + 1 } } : r;
      this.report(finding('exim/expansion-syntax', this.file(), brace, `This "}" closes no expansion, so it stays in the value as text, ${consequence}`, RUN_TIME));
      return;
    }
  }

  /**
   * A "}" right after a variable or an expansion, outside any expansion: it closes nothing,
   * and Exim keeps it as text in the value (`require_files = $local_part_data}:…` looked for
   * the user "root}", and routing failed, seen with exim4 -bt). After `$name` it is most
   * often `${name}` that lost its "{"; after `${…}` a brace too many. A "}" after text, or
   * closing a "{" written as text (`{$name}`), is left alone: the text may mean it. Never an
   * error, not even in an option Exim expands at load: the expansion succeeds, "}" and all.
   */
  private strayBraces(nodes: readonly ExpansionNode[]): void {
    let open = 0;
    for (let i = 1; i < nodes.length; i++) {
      const v = nodes[i - 1], t = nodes[i];
      if (v.kind === 'text') open = openBraces(v.text, open);
      if (t.kind !== 'text' || t.text.charCodeAt(0) !== 125 /* } */ || open > 0) continue;
      if (v.kind !== 'variable' && v.kind !== 'item' && v.kind !== 'operator' && v.kind !== 'condition') continue;
      const vr = v.range, tr = t.range;
      const placed = tr.start.line === tr.end.line && tr.end.character - tr.start.character === t.text.length;
      const brace = placed ? { start: tr.start, end: { line: tr.start.line, character: tr.start.character + 1 } } : tr;
      if (v.kind === 'variable' && !v.braced) {
        const whole = placed && vr.start.line === tr.start.line && vr.end.character === tr.start.character && vr.end.character - vr.start.character === v.name.length + 1;
        const fixes = whole ? replaceFix({ file: this.file(), range: { start: vr.start, end: brace.end } }, `\${${v.name}}`) : undefined;
        this.strayBrace(finding('exim/expansion-syntax', this.file(), brace,
          `This "}" after $${v.name} closes no expansion, so Exim keeps it as text after the variable's value. Write \${${v.name}} if that was meant, or remove the "}".`, runTime(fixes)));
      } else {
        const fixes = placed ? [{ title: 'Remove the "}"', preferred: true, edits: [{ file: this.file(), range: brace, newText: '' }] }] : undefined;
        this.strayBrace(finding('exim/expansion-syntax', this.file(), brace,
          'This "}" closes no expansion: the one before it ends a brace earlier, so Exim keeps this one as text in the value. Remove it, or check the braces of the expansion before it.', runTime(fixes)));
      }
    }
  }

  /**
   * A stray "}" is a warning even where Exim expands the value at load: the expansion
   * succeeds. But localhost_number's expanded value must then be a number, and one with
   * a "}" after it is not: exim4 -bV refuses the config.
   */
  private strayBrace(f: Finding): void {
    this.out.push(this.atLoad === 'localhost_number'
      ? { ...f, severity: 'error', message: `${f.message} Exim expands localhost_number when it loads the config and then reads a number from it, and one with a "}" in it is none, so it refuses the config ("localhost_number value is not a number").` }
      : f);
  }

  /** `condition`: the value is read as yes or no, and is also checked for a "}" left over (conditionValue). */
  private check(h: OptionSetting | AclItem, condition?: string): void {
    const form = expansionForm(h);
    if (form === ExpandForm.None) return;
    let clean: Set<string> | undefined;
    if (form !== undefined) {
      if (condition) clean = this.cleanConditions;
      else {
        clean = this.clean.get(form);
        if (!clean) this.clean.set(form, clean = new Set());
      }
      if (clean.has(h.value!)) return;
    }
    const nodes = h.expansion;
    if (!nodes) return;
    const before = this.out.length;
    this.tree(h, nodes);
    if (condition) this.conditionValue(nodes, condition);
    else this.strayBraces(nodes);
    if (clean && this.out.length === before) clean.add(h.value!);
  }

  private tree(holder: OptionSetting | AclItem, nodes: ExpansionNode[]): void {
    this.holder = holder;
    this.where = undefined;
    this.always = true;
    this.nodes(nodes);
  }

  /** `fails`: the finding makes the expansion fail, so at load it stops Exim; otherwise it stays what it is. */
  private report(f: Finding, fails = true): void {
    this.out.push(fails && this.atLoad && f.severity === 'warning'
      ? { ...f, severity: 'error', message: `${f.message} Exim expands ${this.atLoad} when it loads the config, so it refuses the config.` }
      : f);
  }

  private file(): string {
    return this.where ??= fileOfValue(this.holder!);
  }

  private nodes(list: readonly ExpansionNode[]): void {
    for (let i = 0; i < list.length; i++) {
      const n = list[i];
      switch (n.kind) {
        case 'error': this.error(n); break;
        case 'variable': if (!this.fineVariables.has(n.name)) this.variable(n); break;
        case 'operator':
          if (!this.fineOperators.has(n.name)) this.named(n, this.fineOperators);
          if (LITERAL_OPERATORS.has(n.name)) this.operatorLiteral(n);
          this.nodes(n.arg);
          break;
        case 'item': {
          if (!this.fineItems.has(n.name)) this.named(n, this.fineItems);
          if (n.name === 'lookup' && n.options && !this.fineLookups.has(n.options)) this.lookupType(n, n.options);
          else if (n.name === 'lookup' && n.options === undefined) {
            this.report(finding('exim/expansion-syntax', this.file(), n.nameRange,
              '"${lookup" has no lookup type (such as lsearch) after its key; Exim fails with "missing lookup type" when it expands this value.', RUN_TIME));
          }
          if (n.name === 'lookup' && n.options) this.lookupForm(n);
          if (n.name === 'lookup' && n.argsBefore === 0 && n.args.length) this.queryLookup(n, n.args[0]);
          if (n.name === 'lookup' && n.options && n.args.length >= 2) this.lookupFile(n, n.args[1]);
          if (n.name === 'sg' && n.args.length === 3) this.regex(n.args[1]);
          else if (n.name === 'run' && n.args.length) this.runCommand(n.args[0]);
          else if (n.name === 'perl' && !mainValue(this.cfg, 'perl_startup')?.trim()) {
            // Exim starts its Perl interpreter with perl_startup's code; without it there is none.
            this.report(finding('exim/expansion-syntax', this.file(), n.nameRange,
              '"${perl" calls a Perl function, but perl_startup is not set, so Exim has no Perl code to call and fails ("A setting of perl_startup is needed when using the Perl interpreter"). Set perl_startup in the main section (e.g. perl_startup = do \'/etc/exim4/exim.pl\').', RUN_TIME), this.always);
          }
          const argProblem = itemArgProblem(n.name, n.args.length);
          if (argProblem) this.report(finding('exim/expansion-syntax', this.file(), n.nameRange, `${argProblem} Exim fails when it expands this value.`, RUN_TIME));
          else if (LITERAL_ARGS.has(n.name)) this.literalArgs(n);
          // `${if`'s condition is tested whenever the item is worked out; its branches are not.
          this.args(n.args, n.name === 'if' ? 1 : 0);
          const next = list[i + 1];
          if (next?.kind === 'text' && next.text.startsWith('{')) this.closedEarly(n, next);
          break;
        }
        case 'condition':
          if (!this.fineConditions.has(n.name)) this.named(n, this.fineConditions);
          if (NUMERIC_CONDITIONS.has(n.name)) this.integers(n);
          else if (n.name === 'match' && n.args.length === 2) this.regex(n.args[1], this.always);
          else if (LITERAL_CONDITIONS.has(n.name)) this.conditionLiteral(n);
          this.args(n.args);
          break;
      }
    }
  }

  /** Arguments, of which the first `worked` are worked out whenever their holder is. */
  private args(args: readonly (readonly ExpansionNode[])[], worked = 0): void {
    const was = this.always;
    args.forEach((a, k) => {
      this.always = was && k < worked;
      this.nodes(a);
    });
    this.always = was;
  }

  /**
   * An item that takes more braced arguments than it got, followed by text starting with "{":
   * its "}" came too early (`${if exists{/x}}{a}{b}}`), and Exim adds the braces and what is in
   * them to the value as text (exim4 -be: "true{a}{b}}"). Not when the item has all it takes.
   */
  private closedEarly(n: Node<'item'>, next: Node<'text'>): void {
    const most = ownEntry(MOST_ARGS, n.name) ?? (n.name === 'lookup' ? (n.argsBefore ?? 0) + 3 : undefined);
    if (most === undefined || n.args.length >= most) return;
    const shown = next.text.length > 40 ? `${next.text.slice(0, 40)}...` : next.text;
    this.report(finding('exim/expansion-syntax', this.file(), next.range,
      `The braces from "${shown}" on are text, not more arguments of the "\${${n.name}" before them: that item ends at the "}" just before, so Exim adds them and what is in them to the value as they stand. If they were meant for the item, move its closing "}" after them.`, RUN_TIME), false);
  }

  private error(n: Node<'error'>): void {
    // Nesting past the parser's bound is not a syntax error: it only crashes Exim when very deep.
    if (n.deep === 'crash') this.report(finding('exim/expansion-syntax', this.file(), n.range, n.message, RUN_TIME));
    else if (n.deep) this.report(finding('exim/expansion-syntax', this.file(), n.range, n.message, { severity: 'hint' }));
    else this.report(finding('exim/expansion-syntax', this.file(), n.range, `${n.message} Exim fails when it expands this value.`, RUN_TIME));
  }

  private named(n: Node<'item' | 'operator' | 'condition'>, fine: Set<string>): void {
    const v = this.v;
    const info = LOOKUPS[n.kind](n.name);
    const argProblem = n.kind === 'operator' && info ? operatorArgProblem(n.name) : undefined;
    if (info && availableIn(info, v) && !argProblem) {
      fine.add(n.name);
      return;
    }
    if (!info) {
      const guess = nearest(n.name, namesOnce(`expansion ${n.kind}`, v, () => expansionNames(n.kind, v).map((x) => x.name)));
      const form = n.kind === 'item' ? `\${${n.name}{...}}` : n.kind === 'operator' ? `\${${n.name}:...}` : `${n.name} (in \${if ...})`;
      this.report(finding('exim/expansion-syntax', this.file(), n.nameRange, `Unknown expansion ${n.kind} "${n.name}" in ${form}.${didYouMean(guess)}`,
        runTime(guess ? replaceFix({ file: this.file(), range: n.nameRange }, guess) : undefined)));
    } else if (!availableIn(info, v)) {
      this.report(finding('exim/expansion-syntax', this.file(), n.nameRange,
        v === '4.96' ? `The expansion ${n.kind} "${n.name}" is not in Exim 4.96 (${versionNote(info)}).`
          : `The expansion ${n.kind} "${n.name}" was ${versionNote(info, 'latest')}; current Exim does not know it.`,
        RUN_TIME));
    }
    // `${length:` and the like fail as Exim reads them (they are items), even in a branch it
    // skips; a bad suffix (`${h_x:`, `${sha2_1:`) only when the operator is worked out.
    if (argProblem) this.report(finding('exim/expansion-syntax', this.file(), n.nameRange, argProblem, RUN_TIME), this.always || ITEMS_FIRST.has(n.name));
  }

  private literalArgs(n: Node<'item'>): void {
    for (const p of itemLiteralProblems(n.name, n.args)) {
      const arg = n.args[p.arg];
      const range = arg.length ? { start: arg[0].range.start, end: arg[arg.length - 1].range.end } : n.nameRange;
      this.report(finding('exim/expansion-syntax', this.file(), range, `${p.message}; Exim fails when it expands this value.`, RUN_TIME), this.always || !p.whenWorkedOut);
    }
  }

  /** A condition given text it cannot take (`bool{maybe}`): it fails when tested. */
  private conditionLiteral(n: Node<'condition'>): void {
    const p = conditionLiteralProblem(n.name, n.args);
    if (!p) return;
    const arg = n.args[p.arg];
    const range = arg.length ? { start: arg[0].range.start, end: arg[arg.length - 1].range.end } : n.nameRange;
    this.report(finding('exim/expansion-syntax', this.file(), range, `${p.message}; Exim fails when it expands this value.`, RUN_TIME), this.always);
  }

  /** An operator given text it cannot take (`${mask:10.0.0.1}`, `${eval:1/0}`): it fails when worked out. */
  private operatorLiteral(n: Node<'operator'>): void {
    const problem = operatorLiteralProblem(n.name, n.arg);
    if (!problem) return;
    const range = n.arg.length ? { start: n.arg[0].range.start, end: n.arg[n.arg.length - 1].range.end } : n.nameRange;
    this.report(finding('exim/expansion-syntax', this.file(), range, `${problem}; Exim fails when it expands this value.`, RUN_TIME), this.always);
  }

  /**
   * The arguments of `${if >{..}{..}` written as plain text must be integers (an empty one is
   * 0); one that only starts as text (`{$message_size}`, `x$n`) must start as an integer does.
   */
  private integers(n: Node<'condition'>): void {
    for (const a of n.args) {
      if (a[0]?.kind !== 'text') continue;
      if (a.length > 1) {
        const t = a[0].text;
        if (INTEGER_START.test(t) || /^\s*[A-Z]/.test(t)) continue;
        this.report(finding('exim/expansion-syntax', this.file(), a[0].range,
          `"${n.name}" compares integers, and an integer cannot start with "${t}"; Exim fails when it expands this value.`, RUN_TIME), this.always);
        continue;
      }
      const t = a[0].text;
      // A macro's name left as it stands is undefined-macro's finding (the test suite's PORT_D comes with -D).
      if (INTEGER.test(t) || MACRO_NAME.test(t)) continue;
      this.report(finding('exim/expansion-syntax', this.file(), a[0].range,
        `"${n.name}" compares integers, and "${t}" is not one; Exim fails when it expands this value.`, RUN_TIME), this.always);
    }
  }

  /**
   * The pattern of `${if match` or `${sg` when it is written out (no variable or item in it):
   * Exim compiles it as PCRE2 each time it expands the value, and a malformed one fails the
   * expansion. Outside \N...\N, backslashes are escapes of the expansion and gone before
   * PCRE2 sees the pattern ("\d" is "d"), a classic way to break one. `${sg`'s pattern fails
   * as Exim reads it, even in a branch it skips; `match`'s when it is worked out (`fails`).
   */
  private regex(arg: readonly ExpansionNode[], fails = true): void {
    const written = arg.length ? literalPattern(arg) : undefined;
    const problem = written && patternProblem(written);
    if (!problem) return;
    const range = { start: arg[0].range.start, end: arg[arg.length - 1].range.end };
    const fix = problem.escapesBreakIt ? literalFix(this.cfg, this.file(), range, written.raw) : undefined;
    this.report(finding('exim/expansion-syntax', this.file(), range,
      `The regular expression "${written.pattern}" is malformed: ${problem.message} (at offset ${problem.offset}). Exim fails when it expands this value.${problem.escapesBreakIt ? ' ' + WRITE_WITH_N : ''}`,
      runTime(fix)), fails);
  }

  /**
   * `${run}` execs its command without a search path: a program written without its
   * directory ("sh -c ...") cannot be found, the command never runs, and the expansion takes
   * its failure branch ($runrc 127; exim4 -be). Only a name written out is judged.
   */
  private runCommand(arg: readonly ExpansionNode[]): void {
    const first = arg[0];
    if (first?.kind !== 'text') return;
    const m = /^\s*([^\s"'\/$][^\s]*)(\s|$)/.exec(first.text);
    // A name that runs on into what follows (`sh$x`) is not known here.
    if (!m || (!m[2] && arg.length > 1)) return;
    const at = m[0].length - m[1].length - m[2].length;
    const range = within(first.range, first.text.length)(at, at + m[1].length);
    this.report(finding('exim/expansion-syntax', this.file(), range,
      `\${run} does not search PATH for "${m[1]}": Exim cannot execute it (\$runrc is 127), so the command never runs and the expansion takes its failure branch. Write the program's full path (such as /usr/bin/${m[1]}).`, RUN_TIME), false);
  }

  /**
   * A file lookup's file (lsearch, cdb, dbm, dsearch's directory, …): the specification
   * wants it absolute, and Exim 4.96 opens one that is not as it stands, relative to its
   * working directory, where it is not ("failed to open etc/aliases for linear search"; a
   * doubled brace, `lsearch{{/etc/aliases}}`, makes the name "{/etc/aliases"). Only a name
   * written out is judged. One named from tainted data (exim/taint.ts) Exim will not open at
   * all (exim4 -odf: the redirect router's data "failed to expand ... NULL").
   */
  private lookupFile(n: Node<'item'>, arg: readonly ExpansionNode[]): void {
    const info = eximLookupType(lookupTypeOf(n));
    const taint = info?.lookupStyle?.includes('absolute file') ? taintSource(arg) : undefined;
    if (taint) {
      this.report(finding('exim/expansion-syntax', this.file(), taint.range,
        `The ${info!.name} lookup's file is named from $${taint.name}, which comes from the message and is tainted: Exim refuses to open a file named by tainted data, so the expansion fails whenever it runs ("Tainted filename for search"). Look the value up as a key in a fixed file instead, or name the file from $domain_data or $local_part_data (set when the router's domains or local_parts matched).`, RUN_TIME));
      return;
    }
    const file = arg.length ? plainText(arg)?.trim() : undefined;
    if (!info || file === undefined || !relativeLookupFile(info, file)) return;
    const range = { start: arg[0].range.start, end: arg[arg.length - 1].range.end };
    this.report(finding('exim/expansion-syntax', this.file(), range,
      `The ${info.name} lookup's file "${file}" is not an absolute path: Exim opens it relative to its working directory, where it is not found, and the expansion fails ("failed to open ${file}"). Write the whole path, starting with "/".`, RUN_TIME), this.always);
  }

  /**
   * A lookup written in the other form than its type takes: a single-key type (lsearch)
   * needs `{key}` before it, a query-style one (dnsdb, mysql) takes none and has no
   * `partial-` or `*` defaults. Exim fails as it reads the item, even in a branch it skips
   * (search_findtype_partial; exim4 -bV).
   */
  private lookupForm(n: Node<'item'>): void {
    const type = lookupTypeOf(n);
    const info = type.includes('$') ? undefined : eximLookupType(type);
    const style = info?.lookupStyle;
    if (!style || n.argsBefore === undefined) return;
    const at = n.optionRange ?? n.nameRange;
    const { name: written, partial, defaults } = writtenLookupType(type);
    let problem: string | undefined;
    if (style.startsWith('single-key') && n.argsBefore === 0) {
      problem = `"${info.name}" is a single-key lookup: it needs the key in braces before its type, as in \${lookup{$local_part}${written}{...}}, and fails without it (missing {key} for single-key lookup)`;
    } else if (style.startsWith('query-style') && n.argsBefore > 0) {
      problem = `"${info.name}" is a query-style lookup: it takes no {key} before its type, only the query after it, as in \${lookup ${written}{...}}, and fails with one (a single key was given for a lookup type that is not single-key)`;
    } else if (style.startsWith('query-style') && partial) {
      problem = `"partial" works only with single-key lookups, and "${info.name}" is query-style: Exim fails (partial is not permitted for lookup type ${info.name})`;
    } else if (style.startsWith('query-style') && defaults) {
      problem = `The "*" and "*@" defaults work only with single-key lookups, and "${info.name}" is query-style: Exim fails (defaults using * or *@ are not permitted)`;
    }
    if (problem) this.report(finding('exim/expansion-syntax', this.file(), at, `${problem}.`, RUN_TIME));
  }

  /**
   * A query-style lookup that defers whatever it looks up, so the expansion fails when it
   * runs: a dnsdb query whose modifiers or record type dnsdb refuses, or a database lookup
   * with nothing to connect to (lookup-setup.ts).
   */
  private queryLookup(n: Node<'item'>, query: readonly ExpansionNode[]): void {
    const { base, options } = writtenLookupType(lookupTypeOf(n));
    // The query as far as it is written out (its leading text), and whether that is all of it.
    let lead = '';
    let k = 0;
    for (; k < query.length && query[k].kind === 'text'; k++) lead += (query[k] as Node<'text'>).text;
    const complete = k === query.length;
    const dnsdb = base === 'dnsdb' ? dnsdbWordsProblem(lead, complete) : undefined;
    const setup = base === 'dnsdb' ? undefined : lookupSetupProblem(this.cfg, base, options, k === 0 && !complete ? undefined : lead);
    const message = dnsdb ? `${dnsdb}: the lookup defers whatever it looks up, and Exim fails when it expands this value.`
      : setup ? `${cap(setup.why)}, and Exim fails when it expands this value. ${setup.fix}` : undefined;
    if (!message) return;
    const range = query.length ? { start: query[0].range.start, end: query[query.length - 1].range.end } : n.optionRange ?? n.nameRange;
    this.report(finding('exim/expansion-syntax', this.file(), range, message, RUN_TIME), this.always);
  }

  /** The words between the braces of `${lookup`: the lookup type first, then e.g. `fail`. */
  private lookupType(n: Node<'item'>, options: string): void {
    const v = this.v;
    const type = lookupTypeOf(n);
    const info = type && !type.includes('$') ? eximLookupType(type) : undefined;
    if (type && !type.includes('$') && !info) {
      const guess = nearest(type.replace(/^partial\d*-/, '').replace(/,[^]*$/, ''), namesOnce('lookup', v, () => lookupTypes(v).map((x) => x.name)));
      this.report(finding('exim/expansion-syntax', this.file(), n.optionRange ?? n.nameRange, `Unknown lookup type "${type}".${didYouMean(guess)}`, RUN_TIME));
    } else if (info && !availableIn(info, v)) {
      this.report(finding('exim/expansion-syntax', this.file(), n.optionRange ?? n.nameRange,
        `The lookup type "${info.name}" is not in ${v === '4.96' ? 'Exim 4.96' : 'current Exim'} (${versionNote(info, v)}): the expansion fails ("unknown lookup type").`, RUN_TIME));
    } else this.fineLookups.add(options);
  }

  private variable(n: Node<'variable'>): void {
    const v = this.v;
    const info = expansionVariable(n.name);
    if (!info) {
      const guess = nearest(n.name, namesOnce('expansion variable', v, () => expansionNames('variable', v).map((x) => x.name)));
      this.report(finding('exim/unknown-variable', this.file(), n.nameRange, `Exim has no variable "$${n.name}"; expanding it fails.${didYouMean(guess && '$' + guess)}`,
        guess ? { fixes: replaceFix({ file: this.file(), range: n.nameRange }, guess, n.name.length) } : {}));
    } else if (!availableIn(info, v)) {
      this.report(finding('exim/unknown-variable', this.file(), n.nameRange,
        v === '4.96' ? `The variable "$${n.name}" is not in Exim 4.96 (${versionNote(info)}).` : `The variable "$${n.name}" was ${versionNote(info, 'latest')}.`));
    } else this.fineVariables.add(n.name);
  }
}
