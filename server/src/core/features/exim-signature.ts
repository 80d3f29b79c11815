// Signature help for Exim's string expansions: which `{…}` argument of which item or
// condition the cursor is in. Read from the text before the cursor alone, the way Exim's
// expander reads it (a `}` ends an argument, a `{` in an argument's text is literal, `\`
// escapes one character and `\N…\N` protects a stretch), so it works on the half-typed
// line, which the model cannot parse yet.
import type { LineIndex, Position } from '../text';
import { eximContextAt, isComment, logicalStart } from './exim-context';
import type { SignatureEntry, SignatureHelpInfo } from './types';
import { CONDITION_FORMS, ITEM_FORMS, type SignatureForm } from './exim-signatures-data';
import { COND_ARGS, COND_OVER_LIST } from '../exim/expansion-parser';
import { CONDITION_DOCS, ITEM_DOCS } from './exim-descriptions-data';

/** An item, `${if`, or condition the cursor is inside, and how far into it. */
interface Frame {
  kind: 'item' | 'if' | 'cond';
  name: string;
  /** Arguments completed (for and/or/acl/saslauthd: the inner `{…}` completed). */
  done: number;
  /** `${if`: its condition has been read. */
  condDone: boolean;
  /** `${lookup`: a search type came before the first `{` (a query-style lookup). */
  query: boolean;
  /** The text of the first argument, once it is complete (extract's by-key or by-number form). */
  first: string | undefined;
}

const EOF = 1, DONE = 0;
/** Past this nesting the scan gives up and offers no help (Exim itself stops far sooner). */
const MAX_DEPTH = 64;
const NAME = /[A-Za-z0-9_-]/;
const COND_NAME = /[A-Za-z0-9_<>=]/;
const SPACE = /\s/;

/** A table's own entry: an item or condition may be named `constructor` or `toString`. */
function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Conditions whose one argument holds the rest in braces: conditions (and, or) or strings (acl, saslauthd). */
const GROUPED: ReadonlySet<string> = new Set(['and', 'or', 'acl', 'saslauthd']);

/** How many `{…}` a known condition takes, as the parser counts them. */
function conditionArgs(name: string): number | undefined {
  if (COND_OVER_LIST.has(name)) return 2;
  if (GROUPED.has(name)) return 1;
  return own(COND_ARGS, name);
}

class Scanner {
  pos = 0;
  readonly stack: Frame[] = [];
  /** Expansions open around the scan; past MAX_DEPTH it stops (as at the cursor) and `tooDeep` is set. */
  private depth = 0;
  tooDeep = false;
  /** Set when the text ends where a condition's name goes: what of the name is written. */
  conditionPrefix: string | undefined;
  constructor(private readonly s: string) {}

  private get eof(): boolean { return this.pos >= this.s.length; }
  private frame(kind: Frame['kind'], name: string): Frame {
    const f: Frame = { kind, name, done: 0, condDone: false, query: false, first: undefined };
    this.stack.push(f);
    return f;
  }

  /** Text, where `$` starts an expansion; with `inArg`, a `}` ends it. */
  text(inArg: boolean): number {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '\\') {
        if (s[this.pos + 1] === 'N') {
          const end = s.indexOf('\\N', this.pos + 2);
          if (end < 0) return EOF;
          this.pos = end + 2;
        } else this.pos += 2;
      } else if (c === '$') {
        this.pos++;
        if (++this.depth > MAX_DEPTH) { this.tooDeep = true; return EOF; }
        const r = this.dollar();
        this.depth--;
        if (r === EOF) return EOF;
      } else if (c === '}' && inArg) {
        this.pos++;
        return DONE;
      } else this.pos++;
    }
    return EOF;
  }

  /** After a `$`: a variable, `${name}`, an operator `${op:…}`, an item or `${if`. */
  private dollar(): number {
    const s = this.s;
    if (s[this.pos] !== '{') {
      while (this.pos < s.length && /\w/.test(s[this.pos])) this.pos++;
      return this.eof ? EOF : DONE;
    }
    this.pos++;
    const start = this.pos;
    while (this.pos < s.length && NAME.test(s[this.pos])) this.pos++;
    const name = s.slice(start, this.pos);
    if (this.eof) {
      if (name === 'if') this.frame('if', name);
      else if (own(ITEM_FORMS, name)) this.frame('item', name);
      return EOF;
    }
    const c = s[this.pos];
    if (c === ':') { this.pos++; return this.text(true); }
    if (c === '}') { this.pos++; return DONE; }
    return name === 'if' ? this.ifItem() : this.item(name);
  }

  /**
   * The `{…}` arguments of an item or `${if}`, up to its own closing `}`: `arg` reads each
   * one; `other` sees what stands between them (a lookup's type, `fail`).
   */
  private args(f: Frame, arg: () => number, other?: (c: string) => void): number {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '{') {
        const argStart = ++this.pos;
        if (arg() === EOF) return EOF;
        if (f.done === 0) f.first = s.slice(argStart, this.pos - 1);
        f.done++;
      } else if (c === '}') {
        this.pos++;
        this.stack.pop();
        return DONE;
      } else {
        other?.(c);
        this.pos++;
      }
    }
    return EOF;
  }

  private item(name: string): number {
    const f = this.frame('item', name);
    return this.args(f, () => name === 'filter' && f.done === 1 ? this.conditionThenClose() : this.text(true),
      (c) => { if (f.done === 0 && /[A-Za-z]/.test(c)) f.query = true; });
  }

  private ifItem(): number {
    const f = this.frame('if', 'if');
    if (this.condition() === EOF) return EOF;
    f.condDone = true;
    return this.args(f, () => this.text(true));
  }

  /** A condition: `[!]name`, then its arguments. */
  private condition(): number {
    const s = this.s;
    while (this.pos < s.length && (SPACE.test(s[this.pos]) || s[this.pos] === '!')) this.pos++;
    const start = this.pos;
    while (this.pos < s.length && COND_NAME.test(s[this.pos])) this.pos++;
    if (this.eof) { this.conditionPrefix = s.slice(start); return EOF; }
    const name = s.slice(start, this.pos);
    if (name === 'def' && s[this.pos] === ':') {
      this.pos++;
      while (this.pos < s.length && /[\w:-]/.test(s[this.pos])) this.pos++;
      return this.eof ? EOF : DONE;
    }
    const need = conditionArgs(name);
    if (need === undefined) return DONE;
    if (++this.depth > MAX_DEPTH) { this.tooDeep = true; return EOF; }
    const f = this.frame('cond', name);
    while (f.done < need) {
      while (this.pos < s.length && SPACE.test(s[this.pos])) this.pos++;
      if (this.eof) return EOF;
      if (s[this.pos] !== '{') break;
      this.pos++;
      const grouped = GROUPED.has(name);
      const r = grouped ? this.group(f, name === 'and' || name === 'or')
        : COND_OVER_LIST.has(name) && f.done === 1 ? this.conditionThenClose() : this.text(true);
      if (r === EOF) return EOF;
      // A group counts its own `{…}` (see group); its one argument is then read.
      if (grouped) break;
      f.done++;
    }
    this.depth--;
    this.stack.pop();
    return DONE;
  }

  /** Inside the one argument of and/or (conditions in braces) or acl/saslauthd (strings in braces). */
  private group(f: Frame, conditions: boolean): number {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '{') {
        this.pos++;
        if ((conditions ? this.conditionThenClose() : this.text(true)) === EOF) return EOF;
        f.done++;
      } else if (c === '}') {
        this.pos++;
        return DONE;
      } else this.pos++;
    }
    return EOF;
  }

  /** A condition in braces (and/or's, forall's, filter's), up to and past its `}`. */
  private conditionThenClose(): number {
    if (this.condition() === EOF) return EOF;
    return this.text(true);
  }
}

/** `${name{a}{b}}` (or a condition's `name {a}{b}`) with where each argument's name is in it. */
function render(prefix: string, form: SignatureForm, grouped: boolean, suffix: string): SignatureEntry {
  let label = prefix;
  const parameters: SignatureEntry['parameters'] = [];
  if (grouped) label += '{';
  form.params.forEach(([name, doc], i) => {
    if (form.lead && form.lead[0] === i) label += form.lead[1];
    label += '{';
    parameters.push({ label: [label.length, label.length + name.length], documentation: doc });
    label += name + '}';
  });
  if (grouped) label += '}';
  return { label: label + suffix, parameters };
}

function signatureOf(f: Frame): SignatureHelpInfo | undefined {
  if (f.kind === 'if') {
    const form: SignatureForm = { params: [['string1', 'The result when the condition is true ("true" when no strings are given).'], ['string2', 'The result when it is false (empty when omitted), or "fail".']] };
    const sig = render('${if condition ', form, false, '}');
    sig.parameters.unshift({ label: [5, 14], documentation: 'A condition: eq{a}{b}, match{s}{regex}, def:var, and{{…}{…}}, …; "!" before it negates.' });
    sig.documentation = ITEM_DOCS.if;
    return { signatures: [sig], activeSignature: 0, activeParameter: f.condDone ? Math.min(1 + f.done, 2) : 0 };
  }
  const forms = own(f.kind === 'item' ? ITEM_FORMS : CONDITION_FORMS, f.name);
  if (!forms) return undefined;
  const grouped = f.kind === 'cond' && GROUPED.has(f.name);
  const signatures = forms.map((form) => {
    const sig = f.kind === 'item' ? render('${' + f.name, form, false, '}') : render(f.name + ' ', form, grouped, '');
    const doc = own(f.kind === 'item' ? ITEM_DOCS : CONDITION_DOCS, f.name);
    if (doc) sig.documentation = doc;
    return sig;
  });
  let active = 0;
  if (f.name === 'lookup' && f.kind === 'item') active = f.query ? 1 : 0;
  else if (f.name === 'extract' && f.first !== undefined && /^\s*-?\d+\s*$/.test(f.first)) active = 1;
  const n = signatures[active].parameters.length;
  return { signatures, activeSignature: active, activeParameter: Math.min(f.done, n - 1) };
}

/**
 * When `before` (a logical line up to the cursor) ends where an expansion condition's name
 * goes (`${if `, `${if !ma`, `and{{eq{a}{b}}{ma`, forall's second argument), the part of the
 * name written so far; otherwise undefined.
 */
export function conditionPrefixAt(before: string): string | undefined {
  if (!before.includes('$')) return undefined;
  const sc = new Scanner(before);
  sc.text(false);
  return sc.tooDeep ? undefined : sc.conditionPrefix;
}

/** How an item or condition is written, each of its forms (`${substr{start}{length}{string}}`), for hover. */
export function expansionForms(kind: 'item' | 'condition', name: string): string[] {
  const f: Frame = { kind: kind === 'item' ? 'item' : 'cond', name, done: 0, condDone: false, query: false, first: undefined };
  if (kind === 'item' && name === 'if') f.kind = 'if';
  return signatureOf(f)?.signatures.map((s) => s.label) ?? [];
}

/** Signature help at `p` in an Exim config, or undefined outside any item or condition. */
export function eximSignatureHelp(lines: LineIndex, p: Position, file: string): SignatureHelpInfo | undefined {
  const line = Math.max(0, Math.min(p.line, lines.lineCount - 1));
  if (isComment(lines.lineText(logicalStart(lines, line)))) return undefined;
  const before = eximContextAt(lines, p, file).before;
  if (!before.includes('$')) return undefined;
  const sc = new Scanner(before);
  if (sc.text(false) !== EOF || sc.tooDeep) return undefined;
  for (let i = sc.stack.length - 1; i >= 0; i--) {
    const sig = signatureOf(sc.stack[i]);
    if (sig) return sig;
  }
  return undefined;
}
