// `${eval:...}` and `${eval10:...}` as expand.c reads them (Exim 4.96: eval_expr and the
// eval_op_* levels), to say whether an expression written out fails and why. Numbers are
// 64-bit and wrap as the C does on this machine; a number is read by sscanf's %lli (0x hex,
// leading-0 octal, and "0x" alone is 0) or, for eval10, %lld, then one k, m or g multiplies
// it. Levels, loosest first: | ^ & (<< >>) (+ -) (* / %) unary (+ - ~). Whitespace is skipped
// before a term, after a number and after ")", nowhere else ("1< <2" fails).

const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);
const HALF = MAX / 2n;
const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);
const HEX = /[0-9a-fA-F]*/y, OCTAL = /[0-7]*/y, DECIMAL = /\d*/y;
/** Past this many open levels (parentheses, unary signs) the expression is not judged: no stack is spent on it. */
const MAX_DEPTH = 200;
class TooDeep extends Error {}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

class Reader {
  i = 0;
  error: string | undefined;
  private depth = 0;
  constructor(readonly s: string, readonly decimal: boolean) {}

  skipSpace(): void { while (isSpace(this.s[this.i])) this.i++; }

  expr(endket: boolean): bigint {
    const x = this.or();
    if (this.error) return x;
    if (endket) {
      if (this.s[this.i] !== ')') this.error = 'expecting closing parenthesis';
      else { this.i++; this.skipSpace(); }
    } else if (this.i < this.s.length) this.error = 'expecting operator';
    return x;
  }

  /** The run of characters `re` (sticky) matches from here, read past. */
  private digits(re: RegExp): string {
    re.lastIndex = this.i;
    const t = re.exec(this.s)?.[0] ?? '';
    this.i += t.length;
    return t;
  }

  /** sscanf's reading of one number, clamped to 64 bits as strtoll clamps. */
  private scan(): bigint {
    let v: bigint;
    if (!this.decimal && this.s[this.i] === '0' && (this.s[this.i + 1] === 'x' || this.s[this.i + 1] === 'X')) {
      this.i += 2;
      const h = this.digits(HEX);
      v = h ? BigInt('0x' + h) : 0n;
    } else if (!this.decimal && this.s[this.i] === '0') v = BigInt('0o' + this.digits(OCTAL));
    else v = BigInt(this.digits(DECIMAL));
    return v > MAX ? MAX : v;
  }

  private number(): bigint {
    this.skipSpace();
    const c = this.s[this.i];
    if (isDigit(c)) {
      let n = this.scan();
      const unit = (this.s[this.i] ?? '').toLowerCase();
      const mult = unit === 'k' ? 1024n : unit === 'm' ? 1024n ** 2n : unit === 'g' ? 1024n ** 3n : 0n;
      if (mult) { n = wrap(n * mult); this.i++; }
      this.skipSpace();
      return n;
    }
    if (c === '(') {
      this.i++;
      if (++this.depth > MAX_DEPTH) throw new TooDeep();
      const x = this.expr(true);
      this.depth--;
      return x;
    }
    this.error = 'expecting number or opening parenthesis';
    return 0n;
  }

  private unary(): bigint {
    this.skipSpace();
    const op = this.s[this.i];
    if (op === '+' || op === '-' || op === '~') {
      this.i++;
      if (++this.depth > MAX_DEPTH) throw new TooDeep();
      const x = this.unary();
      this.depth--;
      return op === '-' ? wrap(-x) : op === '~' ? wrap(~x) : x;
    }
    return this.number();
  }

  private mult(): bigint {
    let x = this.unary();
    while (!this.error && (this.s[this.i] === '*' || this.s[this.i] === '/' || this.s[this.i] === '%')) {
      const op = this.s[this.i++];
      const y = this.unary();
      if (this.error) break;
      if (y === -1n && x === MIN && op !== '*') { x = MAX; continue; }
      if (op === '*') x = wrap(x * y);
      else if (y === 0n) { this.error = op === '/' ? 'divide by zero' : 'modulo by zero'; return 0n; }
      else x = op === '/' ? x / y : x % y;
    }
    return x;
  }

  private sum(): bigint {
    let x = this.mult();
    while (!this.error && (this.s[this.i] === '+' || this.s[this.i] === '-')) {
      const op = this.s[this.i++];
      const y = this.mult();
      if (this.error) break;
      // expand.c's check, as written: it tests x twice, so any x from half the range up fails.
      if (x >= HALF || (x <= -HALF && y <= -HALF)) { this.error = op === '+' ? 'overflow in sum' : 'overflow in difference'; break; }
      x = wrap(op === '+' ? x + y : x - y);
    }
    return x;
  }

  private shift(): bigint {
    let x = this.sum();
    while (!this.error && (this.s[this.i] === '<' || this.s[this.i] === '>') && this.s[this.i + 1] === this.s[this.i]) {
      const op = this.s[this.i];
      this.i += 2;
      const y = this.sum();
      if (this.error) break;
      // The machine's shift uses the count's low six bits (1<<70 is 64 with Exim 4.96).
      const by = BigInt.asUintN(6, y);
      x = op === '<' ? wrap(x << by) : x >> by;
    }
    return x;
  }

  private level(next: () => bigint, op: string, apply: (x: bigint, y: bigint) => bigint): bigint {
    let x = next();
    while (!this.error && this.s[this.i] === op) {
      this.i++;
      const y = next();
      if (this.error) break;
      x = apply(x, y);
    }
    return x;
  }

  private and(): bigint { return this.level(() => this.shift(), '&', (x, y) => x & y); }
  private xor(): bigint { return this.level(() => this.and(), '^', (x, y) => x ^ y); }
  private or(): bigint { return this.level(() => this.xor(), '|', (x, y) => x | y); }
}

export type EvalResult = { value: bigint } | { error: string; after: string };

/**
 * What `${eval:text}` (or, with `decimal`, `${eval10:text}`) gives: its number, or Exim's
 * error and the text read before it; undefined when nested too deep to judge.
 */
export function evalExpression(text: string, decimal: boolean): EvalResult | undefined {
  const r = new Reader(text, decimal);
  try {
    const value = r.expr(false);
    return r.error ? { error: r.error, after: text.slice(0, r.i) } : { value };
  } catch (e) {
    if (e instanceof TooDeep) return undefined;
    throw e;
  }
}
