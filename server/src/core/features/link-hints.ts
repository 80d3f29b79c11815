// Inline notes of where mail for Cyrus goes, both ways across the two servers: after a Cyrus
// router's `transport =` and after a Cyrus transport's header, the lmtpd services it reaches;
// after such a service in cyrus.conf, the Exim transports (and their routers) that deliver
// to it. Read with the link rules' own helpers, so a note and a finding never disagree: where
// the rules find no listener, there is no note (the finding says so).
import * as path from 'node:path';
import type { LineIndex } from '../text';
import type { SourceHost } from '../host';
import type { LmtpListener } from '../cyrus/model';
import type { DriverInstance } from '../exim/model';
import { describeListener, makeContext, option } from '../rules/link/context';
import { cyrusRouters, cyrusTransports } from '../rules/link/routing';
import { reachedListeners } from '../rules/link/listeners';
import type { Analysis } from './workspace';
import type { InlayHintEntry, InlayHintPart } from './types';

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

/** `items` as linked parts, separated by `, `. */
function listed(items: { value: string; target: InlayHintPart['target'] }[]): InlayHintPart[] {
  return items.flatMap((it, i) => (i ? [{ value: ', ' }, it] : [it]));
}

export function linkHints(a: Pick<Analysis, 'exim' | 'cyrus' | 'imapd'>, file: string, lines: LineIndex, host: SourceHost): InlayHintEntry[] {
  if (!a.exim || !a.cyrus) return [];
  const ctx = makeContext(a.exim, a.cyrus, a.imapd, host);
  const abs = path.resolve(file);
  const out: InlayHintEntry[] = [];
  // After the last line of `anchor`, when it is in this file.
  const at = (anchor: { file: string; range: { end: { line: number } } }, parts: InlayHintPart[]) => {
    if (path.resolve(anchor.file) !== abs) return;
    const line = anchor.range.end.line;
    if (line < lines.lineCount) out.push({ position: { line, character: lines.lineText(line).length }, label: parts.map((p) => p.value).join(''), parts });
  };
  const linkTo = (d: DriverInstance) => ({ value: d.name, target: { file: d.nameLoc.file, range: d.nameLoc.range } });
  const routersOf = new Map<DriverInstance, DriverInstance[]>();
  for (const c of cyrusRouters(ctx)) routersOf.set(c.via.transport, [...(routersOf.get(c.via.transport) ?? []), c.router]);
  const byListener = new Map<LmtpListener, DriverInstance[]>();
  for (const t of cyrusTransports(ctx)) {
    const reached = reachedListeners(ctx, t);
    if (!reached.length) continue;
    const parts = [{ value: '→ Cyrus lmtpd at ' }, ...listed(reached.map((l) => ({ value: describeListener(l), target: { file: l.endpoint.loc.file, range: l.endpoint.loc.range } })))];
    at({ file: t.transport.nameLoc.file, range: t.transport.nameLoc.range }, parts);
    for (const r of routersOf.get(t.transport) ?? []) {
      const o = option(r, 'transport');
      if (o) at(o.loc, parts);
    }
    for (const l of reached) byListener.set(l, [...(byListener.get(l) ?? []), t.transport]);
  }
  for (const [l, transports] of byListener) {
    const routers = [...new Set(transports.flatMap((t) => routersOf.get(t) ?? []))];
    at(l.entry.loc, [
      { value: `← Exim ${plural(transports.length, 'transport', 'transports')} ` }, ...listed(transports.map(linkTo)),
      ...(routers.length ? [{ value: ` (${plural(routers.length, 'router', 'routers')} ` }, ...listed(routers.map(linkTo)), { value: ')' }] : []),
    ]);
  }
  return out.sort((x, y) => x.position.line - y.position.line);
}
