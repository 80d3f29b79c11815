// Parses Exim string expansions into ExpansionNode trees. It follows the shape of Exim's
// expander: `}` ends an argument, `{` in plain text is literal, `\` escapes one character
// and `\N...\N` protects a stretch verbatim. Names are not judged here (that is the rules'
// job, against the catalog); structural problems become `error` nodes and parsing goes on.
import type { Range } from '../text';
import type { ExpansionNode } from './expansion';
import { isNameChar, isSpace } from './macros';

/** Maps [a, b) of the parsed string to a range in the file. */
export type RangeOf = (a: number, b: number) => Range;

/** Ranges as offsets into the parsed string itself (line 0): for a caller that cuts text out of it. */
export const atOffsets: RangeOf = (a, b) => ({ start: { line: 0, character: a }, end: { line: 0, character: b } });

/** Number of `{...}` arguments each condition takes (and/or/acl/saslauthd are special). */
export const COND_ARGS: Record<string, number> = {
  def: 0, first_delivery: 0, queue_running: 0,
  bool: 1, bool_lax: 1, exists: 1, isip: 1, isip4: 1, isip6: 1, ldapauth: 1, pam: 1, radius: 1, pwcheck: 1,
  '<': 2, '<=': 2, '=': 2, '==': 2, '>': 2, '>=': 2,
  eq: 2, eqi: 2, ge: 2, gei: 2, gt: 2, gti: 2, le: 2, lei: 2, lt: 2, lti: 2,
  crypteq: 2, inlist: 2, inlisti: 2, match: 2, match_address: 2, match_domain: 2, match_ip: 2,
  match_local_part: 2, inbound_srs: 2,
};
export const COND_OVER_LIST: ReadonlySet<string> = new Set(['forall', 'forany', 'forall_json', 'forany_json', 'forall_jsons', 'forany_jsons']);
/** Whether a condition's arguments were read as Exim reads them: not so for a name it does not know. */
function knownShape(n: ExpansionNode): boolean {
  return n.kind === 'condition' && (Object.hasOwn(COND_ARGS, n.name) || COND_OVER_LIST.has(n.name) || n.name === 'and' || n.name === 'or' || n.name === 'acl' || n.name === 'saslauthd');
}
const HEADER_VAR = /^(?:b|r|l)?h(?:eader)?_|^(?:bheader|rheader|lheader)_/;
/** What HEADER_VAR needs at the start (`h`, or `b`/`r`/`l` then `h`): most variables fail this without the regex. */
function mayBeHeader(name: string): boolean {
  const c = name.charCodeAt(0);
  return c === 104 /* h */ || ((c === 98 /* b */ || c === 114 /* r */ || c === 108 /* l */) && name.charCodeAt(1) === 104);
}

/**
 * A node's place as offsets in the parsed string, turned into a Range of the file only
 * when read: rules read the range of a node only for a finding, and a large config has
 * tens of thousands of nodes (as plain Range objects, most of the model's memory).
 */
// Fields are `declare`d and set in the constructor: defined class fields (ES2022) cost a
// property definition each, which showed as a tenth of a whole check's time.
class At {
  declare protected readonly at: RangeOf;
  declare protected readonly a: number;
  declare protected readonly b: number;
  constructor(at: RangeOf, a: number, b: number) { this.at = at; this.a = a; this.b = b; }
  get range(): Range { return this.at(this.a, this.b); }
}
class Named extends At {
  declare private readonly na: number;
  declare private readonly nb: number;
  constructor(at: RangeOf, a: number, b: number, na: number, nb: number) { super(at, a, b); this.na = na; this.nb = nb; }
  get nameRange(): Range { return this.at(this.na, this.nb); }
}
/** Its text is cut from the parsed string when read: rules rarely read it, and most nodes are text. */
class TextNode extends At {
  declare readonly kind: 'text' | 'escape' | 'literal';
  declare private readonly src: string;
  constructor(kind: 'text' | 'escape' | 'literal', src: string, at: RangeOf, a: number, b: number) { super(at, a, b); this.kind = kind; this.src = src; }
  /** As written; a literal without its `\N` delimiters (one that runs to the end has no closing one). */
  get text(): string {
    if (this.kind !== 'literal') return this.src.slice(this.a, this.b);
    return this.src.slice(this.a + 2, this.b - 2 >= this.a + 2 && this.src.startsWith('\\N', this.b - 2) ? this.b - 2 : this.b);
  }
}
class ErrorNode extends At {
  declare readonly kind: 'error';
  declare readonly message: string;
  declare readonly deep: 'crash' | 'unchecked' | undefined;
  constructor(message: string, at: RangeOf, a: number, b: number, deep?: 'crash' | 'unchecked') {
    super(at, a, b); this.kind = 'error'; this.message = message; this.deep = deep;
  }
}
class VariableNode extends Named {
  declare readonly kind: 'variable';
  declare readonly name: string;
  declare readonly braced: boolean;
  constructor(name: string, braced: boolean, at: RangeOf, a: number, b: number, na: number, nb: number) {
    super(at, a, b, na, nb); this.kind = 'variable'; this.name = name; this.braced = braced;
  }
}
class ItemNode extends Named {
  declare readonly kind: 'item';
  declare readonly name: string;
  declare readonly args: ExpansionNode[][];
  declare readonly options: string | undefined;
  declare readonly argsBefore: number | undefined;
  /** [oa, ob) is the first word between the arguments; oa is -1 when there is none. */
  declare private readonly oa: number;
  declare private readonly ob: number;
  constructor(name: string, args: ExpansionNode[][], options: Words | undefined, at: RangeOf, a: number, b: number, na: number, nb: number) {
    super(at, a, b, na, nb); this.kind = 'item'; this.name = name; this.args = args;
    this.options = !options ? undefined : options.words.length === 1 ? options.words[0] : options.words.join(' ');
    this.oa = options ? options.oa : -1; this.ob = options ? options.ob : -1;
    this.argsBefore = options?.argsBefore;
  }
  /** Where the first word between the arguments is (a lookup's type), if any. */
  get optionRange(): Range | undefined {
    return this.oa < 0 ? undefined : this.at(this.oa, this.ob);
  }
}

/** The words between an item's arguments, and where the first one is; made with the first (most items have none). */
class Words {
  declare readonly words: string[];
  declare readonly oa: number;
  declare readonly ob: number;
  /** How many {arguments} came before the first word (a lookup's key: 1, a query-style lookup: 0). */
  declare readonly argsBefore: number;
  constructor(s: string, a: number, b: number, argsBefore: number) { this.words = [s.slice(a, b)]; this.oa = a; this.ob = b; this.argsBefore = argsBefore; }
  static add(to: Words | undefined, s: string, a: number, b: number, argsBefore: number): Words {
    if (!to) return new Words(s, a, b, argsBefore);
    to.words.push(s.slice(a, b));
    return to;
  }
}
class OperatorNode extends Named {
  declare readonly kind: 'operator';
  declare readonly name: string;
  declare readonly arg: ExpansionNode[];
  constructor(name: string, arg: ExpansionNode[], at: RangeOf, a: number, b: number, na: number, nb: number) {
    super(at, a, b, na, nb); this.kind = 'operator'; this.name = name; this.arg = arg;
  }
}
class ConditionNode extends Named {
  declare readonly kind: 'condition';
  declare readonly name: string;
  declare readonly negated: boolean;
  declare readonly args: ExpansionNode[][];
  constructor(name: string, negated: boolean, args: ExpansionNode[][], at: RangeOf, a: number, b: number, na: number, nb: number) {
    super(at, a, b, na, nb); this.kind = 'condition'; this.name = name; this.negated = negated; this.args = args;
  }
}

/**
 * Recursion bound, in items and conditions: below this the text is only scanned for its
 * braces (so what follows is still parsed), not parsed. A third of what node's default
 * stack takes: each `${lc:` costs the parser some 600 bytes of it, more before V8 optimises.
 */
const MAX_DEPTH = 500;
/**
 * Exim expands each nested item and condition by recursion on its C stack and has no limit
 * of its own: Exim 4.96 with the usual 8 MB stack crashed (SIGSEGV) at about 2200 nested
 * `${if and{{eq{...`, 2700 `${if eq{..}{..}{...` and 3600 `${lc:`, and expanded 2000 of each.
 */
const EXIM_CRASH_LEVELS = 2000;

class ExpansionParser {
  private i = 0;
  /** Items and conditions open around the current position (the recursion depth). */
  private depth = 0;
  /** Of those, the `${` items. */
  private items = 0;
  constructor(private readonly s: string, private readonly rangeOf: RangeOf) {}

  parse(): ExpansionNode[] {
    return this.seq(false);
  }

  private err(message: string, a: number, b: number): ExpansionNode {
    return new ErrorNode(message, this.rangeOf, a, b);
  }

  /** A sequence of text, escapes, variables and items; stops before `}` when inArg. */
  private seq(inArg: boolean): ExpansionNode[] {
    const s = this.s;
    // Made with its first node: most sequences hold one or two, and [] grown by push reserves 16.
    let out: ExpansionNode[] | undefined;
    let textStart = this.i;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 125 /* } */ && inArg) break;
      if (c === 92 /* \ */ || c === 36 /* $ */) {
        if (this.i > textStart) {
          const t = new TextNode('text', s, this.rangeOf, textStart, this.i);
          if (out) out.push(t); else out = [t];
        }
        const n = c === 92 ? this.escape() : this.dollar();
        if (out) out.push(n); else out = [n];
        textStart = this.i;
      } else {
        this.i++;
      }
    }
    if (this.i > textStart) {
      const t = new TextNode('text', s, this.rangeOf, textStart, this.i);
      if (out) out.push(t); else out = [t];
    }
    return out ?? [];
  }

  private escape(): ExpansionNode {
    const s = this.s;
    const a = this.i;
    if (s.charCodeAt(a + 1) === 78 /* N */) {
      const end = s.indexOf('\\N', a + 2);
      if (end < 0) {
        this.i = s.length;
        // Outside any item Exim takes the rest literally and the expansion succeeds; inside
        // one, the rest swallows the braces that close it.
        if (this.depth === 0) return new TextNode('literal', s, this.rangeOf, a, s.length);
        return this.err('\\N has no closing \\N; everything to the end is taken literally.', a, s.length);
      }
      this.i = end + 2;
      return new TextNode('literal', s, this.rangeOf, a, this.i);
    }
    let j = a + 1;
    if (j >= s.length) {
      this.i = j;
      return new TextNode('escape', s, this.rangeOf, a, j);
    }
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 55) {
      j++;
      for (let k = 0; k < 2 && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 55; k++) j++;
    } else if (c === 120 /* x */) {
      j++;
      for (let k = 0; k < 2 && /[0-9a-fA-F]/.test(s[j] ?? ''); k++) j++;
    } else j++;
    this.i = j;
    return new TextNode('escape', s, this.rangeOf, a, j);
  }

  /** `dash`: after `${` Exim's read_name also takes `-` (past the first character), for `${substr_-1_1:...}`. */
  private readName(dash = false): string {
    const s = this.s;
    const a = this.i;
    for (; this.i < s.length; this.i++) {
      const c = s.charCodeAt(this.i);
      if (!isNameChar(c) && !(dash && c === 45 /* - */ && this.i > a)) break;
    }
    return s.slice(a, this.i);
  }

  private dollar(): ExpansionNode {
    const s = this.s;
    const a = this.i;
    this.i++;
    if (this.i < s.length && s.charCodeAt(this.i) === 123 /* { */) return this.braced(a);
    const nameStart = this.i;
    const name = this.readName();
    if (!name) {
      return this.err(this.i >= s.length
        ? '"$" at the end of the string; write \\$ for a literal dollar.'
        : `"$" must be followed by a variable name or "{"; write \\$ for a literal dollar.`, a, this.i);
    }
    if (mayBeHeader(name) && HEADER_VAR.test(name)) {
      // `$h_Subject:` — the header name runs to a colon.
      while (this.i < s.length && s[this.i] !== ':' && !isSpace(s.charCodeAt(this.i))) this.i++;
      // Read within the string (past its end the read deoptimised seq, which inlines this).
      if (this.i < s.length && s.charCodeAt(this.i) === 58 /* : */) this.i++;
      const full = s.slice(nameStart, this.i);
      return new VariableNode(full, false, this.rangeOf, a, this.i, nameStart, this.i);
    }
    return new VariableNode(name, false, this.rangeOf, a, this.i, nameStart, this.i);
  }

  private unterminated(a: number, what: string): ExpansionNode {
    this.i = this.s.length;
    return this.err(`${what} is not closed: a "}" is missing.`, a, this.s.length);
  }

  /** After `${`: a variable, an operator, an item, or `if`. `a` is the `$`. */
  private braced(a: number): ExpansionNode {
    const s = this.s;
    this.i++; // {
    if (this.depth >= MAX_DEPTH) return this.tooDeep(a, 1 + this.skipBalanced());
    this.depth++;
    this.items++;
    try {
      const nameStart = this.i;
      // No header variables here: Exim reads `${h_2_3:...}` as the `h` (hash) operator, and
      // `${h_subject:}` fails as one.
      const name = this.readName(true);
      const nameEnd = this.i;
      if (!name) {
        if (this.i >= s.length) return this.unterminated(a, '"${"');
        // Skip to the matching brace so the rest of the string is still checked.
        this.skipBalanced();
        return this.err('"${" must be followed by a name (variable, item or operator).', a, this.i);
      }
      const c = s.charCodeAt(this.i);
      if (c === 125 /* } */) {
        this.i++;
        return new VariableNode(name, true, this.rangeOf, a, this.i, nameStart, nameEnd);
      }
      if (c === 58 /* : */) {
        this.i++;
        const arg = this.seq(true);
        if (this.i >= s.length) return this.unterminated(a, `"\${${name}:"`);
        this.i++;
        return new OperatorNode(name, arg, this.rangeOf, a, this.i, nameStart, nameEnd);
      }
      if (name === 'if') return this.ifItem(a, nameStart, nameEnd);
      return this.item(a, name, nameStart, nameEnd);
    } finally {
      this.depth--;
      this.items--;
    }
  }

  /**
   * Moves past the `}` that closes the current brace level (or to the end), without
   * recursion, and says how many `${` deep the skipped text goes.
   */
  private skipBalanced(): number {
    const s = this.s;
    // For each brace open below the start: whether it is the brace of a `${`.
    const open: boolean[] = [];
    let items = 0, most = 0, dollar = false;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i++);
      const item = dollar;
      dollar = c === 36 /* $ */;
      if (c === 92 /* \ */) {
        // An escaped character, or \N...\N taken as it stands.
        if (s.charCodeAt(this.i) !== 78 /* N */) this.i++;
        else {
          const end = s.indexOf('\\N', this.i + 1);
          this.i = end < 0 ? s.length : end + 2;
        }
      } else if (c === 123 /* { */) {
        open.push(item);
        if (item && ++items > most) most = items;
      } else if (c === 125 /* } */) {
        if (!open.length) break;
        if (open.pop()) items--;
      }
    }
    return most;
  }

  /**
   * An item or condition at the recursion bound, which ends at `this.i`; `below` is how
   * many `${` deep it goes. Deep enough to crash Exim is worth a warning; otherwise it is
   * only unchecked.
   */
  private tooDeep(a: number, below: number): ExpansionNode {
    const levels = this.items + below;
    if (levels > EXIM_CRASH_LEVELS) {
      return new ErrorNode(`Expansion nested ${levels} levels deep: Exim expands each level by recursion on its stack and may crash (with the usual 8 MB stack, Exim 4.96 crashed from about 2200 levels of \${if} with conditions, and 3600 of plain operators). Nest it less deeply.`,
        this.rangeOf, a, this.i, 'crash');
    }
    return new ErrorNode(`Expansion nested more than ${MAX_DEPTH} items and conditions deep: what is inside here is not checked.`, this.rangeOf, a, this.i, 'unchecked');
  }

  private skipSpace(): void {
    while (this.i < this.s.length && isSpace(this.s.charCodeAt(this.i))) this.i++;
  }

  /** `{...}` argument at the current position; undefined when there is none. */
  private arg(): ExpansionNode[] | undefined {
    if (this.s[this.i] !== '{') return undefined;
    this.i++;
    const nodes = this.seq(true);
    if (this.i < this.s.length) this.i++;
    return nodes;
  }

  private item(a: number, name: string, nameStart: number, nameEnd: number): ExpansionNode {
    const s = this.s;
    const args: ExpansionNode[][] = [];
    let options: Words | undefined;
    let misplaced: ExpansionNode | undefined;
    for (;;) {
      this.skipSpace();
      if (this.i >= s.length) return this.unterminated(a, `"\${${name}"`);
      const ch = s[this.i];
      if (ch === '}') { this.i++; break; }
      if (ch === '{' && name === 'filter' && args.length === 1) {
        // filter's second argument is a condition, read as ${if reads one (expand.c calls
        // eval_condition there): `${filter{a:b}{eq{$item}{a}}}`.
        this.i++;
        const cond = this.condition();
        this.skipSpace();
        if (this.i >= s.length) {
          args.push([cond]);
          return this.unterminated(a, `The condition of "\${filter"`);
        }
        if (s[this.i] === '}') this.i++;
        else {
          // What follows a condition read as Exim reads it is a mistake; after one it does not
          // know, the rest of the braces is skipped unjudged (its name is the finding).
          const b = this.i;
          this.skipBalanced();
          args.push(knownShape(cond) ? [cond, this.err('Unexpected text after the condition of "${filter"; a "}" is expected.', b, this.i)] : [cond]);
          continue;
        }
        args.push([cond]);
        continue;
      }
      if (ch === '{') {
        this.i++;
        const nodes = this.seq(true);
        if (this.i >= s.length) {
          args.push(nodes);
          return this.unterminated(a, `An argument of "\${${name}"`);
        }
        this.i++;
        args.push(nodes);
        continue;
      }
      // Words between arguments: lookup types (`lsearch*@`), `fail`, `,options`.
      const w = this.i;
      while (this.i < s.length && !isSpace(s.charCodeAt(this.i)) && s[this.i] !== '{' && s[this.i] !== '}') {
        if (s[this.i] === '$') break;
        this.i++;
      }
      if (this.i === w) { // a `$` where a word or brace belongs
        const bad = this.dollar();
        options = Words.add(options, s, w, this.i, args.length);
        if (bad.kind === 'error') return bad;
        // Exim reads the words between arguments (a lookup type, `fail`) as names, never
        // expanded: `${lookup$local_part}` fails with "missing lookup type", `${tr$x{a}{b}{c}}`
        // with too few arguments. The item is still read to its end.
        misplaced ??= this.err(`"${s.slice(w, this.i)}" cannot stand between the arguments of "\${${name}": Exim reads only {arguments} and plain words (such as a lookup type) there.`, w, this.i);
        continue;
      }
      options = Words.add(options, s, w, this.i, args.length);
    }
    return misplaced ?? new ItemNode(name, args, options, this.rangeOf, a, this.i, nameStart, nameEnd);
  }

  private ifItem(a: number, nameStart: number, nameEnd: number): ExpansionNode {
    const s = this.s;
    const cond = this.condition();
    const args: ExpansionNode[][] = [[cond]];
    if (cond.kind === 'error' && this.i >= s.length) return cond;
    let options: Words | undefined;
    // Past the condition Exim takes a yes string, then a no string or the word "fail", each
    // in that order; anything else fails the expansion ("curly-bracket problem in
    // conditional yes/no parsing", "syntax error in "if" item - "fail" expected"). The
    // first such problem is kept, after the strings, when the condition was read as Exim
    // reads it.
    let strings = 0, fail = false;
    let bad: ExpansionNode | undefined;
    const check = knownShape(cond);
    for (;;) {
      this.skipSpace();
      if (this.i >= s.length) return this.unterminated(a, '"${if"');
      const ch = s[this.i];
      if (ch === '}') { this.i++; break; }
      if (ch === '{') {
        const b = this.i;
        args.push(this.arg()!);
        if (check && !bad && (strings === 2 || fail)) bad = this.err(`"\${if" takes at most two strings after its condition (yes, then no or "fail"); this is one more.`, b, this.i);
        strings++;
        if (this.i >= s.length && s[s.length - 1] !== '}') return this.unterminated(a, '"${if"');
        continue;
      }
      const w = this.i;
      while (this.i < s.length && !isSpace(s.charCodeAt(this.i)) && s[this.i] !== '{' && s[this.i] !== '}') this.i++;
      options = Words.add(options, s, w, this.i, args.length);
      const word = s.slice(w, this.i);
      if (check && !bad && (word !== 'fail' || strings !== 1 || fail)) {
        bad = this.err(word === 'fail' ? '"fail" stands in place of the no string of "${if", after the yes string: not here.'
          : `"${word}" cannot stand here: "\${if" takes its yes and no strings in braces, and only the word "fail" in place of the no string.`, w, this.i);
      }
      if (word === 'fail') fail = true;
    }
    if (bad) args.push([bad]);
    return new ItemNode('if', args, options, this.rangeOf, a, this.i, nameStart, nameEnd);
  }

  /** One condition of `${if`, `and`/`or` or `forany`. */
  private condition(): ExpansionNode {
    const s = this.s;
    this.skipSpace();
    const a = this.i;
    let negated = false;
    while (s[this.i] === '!') {
      negated = !negated;
      this.i++;
      this.skipSpace();
    }
    const nameStart = this.i;
    let name: string;
    if (s[this.i] === '<' || s[this.i] === '>' || s[this.i] === '=') {
      while (s[this.i] === '<' || s[this.i] === '>' || s[this.i] === '=') this.i++;
      name = s.slice(nameStart, this.i);
    } else {
      name = this.readName();
    }
    const nameEnd = this.i;
    if (!name) {
      if (this.i >= s.length) return this.err('A condition is missing.', a, s.length);
      return this.err('A condition name is expected here.', a, Math.min(this.i + 1, s.length));
    }
    if (this.depth >= MAX_DEPTH) {
      // The condition's own word (def:NAME) and arguments, each skipped to its `}`.
      if (name === 'def' && s[this.i] === ':') while (this.i < s.length && !isSpace(s.charCodeAt(this.i)) && s[this.i] !== '{' && s[this.i] !== '}') this.i++;
      let below = 0;
      for (this.skipSpace(); s[this.i] === '{'; this.skipSpace()) {
        this.i++;
        below = Math.max(below, this.skipBalanced());
      }
      return this.tooDeep(a, below);
    }
    this.depth++;
    try {
      const args: ExpansionNode[][] = [];
      if (name === 'def' && s[this.i] !== ':') {
        return this.err('"def" must be followed at once by ":" and a variable name (def:h_subject: or def:sender_host_address).', nameStart, nameEnd);
      }
      if (name === 'def') {
        this.i++;
        const v = this.i;
        while (this.i < s.length && !isSpace(s.charCodeAt(this.i)) && s[this.i] !== '{' && s[this.i] !== '}') this.i++;
        args.push([new VariableNode(s.slice(v, this.i), false, this.rangeOf, v, this.i, v, this.i)]);
      } else if (name === 'and' || name === 'or') {
        this.skipSpace();
        if (s[this.i] !== '{') return this.err(`"${name}" must be followed by "{" and a list of {conditions}.`, a, this.i);
        this.i++;
        for (;;) {
          this.skipSpace();
          if (this.i >= s.length) return this.err(`The condition list of "${name}" is not closed: a "}" is missing.`, a, s.length);
          if (s[this.i] === '}') { this.i++; break; }
          if (s[this.i] !== '{') {
            const b = this.i;
            this.skipBalanced();
            args.push([this.err(`Each condition inside "${name}" must be in braces.`, b, this.i)]);
            break;
          }
          this.i++;
          const sub = this.condition();
          this.skipSpace();
          if (s[this.i] === '}') this.i++;
          else if (this.i < s.length && sub.kind !== 'error') {
            const b = this.i;
            this.skipBalanced();
            args.push([sub, this.err('Unexpected text after a condition; a "}" is expected.', b, this.i)]);
            continue;
          }
          args.push([sub]);
          if (this.i >= s.length) return this.err(`The condition list of "${name}" is not closed: a "}" is missing.`, a, s.length);
        }
      } else if (name === 'acl' || name === 'saslauthd') {
        this.skipSpace();
        if (s[this.i] === '{') {
          this.i++;
          for (;;) {
            this.skipSpace();
            if (this.i >= s.length) return this.err(`The arguments of "${name}" are not closed: a "}" is missing.`, a, s.length);
            if (s[this.i] === '}') { this.i++; break; }
            const b = this.i;
            const sub = this.arg();
            if (!sub) {
              // Exim: "too few arguments or bracketing error".
              this.skipBalanced();
              args.push([this.err(`"${name}" takes its arguments each in braces, all inside one more pair: ${name}{{first}{second}}.`, b, this.i)]);
              break;
            }
            args.push(sub);
          }
        }
      } else if (COND_OVER_LIST.has(name)) {
        this.skipSpace();
        const list = this.arg();
        if (list) args.push(list);
        this.skipSpace();
        if (s[this.i] === '{') {
          this.i++;
          const sub = this.condition();
          this.skipSpace();
          if (s[this.i] === '}') this.i++;
          args.push([sub]);
        }
      } else {
        const n = Object.hasOwn(COND_ARGS, name) ? COND_ARGS[name] : 1;
        for (let k = 0; k < n; k++) {
          this.skipSpace();
          const x = this.arg();
          if (!x) {
            // Exim's "missing { after "eq"" / "missing 2nd string in {} after "eq"": only
            // for the conditions whose count is known (an unknown name is the rules' finding).
            if (Object.hasOwn(COND_ARGS, name)) args.push([this.err(`The condition "${name}" takes ${n} {argument}${n > 1 ? 's' : ''}; ${k ? `only ${k} is` : 'none is'} given.`, nameStart, this.i)]);
            break;
          }
          args.push(x);
        }
      }
      return new ConditionNode(name, negated, args, this.rangeOf, a, this.i, nameStart, nameEnd);
    } finally {
      this.depth--;
    }
  }
}

export function parseExpansion(text: string, rangeOf: RangeOf): ExpansionNode[] {
  return new ExpansionParser(text, rangeOf).parse();
}

/** Every node of a tree, depth first (for rules that look for errors, variables, …). */
export function* walkExpansion(nodes: readonly ExpansionNode[]): Generator<ExpansionNode> {
  const stack: ExpansionNode[] = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    const kids: ExpansionNode[][] = n.kind === 'item' || n.kind === 'condition' ? n.args : n.kind === 'operator' ? [n.arg] : [];
    for (let k = kids.length - 1; k >= 0; k--) for (let j = kids[k].length - 1; j >= 0; j--) stack.push(kids[k][j]);
  }
}

