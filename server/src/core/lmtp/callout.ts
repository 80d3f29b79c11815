// The recipient callout: LHLO (or EHLO), optional AUTH PLAIN, MAIL, one RCPT per recipient,
// RSET, QUIT. It asks whether the server would accept the recipients and never hands over a
// message: there is no code path that sends DATA, and the Channel refuses it anyway.
import type * as Crypto from 'node:crypto';
import * as os from 'node:os';
import { CalloutFailure, Channel, OUT_OF_STEP_TAIL, OutOfStep, type Extractor } from './channel';
import { domainOf, normaliseSender, recipientError, senderError, stripBrackets } from './address';
import { ReplyAssembler, replyClass, preview, type Reply } from './reply';
import { formatTarget, parseTarget, type Target } from './target';
import type { CalloutResult, Outcome, Phase, RandomProbe, RecipientResult, TranscriptLine } from './types';
import { decodeText } from '../host';

export interface Credentials { user: string; password: string; /** SASL authorisation id; empty by default. */ authzid?: string }

export interface CalloutOptions {
  /** A parsed target, or a string for parseTarget (`host:port`, `[v6]:port`, `/path`). */
  target: Target | string;
  recipients: string[];
  /** Envelope sender; the null sender `<>` when absent (as Exim's callouts use). */
  from?: string;
  /** Name given in LHLO/EHLO; this machine's host name by default. */
  lhloName?: string;
  protocol?: 'lmtp' | 'smtp';
  /** Exim's callout=random: try a random local part at each recipient domain first. */
  random?: boolean;
  credentials?: Credentials;
  /** Per phase: connect, greeting and each reply. Default 5000. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  greetingTimeoutMs?: number;
  replyTimeoutMs?: number;
  /** The whole session. Default: six times the per-phase bound. */
  sessionTimeoutMs?: number;
  /** Longest reply line accepted, in bytes. Default 4096. */
  maxLineLength?: number;
  /** Most lines in one reply. Default 100. */
  maxReplyLines?: number;
  signal?: AbortSignal;
  /** For tests: the random local part generator. */
  randomLocalPart?: () => string;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_LINE = 4096;
export const DEFAULT_MAX_REPLY_LINES = 100;

/** Runs a callout. Never throws and never hangs: every failure becomes the result's outcome. */
export async function callout(opts: CalloutOptions): Promise<CalloutResult> {
  const t0 = Date.now();
  const transcript: TranscriptLine[] = [];
  if (!opts || typeof opts !== 'object') opts = { target: '', recipients: [] };
  const protocol = opts.protocol ?? 'lmtp';
  const result: CalloutResult = {
    target: typeof opts.target === 'string' ? opts.target : '',
    protocol,
    // Callers over JSON (the language server) may pass anything: shape first, validate below.
    recipients: (Array.isArray(opts.recipients) ? opts.recipients : []).map((address) => ({ address: stripBrackets(String(address)), status: 'not-tried', accepted: false })),
    transcript,
    outcome: { kind: 'accepted', message: '' },
    durationMs: 0,
  };
  const done = (outcome: Outcome) => { result.outcome = outcome; result.durationMs = Date.now() - t0; return result; };

  const bad = validate(opts);
  if (bad) return done({ kind: 'invalid-input', phase: 'input', message: bad });
  let target: Target;
  if (typeof opts.target === 'string') {
    const p = parseTarget(opts.target);
    if (!p.ok) return done({ kind: 'invalid-input', phase: 'input', message: p.error });
    target = p.target;
  } else if (isTarget(opts.target)) {
    target = opts.target;
  } else {
    return done({ kind: 'invalid-input', phase: 'input', message: 'the target is neither a string nor a {kind: "tcp"|"unix"} object' });
  }
  result.target = formatTarget(target);

  const per = positive(opts.timeoutMs) ?? DEFAULT_TIMEOUT_MS;
  const limits = {
    connect: positive(opts.connectTimeoutMs) ?? per,
    greeting: positive(opts.greetingTimeoutMs) ?? per,
    reply: positive(opts.replyTimeoutMs) ?? per,
    session: positive(opts.sessionTimeoutMs) ?? per * 6,
    line: positive(opts.maxLineLength) ?? DEFAULT_MAX_LINE,
    lines: positive(opts.maxReplyLines) ?? DEFAULT_MAX_REPLY_LINES,
  };

  let ch: Channel | undefined;
  try {
    ch = await Channel.open(target, { connectTimeoutMs: Math.min(limits.connect, limits.session), sessionTimeoutMs: limits.session, signal: opts.signal, t0, transcript });
    const conv = new Conversation(ch, limits.line, limits.lines);

    const greeting = await conv.reply('greeting', limits.greeting, 'greeting');
    result.greeting = greeting.lines.map((l) => l.slice(4)).join('\n');
    if (greeting.code !== 220) {
      await conv.quitQuietly(limits.reply);
      return done(replyOutcome(greeting, 'greeting', `the server greeted with ${greeting.code} instead of 220`, result.target));
    }

    const name = opts.lhloName ?? defaultHeloName();
    const hello = protocol === 'lmtp' ? 'LHLO' : 'EHLO';
    let helloPhase = hello.toLowerCase() as Phase;
    let ehlo = await conv.command(`${hello} ${name}`, helloPhase, limits.reply);
    if (protocol === 'smtp' && replyClass(ehlo.code) === 'permanent') {
      // An SMTP server without ESMTP: fall back to HELO, as Exim does.
      helloPhase = 'helo';
      ehlo = await conv.command(`HELO ${name}`, helloPhase, limits.reply);
    }
    if (ehlo.code !== 250) {
      await conv.quitQuietly(limits.reply);
      return done(replyOutcome(ehlo, helloPhase, `${helloPhase.toUpperCase()} was answered with ${ehlo.code}`, result.target));
    }
    // Keywords are case-insensitive; parameters are kept as written.
    const extensions = ehlo.lines.slice(1).map((l) => l.slice(4).trim().replace(/^\S+/, (k) => k.toUpperCase())).filter(Boolean);
    result.extensions = extensions;
    const pipelining = extensions.some((e) => e === 'PIPELINING' || e.startsWith('PIPELINING '));
    result.pipelining = pipelining;

    if (opts.credentials) {
      const auth = extensions.find((e) => e.startsWith('AUTH ') || e.startsWith('AUTH='));
      const mechs = auth ? auth.slice(5).toUpperCase().split(/\s+/) : [];
      if (!mechs.includes('PLAIN')) {
        await conv.quitQuietly(limits.reply);
        return done({ kind: 'unsupported', phase: 'auth', message: auth
          ? `the server offers AUTH ${mechs.join(' ')} but not PLAIN`
          : 'the server does not offer AUTH here (lmtpd with -a offers only EXTERNAL; drop the credentials)' });
      }
      const c = opts.credentials;
      const token = Buffer.from(`${c.authzid ?? ''}\0${c.user}\0${c.password}`, 'utf8').toString('base64');
      const r = await conv.command(`AUTH PLAIN ${token}`, 'auth', limits.reply, 'AUTH PLAIN <credentials redacted>');
      if (r.code !== 235) {
        await conv.quitQuietly(limits.reply);
        return done(replyOutcome(r, 'auth', `authentication as "${c.user}" failed`, result.target,
          'check the user name and password; Cyrus checks them as imapd.conf\'s sasl_pwcheck_method says (saslauthd or sasldb)'));
      }
      result.authenticated = true;
    }

    const sender = normaliseSender(opts.from);
    const recipients = result.recipients.map((r) => r.address);

    if (opts.random) {
      const domains = [...new Set(recipients.map((a) => domainOf(a) ?? ''))];
      const gen = opts.randomLocalPart ?? randomLocalPart;
      const probeAddrs = domains.map((d) => d ? `${gen()}@${d}` : gen());
      const mail = await conv.command(`MAIL FROM:<${sender}>`, 'mail', limits.reply);
      if (mail.code !== 250) {
        await conv.quitQuietly(limits.reply);
        return done(replyOutcome(mail, 'mail', `MAIL FROM:<${sender}> was answered with ${mail.code}`, result.target));
      }
      const random = { probes: probeAddrs.map((address, i): RandomProbe => ({ domain: domains[i], ...notTried(address) })), acceptsEverything: false };
      result.random = random;
      await conv.recipients(probeAddrs, pipelining, limits.reply, (i, reply) => {
        random.probes[i] = { domain: domains[i], ...recipientResult(probeAddrs[i], reply) };
        random.acceptsEverything ||= random.probes[i].accepted;
      });
      const rset = conv.checkRset(await conv.command('RSET', 'rset', limits.reply));
      if (rset.code !== 250) {
        await conv.quitQuietly(limits.reply);
        return done(replyOutcome(rset, 'rset', `RSET was answered with ${rset.code}`, result.target));
      }
    }

    const mail = await conv.command(`MAIL FROM:<${sender}>`, 'mail', limits.reply);
    if (mail.code !== 250) {
      await conv.quitQuietly(limits.reply);
      return done(replyOutcome(mail, 'mail', `MAIL FROM:<${sender}> was answered with ${mail.code}`, result.target));
    }
    // Each verdict is kept as it arrives, so a session that fails later still reports it.
    await conv.recipients(recipients, pipelining, limits.reply, (i, reply) => { result.recipients[i] = recipientResult(recipients[i], reply); });
    // Leave the transaction empty before saying goodbye; this also confirms that the replies were in step.
    await conv.finish(pipelining, limits.reply);
    return done(recipientsOutcome(result));
  } catch (e) {
    // Replies out of step may have been credited to the wrong RCPT: none of them stands.
    if (e instanceof OutOfStep) forgetVerdicts(result);
    return done(settle(result, failureOutcome(e)));
  } finally {
    ch?.close();
  }
}

function notTried(address: string): RecipientResult {
  return { address, status: 'not-tried', accepted: false };
}

function forgetVerdicts(result: CalloutResult): void {
  result.recipients = result.recipients.map((r) => notTried(r.address));
  if (result.random) result.random = { probes: result.random.probes.map((p) => ({ domain: p.domain, ...notTried(p.address) })), acceptsEverything: false };
}

/** The Outcome for an exception that ended the session. */
export function failureOutcome(e: unknown): Outcome {
  if (e instanceof CalloutFailure) return { kind: e.kind, phase: e.phase, message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...(e.errno ? { errno: e.errno } : {}) };
  return { kind: 'protocol-error', phase: 'session', message: `unexpected error: ${(e as Error)?.message ?? e}` };
}

/**
 * The outcome of a session that failed part-way: the failure, unless a recipient had already
 * been refused permanently. That verdict stands whatever happened next, so the result is a
 * rejection that names the failure which left the others unanswered.
 */
export function settle(result: CalloutResult, failure: Outcome, summarise: (r: CalloutResult) => Outcome = recipientsOutcome): Outcome {
  if (!result.recipients.some((r) => r.status === 'rejected')) return failure;
  const o = summarise(result);
  const unanswered = result.recipients.filter((r) => r.status === 'not-tried').length;
  return {
    ...o,
    message: `${o.message}; ${unanswered} not answered, because ${failure.message}`,
    interrupted: failure,
  };
}

function isTarget(t: unknown): t is Target {
  if (!t || typeof t !== 'object') return false;
  const o = t as Record<string, unknown>;
  return (o.kind === 'unix' && typeof o.path === 'string' && o.path.length > 0)
    || (o.kind === 'tcp' && typeof o.host === 'string' && o.host.length > 0 && Number.isInteger(o.port) && (o.port as number) > 0 && (o.port as number) < 65536);
}

function positive(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

function validate(o: CalloutOptions): string | undefined {
  if (!Array.isArray(o.recipients) || o.recipients.length === 0) return 'no recipients given';
  if (o.recipients.length > 1000) return 'more than 1000 recipients in one callout';
  for (const r of o.recipients) {
    const e = typeof r === 'string' ? recipientError(r) : 'a recipient that is not a string';
    if (e) return `invalid recipient: ${e}`;
  }
  if (o.from !== undefined) {
    const e = senderError(o.from);
    if (e) return `invalid sender: ${e}`;
  }
  if (o.lhloName !== undefined && !/^[A-Za-z0-9.\-_[\]:]{1,255}$/.test(o.lhloName)) {
    return `invalid LHLO name "${preview(o.lhloName, 60)}": use a host name or an address literal`;
  }
  if (o.credentials) {
    const { user, password, authzid } = o.credentials;
    if (typeof user !== 'string' || !user) return 'credentials without a user name';
    if (typeof password !== 'string') return 'credentials without a password';
    if (authzid !== undefined && typeof authzid !== 'string') return 'an authorisation id that is not a string';
    if ([user, password, authzid ?? ''].some((s) => s.includes('\0'))) return 'credentials must not contain NUL';
  }
  if (o.protocol !== undefined && o.protocol !== 'lmtp' && o.protocol !== 'smtp') return `unknown protocol "${o.protocol}"`;
  return undefined;
}

function defaultHeloName(): string {
  const h = os.hostname();
  return /^[A-Za-z0-9.-]{1,255}$/.test(h) ? h : 'localhost';
}

/** Like Exim's: a local part nobody has, different each time. */
export function randomLocalPart(): string {
  // Loaded here, not at the top: node:crypto costs a one-shot CLI callout several ms of
  // start-up, and only --random needs it.
  const { randomBytes } = require('node:crypto') as typeof Crypto;
  return 'callout-random-' + randomBytes(8).toString('hex');
}

export function recipientResult(address: string, r: Reply): RecipientResult {
  const cls = replyClass(r.code);
  const status = cls === 'positive' ? 'accepted' : cls === 'temporary' ? 'temporary' : 'rejected';
  return { address, status, accepted: status === 'accepted', code: r.code, ...(r.enhancedCode ? { enhancedCode: r.enhancedCode } : {}), reply: r.lines.join('\n') };
}

/** What an unexpected reply at `phase` (before any RCPT) means, with the fix when we know it. */
function replyOutcome(r: Reply, phase: Phase, what: string, target: string, permanentHint?: string): Outcome {
  const cls = replyClass(r.code);
  const shown = `${r.code}${r.enhancedCode ? ' ' + r.enhancedCode : ''}${r.text ? ' ' + r.text : ''}`;
  if (r.code === 430 || /authentication required/i.test(r.text)) {
    return {
      kind: 'temporary', phase,
      message: `${target} demands authentication before MAIL (${shown}): Cyrus lmtpd started without -a accepts mail over TCP only from authenticated clients`,
      hint: 'add -a to lmtpd\'s cmd in cyrus.conf (cmd="lmtpd -a"), or authenticate (--user and --password-env)',
    };
  }
  if (cls === 'temporary') return { kind: 'temporary', phase, message: `${what}: ${shown}` };
  // A refusal of the session, not of a recipient: nothing is known about the recipients.
  if (cls === 'permanent') {
    return { kind: 'session-rejected', phase, message: `${what}: ${shown}; the server refused the session, so no recipient was asked`, ...(permanentHint ? { hint: permanentHint } : {}) };
  }
  return { kind: 'protocol-error', phase, message: `${what}: ${shown}` };
}

export function recipientsOutcome(result: CalloutResult): Outcome {
  const rs = result.recipients;
  const rejected = rs.filter((r) => r.status === 'rejected');
  const temporary = rs.filter((r) => r.status === 'temporary');
  const list = (xs: RecipientResult[]) => xs.map((r) => `${r.address} (${r.code}${r.enhancedCode ? ' ' + r.enhancedCode : ''})`).join(', ');
  const everything = result.random?.acceptsEverything
    ? ' — but the server also accepted a random local part, so acceptance proves nothing' : '';
  if (rejected.length) {
    return { kind: 'rejected', phase: 'rcpt', message: `${rejected.length} of ${rs.length} recipient${rs.length > 1 ? 's' : ''} rejected: ${list(rejected)}` };
  }
  if (temporary.length) {
    const auth = temporary.find((r) => r.code === 430);
    return {
      kind: 'temporary', phase: 'rcpt',
      message: `${temporary.length} of ${rs.length} recipient${rs.length > 1 ? 's' : ''} temporarily refused: ${list(temporary)}`,
      ...(auth ? { hint: 'add -a to lmtpd\'s cmd in cyrus.conf (cmd="lmtpd -a"), or authenticate (--user and --password-env)' } : {}),
    };
  }
  return { kind: 'accepted', message: `${rs.length === 1 ? 'the recipient was' : `all ${rs.length} recipients were`} accepted${everything}` };
}

/** Commands and replies over a Channel, with the transcript kept as it goes. */
class Conversation {
  private readonly assembler: ReplyAssembler;
  constructor(private readonly ch: Channel, private readonly maxLine: number, maxLines: number) {
    this.assembler = new ReplyAssembler(maxLines);
  }

  /** Sends one command (the Channel refuses to if anything unread is waiting) and reads its reply. */
  async command(line: string, phase: Phase, timeoutMs: number, shown?: string): Promise<Reply> {
    this.ch.write(line, shown, phase);
    return this.reply(phase, timeoutMs, `reply to ${phase === 'rcpt' ? line : (shown ?? line).split(' ')[0]}`);
  }

  /** One reply; the bound covers all of its lines. `what` is a noun, e.g. "reply to LHLO". */
  async reply(phase: Phase, timeoutMs: number, what: string): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.ch.read(this.lineExtractor, phase, Math.max(1, deadline - Date.now()), what,
        { started: this.assembler.partial, limitMs: timeoutMs });
      this.ch.record('S', preview(line, 1000));
      let r: Reply | undefined;
      try {
        r = this.assembler.push(line);
      } catch (e) {
        throw new CalloutFailure('protocol-error', phase, `${(e as Error).message} (while waiting for the ${what})`);
      }
      if (r) return r;
    }
  }

  /**
   * One RCPT per address: all at once when the server pipelines, else one at a time. Each
   * reply goes to `onReply` as it arrives; replies are matched to the RCPTs in order.
   */
  async recipients(addrs: string[], pipelining: boolean, timeoutMs: number, onReply: (i: number, r: Reply) => void): Promise<void> {
    const rcpts = addrs.map((a) => `RCPT TO:<${a}>`);
    if (pipelining) this.ch.writeGroup(rcpts, 'rcpt');
    for (let i = 0; i < rcpts.length; i++) {
      const r = pipelining ? await this.reply('rcpt', timeoutMs, `reply to ${rcpts[i]}`) : await this.command(rcpts[i], 'rcpt', timeoutMs);
      // RCPT is answered 250 or 251, or refused with 4xx/5xx; a 221 or a 354 belongs to another command.
      const cls = replyClass(r.code);
      if (r.code !== 250 && r.code !== 251 && cls !== 'temporary' && cls !== 'permanent') throw this.outOfStep(r, 'rcpt', rcpts[i]);
      onReply(i, r);
    }
  }

  /**
   * RSET then QUIT, which also proves the replies were in step: had the server sent one reply
   * too many, QUIT would be answered with what was meant for RSET, or something would follow
   * QUIT's 221, or a line that is no reply would stand where one was due. Throws OutOfStep for that;
   * any other failure here (a timeout, a close) changes nothing we learnt.
   * A server that pipelines gets both in one write (RFC 2920 allows RSET anywhere in a group
   * and QUIT last), which saves a round trip at the end of every callout.
   */
  async finish(pipelining: boolean, timeoutMs: number): Promise<void> {
    const quitMs = Math.min(timeoutMs, 2000);
    if (!this.ch.isOpen) {
      if (this.ch.unread.length) throw this.ch.unsolicited('rset', 'after its last reply');
      return;
    }
    let quit: Reply;
    try {
      if (pipelining) {
        this.ch.writeGroup(['RSET', 'QUIT'], 'rset');
        this.checkRset(await this.reply('rset', timeoutMs, 'reply to RSET'));
        quit = await this.reply('quit', quitMs, 'reply to QUIT');
      } else {
        this.checkRset(await this.command('RSET', 'rset', timeoutMs));
        quit = await this.command('QUIT', 'quit', quitMs);
      }
    } catch (e) {
      if (e instanceof OutOfStep) throw e;
      // A line that is no reply where RSET's or QUIT's is due proves the replies out of step
      // as much as a wrong reply does: a stray reply before it (taken for a RCPT's) would
      // have pushed the real ones along. A timeout or a close proves nothing.
      if (e instanceof CalloutFailure && e.kind === 'protocol-error') {
        throw new OutOfStep(e.phase, `${e.message}, where the reply to ${e.phase === 'quit' ? 'QUIT' : 'RSET'} was due: the replies may be out of step with the commands, so ${OUT_OF_STEP_TAIL}`);
      }
      return;
    }
    // 221, or 421 from a server shutting down (which may answer any command so).
    if (quit.code !== 221 && quit.code !== 421) throw this.outOfStep(quit, 'quit', 'QUIT');
    if (this.ch.unread.length) throw this.ch.unsolicited('quit', 'after its reply to QUIT');
  }

  async quitQuietly(timeoutMs: number): Promise<void> {
    if (!this.ch.isOpen) return;
    try {
      await this.command('QUIT', 'quit', Math.min(timeoutMs, 2000));
    } catch { /* the verdict is already known */ }
  }

  /**
   * RSET is answered 250, or 421 when the server is shutting down (RFC 5321 lists no other
   * reply), so anything else, a 550 included, was meant for the command before it.
   */
  checkRset(r: Reply): Reply {
    if (r.code !== 250 && r.code !== 421) throw this.outOfStep(r, 'rset', 'RSET');
    return r;
  }

  private outOfStep(r: Reply, phase: Phase, command: string): OutOfStep {
    return new OutOfStep(phase, `the server answered ${command} with "${preview(r.lines[r.lines.length - 1], 120)}", a reply ${command.split(' ')[0]} never gets: `
      + `its replies are out of step with the commands, so ${OUT_OF_STEP_TAIL}`);
  }

  private readonly lineExtractor: Extractor<string> = (buf) => {
    const lf = buf.indexOf(10);
    if (lf < 0) {
      if (buf.length > this.maxLine) throw new Error(`a reply line longer than ${this.maxLine} bytes: ${preview(buf.subarray(0, 80).toString('latin1'))}`);
      return undefined;
    }
    const end = lf > 0 && buf[lf - 1] === 13 ? lf - 1 : lf;
    if (end > this.maxLine) throw new Error(`a reply line longer than ${this.maxLine} bytes`);
    return { value: decodeText(buf.subarray(0, end)), used: lf + 1 };
  };
}
