// link/router-shadowed: an earlier router certainly takes mail for a domain the Cyrus
// router is there for, so that mail never reaches Cyrus.
import * as path from 'node:path';
import type { Finding, TextEdit } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import type { LinkContext } from './context';
import { boolOption, fileLines, option } from './context';
import { conditionals, macrosDefined, textEnd, textStart, within } from './router-text';
import { fix, insertAt } from './edits';
import { cyrusRouters, driverAlwaysTakes, routerDomains, routerTakes } from './routing';

export function checkShadowed(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  const cyrus = cyrusRouters(ctx);
  const cyrusSet = new Set(cyrus.map((c) => c.router));
  // Without primary_hostname, `@` is the machine's name, known only where Exim runs. A
  // router that takes a Cyrus domain unless that domain is the machine's name is reported
  // as a warning that says so.
  const guess: LinkContext | undefined = ctx.primaryHostname === undefined ? { ...ctx, otherHostname: true } : undefined;
  for (const { router: c } of cyrus) {
    const byShadow = new Map<DriverInstance, { domains: string[]; unlessHostname: string[] }>();
    // A Cyrus router without `domains` is a catch-all: which domains it is meant for is not
    // written anywhere, so there is nothing certain to compare.
    for (const d of routerDomains(ctx, c) ?? []) {
      let r = shadowing(ctx, cyrusSet, c, d);
      const sure = r !== undefined;
      if (!r && guess) r = shadowing(guess, cyrusSet, c, d);
      if (!r) continue;
      const s = byShadow.get(r) ?? { domains: [], unlessHostname: [] };
      s.domains.push(d);
      if (!sure) s.unlessHostname.push(d);
      byShadow.set(r, s);
    }
    for (const [r, { domains, unlessHostname }] of byShadow) {
      const rd = option(r, 'domains');
      const rel = rd?.valueLoc ?? r.nameLoc;
      const move = moveBefore(ctx, c, r);
      const rename = c.loc.file !== r.loc.file ? renameHint(ctx, c, r) : undefined;
      const unless = unlessHostname.length
        ? `, unless ${unlessHostname.length > 1 ? `one of ${unlessHostname.join(', ')}` : unlessHostname[0]} is this machine's own name (primary_hostname is not set, so Exim uses the machine's name, and @ in a domain list stands for it)`
        : '';
      out.push(finding('link/router-shadowed', c.nameLoc.file, c.nameLoc.range,
        `Router ${r.name} comes before ${c.name} and takes mail for ${domains.join(', ')} (its ${rd ? `domains list matches ${domains.length > 1 ? 'them' : 'it'}` : `preconditions do not exclude ${domains.length > 1 ? 'them' : 'it'}`}${boolOption(r, 'more', true) === false && !driverAlwaysTakes(r) ? '; what it does not take fails there, as it has no_more' : ''})${unless}, so that mail never reaches Cyrus. ${rename ?? `Move ${c.name} before ${r.name}`}, or exclude the Cyrus domains from ${r.name}.`,
        {
          ...(unlessHostname.length === domains.length ? { severity: 'warning' as const } : {}),
          related: [{ file: rel.file, range: rel.range, message: `router ${r.name} (${(r.driver ?? '').trim()}) takes ${domains.join(', ')} first` }],
          ...(move ? { fixes: [fix(`Move router ${c.name} before ${r.name}${move.above ? ` (above ${move.above})` : ''}`, move.edits, true)] } : {}),
        }));
    }
  }
  return out;
}

/** The router before Cyrus router `c` that certainly takes mail for `d`, if any. */
function shadowing(ctx: LinkContext, cyrusSet: Set<DriverInstance>, c: DriverInstance, d: string): DriverInstance | undefined {
  for (const r of ctx.cfg.routers ?? []) {
    if (r.order >= c.order || r === c) break;
    const t = routerTakes(ctx, r, d);
    // Another router to Cyrus first is not a loss.
    if (cyrusSet.has(r) && t !== 'no') return undefined;
    if (t === 'yes') return r;
  }
  return undefined;
}

/**
 * Cuts router `c` (with its comments) and puts it before router `r`, under the same
 * `.ifdef` blocks as before: when `r` is in a block `c` is not in, before that block's
 * `.ifdef` (and the comments above it), else `c` would exist only when `r` does. No fix
 * when `c` would have to leave a block of its own, when the two are in different files,
 * or when the text around them cannot be read safely.
 */
function moveBefore(ctx: LinkContext, c: DriverInstance, r: DriverInstance): { edits: TextEdit[]; above?: string } | undefined {
  const file = c.loc.file;
  const lines = fileLines(ctx, file);
  if (!lines || r.loc.file !== file) return undefined;
  const cond = conditionals(lines);
  if (cond.unbalanced) return undefined;
  const header = c.loc.range.start.line;
  const home = cond.before[header];
  const from = textStart(lines, header);
  const end = textEnd(lines, cond, header, c.loc.range.end.line);
  if (end === undefined) return undefined;
  // Every line of the router stays in its own blocks.
  for (let l = from; l <= end; l++) if (!within(cond.before[l], home)) return undefined;
  if (cond.before[end].length !== home.length) return undefined;
  const rHeader = r.loc.range.start.line;
  const around = cond.before[rHeader];
  if (!within(around, home)) return undefined;
  const at = around.length > home.length ? textStart(lines, around[home.length].open) : textStart(lines, rHeader);
  const begin = ctx.cfg.sections?.find((sct) => sct.name === 'routers' && sct.loc.file === file)?.loc.range.start.line;
  if ((begin !== undefined && at <= begin) || at >= from) return undefined;
  // A macro defined between the new place and the old is not yet defined at the new one.
  const text = Array.from({ length: end - from }, (_, k) => lines.lineText(from + k));
  const body = text.join('\n');
  const defined = macrosDefined(lines, at, from);
  if (!defined || defined.some((m) => body.includes(m))) return undefined;
  const eol = /\r\n/.test(lines.text) ? '\r\n' : '\n';
  // Take one blank line along, so the gaps between routers stay as they were.
  let to = end;
  if (to < lines.lineCount - 1 && lines.lineText(to).trim() === '') to++;
  const cut: TextEdit = to < lines.lineCount
    ? { file, range: { start: { line: from, character: 0 }, end: { line: to, character: 0 } }, newText: '' }
    : { file, range: { start: { line: from, character: 0 }, end: { line: lines.lineCount - 1, character: lines.lineText(lines.lineCount - 1).length } }, newText: '' };
  const edits = [insertAt(file, at, 0, text.join(eol) + eol + eol), cut];
  return around.length > home.length ? { edits, above: lines.lineText(around[home.length].open).trim() } : { edits };
}

/**
 * In Debian's conf.d the order of routers in different files is the order of the files'
 * names (update-exim4.conf joins them sorted): renaming is the fix, not moving text
 * between files. A name is suggested from `r`'s number, one less at the same width.
 */
function renameHint(ctx: LinkContext, c: DriverInstance, r: DriverInstance): string | undefined {
  const dir = path.dirname(c.loc.file);
  if (path.dirname(r.loc.file) !== dir || path.basename(dir) !== 'router' || path.resolve(path.dirname(dir)) !== path.resolve(ctx.cfg.root)) return undefined;
  const mine = path.basename(c.loc.file), theirs = path.basename(r.loc.file);
  const n = /^(\d+)/.exec(theirs)?.[1];
  const rest = mine.replace(/^\d+_?/, '') || mine;
  const name = n && Number(n) > 0 ? `${String(Number(n) - 1).padStart(n.length, '0')}_${rest}` : undefined;
  return `${c.name} is in router/${mine} and ${r.name} in router/${theirs}, and update-exim4.conf joins conf.d's router files in name order: rename ${mine} to a name that sorts before ${theirs}${name ? ` (such as ${name})` : ''}`;
}
