// Where the lines of an included file belong: the text of the file alone cannot say (it has
// no `begin` line), but the model knows every `.include` and where it is, so the context
// of the including line — recursively, for an include inside an include — is inherited.
import * as path from 'node:path';
import type { EximConfig as EximModel, DriverInstance } from '../exim/model';
import type { LineIndex, Position } from '../text';
import { eximContextAt, type EximContext, type OuterContext } from './exim-context';
import { skippedLinesOf } from '../exim/parser';

/** Per model (never changed once built), the context each included file starts in. */
const outerCache = new WeakMap<EximModel, Map<string, OuterContext | undefined>>();

export function outerContext(m: EximModel | undefined, file: string, depth = 0): OuterContext | undefined {
  if (!m) return undefined;
  const abs = path.resolve(file);
  let cache = outerCache.get(m);
  if (!cache) outerCache.set(m, cache = new Map());
  if (cache.has(abs)) return cache.get(abs);
  cache.set(abs, undefined); // an include cycle ends here (the parser reports it)
  let out: OuterContext | undefined;
  const inc = depth < 50 ? m.includes.find((i) => i.found && path.resolve(i.resolved) === abs) : undefined;
  const parent = inc && m.files.get(inc.loc.file);
  if (inc && parent) {
    const at = inc.loc.range.start.line;
    const ctx = withModelDriver(m, eximContextAt(parent.lines, { line: at, character: 0 }, inc.loc.file, outerContext(m, inc.loc.file, depth + 1)));
    out = { section: ctx.section };
    if (ctx.instance) out.instance = ctx.instance;
    if (ctx.driver) out.driver = ctx.driver;
    if (ctx.aclVerb) out.aclVerb = ctx.aclVerb;
  }
  cache.set(abs, out);
  return out;
}

/** The instance's driver from the model when the text does not show it (it is in another file). */
function withModelDriver(m: EximModel | undefined, ctx: EximContext): EximContext {
  if (!m || !ctx.instance || ctx.driver) return ctx;
  const list: DriverInstance[] | undefined = ctx.section === 'routers' ? m.routers : ctx.section === 'transports' ? m.transports : ctx.section === 'authenticators' ? m.authenticators : undefined;
  const driver = list?.find((i) => i.name === ctx.instance!.name)?.driver;
  if (driver) ctx.driver = driver;
  return ctx;
}

/** Per model, the lines of each file a false `.ifdef` leaves out. */
const skippedCache = new WeakMap<EximModel, Map<string, Set<number>>>();

function skippedLines(m: EximModel, file: string): ReadonlySet<number> | undefined {
  let byFile = skippedCache.get(m);
  if (!byFile) {
    skippedCache.set(m, byFile = new Map());
    for (const s of skippedLinesOf(m)) {
      const f = path.resolve(s.file);
      let set = byFile.get(f);
      if (!set) byFile.set(f, set = new Set());
      set.add(s.line);
    }
  }
  return byFile.get(path.resolve(file));
}

/** The cursor's context in an Exim file, with what the model adds for included files and the lines it leaves out. */
export function contextAt(lines: LineIndex, p: Position, file: string, m: EximModel | undefined): EximContext {
  return withModelDriver(m, eximContextAt(lines, p, file, outerContext(m, file), m && ((name) => m.macros.get(name)?.value.trim() === ''), m && skippedLines(m, file)));
}
