// Where an LMTP callout can go, found in the configs: Exim's LMTP transports and Cyrus's
// lmtpd services. Read from the text of cyrus.conf so this works before its model does.
import * as path from 'node:path';
import type { EximConfig as EximModel } from '../exim/model';
import type { LineIndex } from '../text';
import type { CalloutTarget, CodeLensEntry } from './types';

export const CALLOUT_COMMAND = 'eximCyrus.runCallout';
const LMTP_PORT = 24;

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Exim transports that speak LMTP, with where they connect. */
export function eximTargets(m: EximModel): CalloutTarget[] {
  const out: CalloutTarget[] = [];
  for (const t of m.transports) {
    const opt = (n: string) => t.options.find((o) => o.name === n && !o.negated)?.value?.trim();
    if (t.driver === 'lmtp') {
      const socket = opt('socket');
      if (socket && !socket.includes('$')) out.push({ label: t.name, description: `lmtp transport → ${socket}`, target: socket, socket, origin: t.nameLoc });
    } else if (t.driver === 'smtp' && opt('protocol')?.toLowerCase() === 'lmtp') {
      const hosts = (opt('hosts') ?? '').replace(/^<\s*\S/, '').split(/\s*[:;]\s*/).filter(Boolean);
      const portText = opt('port');
      const port = portText && /^\d+$/.test(portText) ? parseInt(portText, 10) : LMTP_PORT;
      for (const h of hosts.length ? hosts.slice(0, 1) : []) {
        if (h.includes('$')) continue;
        out.push({ label: t.name, description: `smtp transport (protocol = lmtp) → ${h}:${port}`, target: formatHostPort(h, port), host: h, port, origin: t.nameLoc });
      }
    }
  }
  return out;
}

/** Cyrus lmtpd services, read line by line from cyrus.conf. */
export function cyrusTargets(file: string, lines: LineIndex): CalloutTarget[] {
  const out: CalloutTarget[] = [];
  for (let l = 0; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    if (/^\s*#/.test(t)) continue;
    const m = /^(\s*)([\w-]+)\s+.*\bcmd\s*=\s*"([^"]*)"/.exec(t);
    if (!m || !/(^|\/)lmtpd$/.test(m[3].trim().split(/\s+/)[0] ?? '')) continue;
    const listen = /\blisten\s*=\s*"?([^"\s]+)"?/.exec(t)?.[1];
    if (!listen) continue;
    const origin = { file, range: { start: { line: l, character: m[1].length }, end: { line: l, character: m[1].length + m[2].length } } };
    const auth = /\s-a(\s|$)/.test(' ' + m[3] + ' ') ? '' : ' (no -a: demands AUTH over TCP)';
    if (listen.startsWith('/')) {
      out.push({ label: m[2], description: `cyrus.conf lmtpd → ${listen}`, target: listen, socket: listen, origin });
      continue;
    }
    const hp = /^(?:\[([^\]]+)\]|([^:]*)):(.+)$/.exec(listen);
    const host = hp ? (hp[1] ?? hp[2]) || '127.0.0.1' : '127.0.0.1';
    const portText = hp ? hp[3] : listen;
    const port = /^\d+$/.test(portText) ? parseInt(portText, 10) : portText === 'lmtp' ? LMTP_PORT : undefined;
    if (port === undefined) continue;
    const h = host === '*' ? '127.0.0.1' : host;
    out.push({ label: m[2], description: `cyrus.conf lmtpd → ${h}:${port}${auth}`, target: formatHostPort(h, port), host: h, port, origin });
  }
  return out;
}

export function calloutLenses(targets: CalloutTarget[], file: string): CodeLensEntry[] {
  return targets.filter((t) => t.origin && path.resolve(t.origin.file) === path.resolve(file)).map((t) => ({
    range: t.origin!.range, title: 'Run LMTP callout', command: CALLOUT_COMMAND, args: [{ target: t.target, label: t.label }],
  }));
}
