// The sendmail socket-map protocol that Cyrus's smmapd speaks: the request is the netstring
// `<mapname> <key>`, the answer a netstring `OK <value>`, `NOTFOUND`, `TEMP …`, `PERM …` or
// `TIMEOUT …`. Results have the same shape as an LMTP callout's, so callers treat both alike.
import { CalloutFailure, Channel, OutOfStep, type Extractor } from './channel';
import { recipientError, stripBrackets } from './address';
import { preview } from './reply';
import { formatTarget, parseTarget, type Target } from './target';
import type { CalloutResult, Outcome, RecipientResult, TranscriptLine } from './types';
import { DEFAULT_MAX_LINE, DEFAULT_TIMEOUT_MS, failureOutcome, recipientsOutcome, settle } from './callout';
import { decodeText } from '../host';

export interface SocketmapOptions {
  /** Per phase: connect and each answer. Default 5000. */
  timeoutMs?: number;
  sessionTimeoutMs?: number;
  /** Longest answer accepted, in bytes. Default 4096. */
  maxLength?: number;
  signal?: AbortSignal;
}

export type SocketmapStatus = 'OK' | 'NOTFOUND' | 'TEMP' | 'PERM' | 'TIMEOUT';

/** Encodes one netstring (`<length>:<bytes>,`), the length counted in bytes. */
export function netstring(s: string): string {
  return `${Buffer.byteLength(s, 'utf8')}:${s},`;
}

/** Reads one netstring; throws on anything that cannot be one. */
export function netstringExtractor(maxLength: number): Extractor<string> {
  return (buf) => {
    const colon = buf.indexOf(58);
    const digits = colon < 0 ? buf.length : colon;
    for (let i = 0; i < digits; i++) {
      if (buf[i] < 48 || buf[i] > 57) throw new Error(`not a netstring: ${preview(buf.subarray(0, 60).toString('latin1'))}`);
    }
    if (digits > String(maxLength).length) throw new Error(`an answer longer than ${maxLength} bytes`);
    if (colon < 0) return undefined;
    if (colon === 0) throw new Error('not a netstring: no length before ":"');
    const len = Number(buf.subarray(0, colon).toString('latin1'));
    if (len > maxLength) throw new Error(`an answer longer than ${maxLength} bytes (${len})`);
    const end = colon + 1 + len;
    if (buf.length <= end) return undefined;
    if (buf[end] !== 44) throw new Error(`a netstring without its closing ","`);
    return { value: decodeText(buf.subarray(colon + 1, end)), used: end + 1 };
  };
}

/** Splits an answer into its status word and the rest. */
export function parseSocketmapAnswer(answer: string): { status: SocketmapStatus; text: string } | undefined {
  const m = /^(OK|NOTFOUND|TEMP|PERM|TIMEOUT)(?: (.*))?$/s.exec(answer);
  return m ? { status: m[1] as SocketmapStatus, text: m[2] ?? '' } : undefined;
}

/**
 * Looks each key up in `mapName` over one connection. Answers: OK → accepted, NOTFOUND →
 * rejected, TEMP/TIMEOUT → temporary, PERM → rejected (the map failed permanently). Never throws.
 */
export async function socketmapLookup(target: Target | string, mapName: string, keys: string | string[],
  opts: SocketmapOptions = {}): Promise<CalloutResult> {
  const t0 = Date.now();
  const transcript: TranscriptLine[] = [];
  const list = (Array.isArray(keys) ? keys : [keys]).map((k) => stripBrackets(String(k)));
  const result: CalloutResult = {
    target: typeof target === 'string' ? target : '',
    protocol: 'socketmap',
    recipients: list.map((address) => ({ address, status: 'not-tried', accepted: false })),
    transcript,
    outcome: { kind: 'accepted', message: '' },
    durationMs: 0,
  };
  const done = (o: Outcome) => { result.outcome = o; result.durationMs = Date.now() - t0; return result; };

  if (!list.length) return done({ kind: 'invalid-input', phase: 'input', message: 'no keys given' });
  if (typeof mapName !== 'string' || !/^[^\s\x00-\x1f\x7f]{1,255}$/.test(mapName)) return done({ kind: 'invalid-input', phase: 'input', message: `invalid map name "${preview(String(mapName), 60)}": one word, no spaces` });
  for (const k of list) {
    const e = recipientError(k);
    if (e) return done({ kind: 'invalid-input', phase: 'input', message: `invalid key: ${e}` });
  }
  let t: Target;
  if (typeof target === 'string') {
    const p = parseTarget(target);
    if (!p.ok) return done({ kind: 'invalid-input', phase: 'input', message: p.error });
    t = p.target;
  } else if (target && typeof target === 'object' && (target.kind === 'unix' || target.kind === 'tcp')) {
    t = target;
  } else {
    return done({ kind: 'invalid-input', phase: 'input', message: 'the target is neither a string nor a {kind: "tcp"|"unix"} object' });
  }
  result.target = formatTarget(t);
  const per = opts.timeoutMs && opts.timeoutMs > 0 ? opts.timeoutMs : DEFAULT_TIMEOUT_MS;
  const session = opts.sessionTimeoutMs && opts.sessionTimeoutMs > 0 ? opts.sessionTimeoutMs : per * 6;
  const extract = netstringExtractor(opts.maxLength && opts.maxLength > 0 ? opts.maxLength : DEFAULT_MAX_LINE);

  let ch: Channel | undefined;
  try {
    ch = await Channel.open(t, { connectTimeoutMs: Math.min(per, session), sessionTimeoutMs: session, signal: opts.signal, t0, transcript });
    const out: RecipientResult[] = [];
    for (const key of list) {
      const req = netstring(`${mapName} ${key}`);
      ch.writeRaw(req, req, 'lookup');
      const answer = await ch.read(extract, 'lookup', per, `answer for ${key}`);
      ch.record('S', preview(netstring(answer), 1000));
      const a = parseSocketmapAnswer(answer);
      if (!a) throw new CalloutFailure('protocol-error', 'lookup', `not a socket-map answer: ${preview(answer)}`);
      const status = a.status === 'OK' ? 'accepted' : a.status === 'TEMP' || a.status === 'TIMEOUT' ? 'temporary' : 'rejected';
      out.push({ address: key, status, accepted: status === 'accepted', reply: answer });
      result.recipients = [...out, ...result.recipients.slice(out.length)];
    }
    // Bytes after the last answer mean the answers were not one per request.
    if (ch.unread.length) throw ch.unsolicited('lookup', 'after its last answer');
    return done(socketmapOutcome(result));
  } catch (e) {
    // Answers out of step may have been credited to the wrong key: none of them stands.
    if (e instanceof OutOfStep) result.recipients = list.map((address) => ({ address, status: 'not-tried', accepted: false }));
    return done(settle(result, failureOutcome(e), socketmapOutcome));
  } finally {
    ch?.close();
  }
}

function socketmapOutcome(result: CalloutResult): Outcome {
  const o = recipientsOutcome(result);
  // recipientsOutcome speaks of reply codes; socket-map answers have none, so say it in their words.
  const rs = result.recipients;
  const bad = rs.filter((r) => r.status === 'rejected' || r.status === 'temporary');
  if (o.kind === 'accepted') return { kind: 'accepted', message: `${rs.length === 1 ? 'the key was' : `all ${rs.length} keys were`} found` };
  return { kind: o.kind, phase: 'lookup', message: `${bad.length} of ${rs.length} key${rs.length > 1 ? 's' : ''} not found or failed: ${bad.map((r) => `${r.address} (${r.reply})`).join(', ')}` };
}
