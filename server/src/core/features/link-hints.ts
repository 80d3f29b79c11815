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
import type { InlayHintEntry } from './types';

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

export function linkHints(a: Analysis, file: string, lines: LineIndex, host: SourceHost): InlayHintEntry[] {
  if (!a.exim || !a.cyrus) return [];
  const ctx = makeContext(a.exim, a.cyrus, a.imapd, host);
  const abs = path.resolve(file);
  const out: InlayHintEntry[] = [];
  // After the last line of `anchor`, when it is in this file.
  const at = (anchor: { file: string; range: { end: { line: number } } }, label: string) => {
    if (path.resolve(anchor.file) !== abs) return;
    const line = anchor.range.end.line;
    if (line < lines.lineCount) out.push({ position: { line, character: lines.lineText(line).length }, label });
  };
  const routersOf = new Map<DriverInstance, DriverInstance[]>();
  for (const c of cyrusRouters(ctx)) routersOf.set(c.via.transport, [...(routersOf.get(c.via.transport) ?? []), c.router]);
  const byListener = new Map<LmtpListener, DriverInstance[]>();
  for (const t of cyrusTransports(ctx)) {
    const reached = reachedListeners(ctx, t);
    if (!reached.length) continue;
    const label = `→ Cyrus lmtpd at ${reached.map(describeListener).join(', ')}`;
    at({ file: t.transport.nameLoc.file, range: t.transport.nameLoc.range }, label);
    for (const r of routersOf.get(t.transport) ?? []) {
      const o = option(r, 'transport');
      if (o) at(o.loc, label);
    }
    for (const l of reached) byListener.set(l, [...(byListener.get(l) ?? []), t.transport]);
  }
  for (const [l, transports] of byListener) {
    const routers = [...new Set(transports.flatMap((t) => routersOf.get(t) ?? []))].map((r) => r.name);
    const names = transports.map((t) => t.name);
    at(l.entry.loc, `← Exim ${plural(names.length, 'transport', 'transports')} ${names.join(', ')}${routers.length ? ` (${plural(routers.length, 'router', 'routers')} ${routers.join(', ')})` : ''}`);
  }
  return out.sort((x, y) => x.position.line - y.position.line);
}
