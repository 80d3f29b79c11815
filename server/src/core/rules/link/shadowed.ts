// link/router-shadowed: an earlier router certainly takes mail for a domain the Cyrus
// router is there for, so that mail never reaches Cyrus.
import type { Finding, TextEdit } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import type { LinkContext } from './context';
import { boolOption, fileLines, option } from './context';
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
      const unless = unlessHostname.length
        ? `, unless ${unlessHostname.length > 1 ? `one of ${unlessHostname.join(', ')}` : unlessHostname[0]} is this machine's own name (primary_hostname is not set, so Exim uses the machine's name, and @ in a domain list stands for it)`
        : '';
      out.push(finding('link/router-shadowed', c.nameLoc.file, c.nameLoc.range,
        `Router ${r.name} comes before ${c.name} and takes mail for ${domains.join(', ')} (its ${rd ? `domains list matches ${domains.length > 1 ? 'them' : 'it'}` : `preconditions do not exclude ${domains.length > 1 ? 'them' : 'it'}`}${boolOption(r, 'more', true) === false && !driverAlwaysTakes(r) ? '; what it does not take fails there, as it has no_more' : ''})${unless}, so that mail never reaches Cyrus. Move ${c.name} before ${r.name}, or exclude the Cyrus domains from ${r.name}.`,
        {
          ...(unlessHostname.length === domains.length ? { severity: 'warning' as const } : {}),
          related: [{ file: rel.file, range: rel.range, message: `router ${r.name} (${(r.driver ?? '').trim()}) takes ${domains.join(', ')} first` }],
          ...(move ? { fixes: [fix(`Move router ${c.name} before ${r.name}`, move, true)] } : {}),
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

/** First line of a driver including the comment lines right above its header. */
function blockStart(ctx: LinkContext, d: DriverInstance): number {
  const lines = fileLines(ctx, d.loc.file);
  let line = d.loc.range.start.line;
  while (lines && line > 0 && /^\s*#/.test(lines.lineText(line - 1))) line--;
  return line;
}

/** Cuts router `c` (with its comments) and puts it just before router `r`. */
function moveBefore(ctx: LinkContext, c: DriverInstance, r: DriverInstance): TextEdit[] | undefined {
  const lines = fileLines(ctx, c.loc.file);
  if (!lines || !fileLines(ctx, r.loc.file)) return undefined;
  const from = blockStart(ctx, c);
  let to = c.loc.range.end.line + 1;
  // Take one blank line along, so the gaps between routers stay as they were.
  if (to < lines.lineCount && lines.lineText(to).trim() === '' && to < lines.lineCount - 1) to++;
  const block: string[] = [];
  for (let l = from; l < c.loc.range.end.line + 1; l++) block.push(lines.lineText(l));
  const text = block.join('\n') + '\n\n';
  const cut: TextEdit = to < lines.lineCount
    ? { file: c.loc.file, range: { start: { line: from, character: 0 }, end: { line: to, character: 0 } }, newText: '' }
    : { file: c.loc.file, range: { start: { line: from, character: 0 }, end: { line: lines.lineCount - 1, character: lines.lineText(lines.lineCount - 1).length } }, newText: '' };
  const at = blockStart(ctx, r);
  return [insertAt(r.loc.file, at, 0, text), cut];
}
