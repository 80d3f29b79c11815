// One client connection with a time bound on everything: connecting, every read, and the
// whole session. Nothing here knows SMTP; the session and socket-map code frame the bytes.
import * as net from 'node:net';
import type { Target } from './target';
import { formatTarget } from './target';
import type { OutcomeKind, Phase, TranscriptLine } from './types';
import { preview } from './reply';

/** A failure that ends the conversation; the session turns it into an Outcome. */
export class CalloutFailure extends Error {
  constructor(readonly kind: OutcomeKind, readonly phase: Phase, message: string,
    readonly hint?: string, readonly errno?: string) {
    super(message);
  }
}

export const OUT_OF_STEP_TAIL = 'no answer in this session can be trusted as a verdict';

/**
 * The server's replies no longer line up with the commands (it said something unasked, or
 * answered with a reply the command never gets): no reply received so far can be credited
 * to a command with confidence.
 */
export class OutOfStep extends CalloutFailure {
  constructor(phase: Phase, message: string) {
    super('protocol-error', phase, message);
  }
}

/** Returns a value and how many bytes it used, undefined when more bytes are needed; throws to give up. */
export type Extractor<T> = (buf: Buffer) => { value: T; used: number } | undefined;

export interface ChannelOptions {
  connectTimeoutMs: number;
  sessionTimeoutMs: number;
  signal?: AbortSignal;
  /** Time origin of transcript entries. */
  t0: number;
  transcript: TranscriptLine[];
}

/** Commands that would hand over a message. A callout never sends one: this is enforced here. */
const FORBIDDEN = /^\s*(DATA|BDAT|BURL)(\s|$)/i;

export class Channel {
  private buf: Buffer = Buffer.alloc(0);
  private fatal?: CalloutFailure;
  private ended = false;
  private wake?: () => void;
  private sessionTimer?: NodeJS.Timeout;
  private readonly onAbort = () => this.fail(new CalloutFailure('cancelled', 'session', 'the callout was cancelled'));

  private constructor(private readonly sock: net.Socket, private readonly opts: ChannelOptions) {
    sock.on('data', (d: Buffer) => { this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d; this.poke(); });
    sock.on('end', () => { this.ended = true; this.poke(); });
    sock.on('close', () => { this.ended = true; this.poke(); });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      const reset = e.code === 'ECONNRESET' || e.code === 'EPIPE';
      this.fail(new CalloutFailure('protocol-error', 'session',
        reset ? 'the server reset the connection' : `connection error: ${e.message}`, undefined, e.code));
    });
  }

  /** Connects within the connect bound; the session bound starts now. */
  static open(target: Target, opts: ChannelOptions): Promise<Channel> {
    if (opts.signal?.aborted) return Promise.reject(new CalloutFailure('cancelled', 'connect', 'the callout was cancelled'));
    return new Promise((resolve, reject) => {
      const sock = target.kind === 'unix' ? net.connect({ path: target.path }) : net.connect({ host: target.host, port: target.port });
      sock.setNoDelay(true);
      let settled = false;
      const finish = (err?: CalloutFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', abort);
        sock.removeListener('error', onError);
        if (err) { sock.on('error', () => undefined); sock.destroy(); reject(err); return; }
        const ch = new Channel(sock, opts);
        ch.sessionTimer = setTimeout(() => ch.fail(sessionTimeout(opts.sessionTimeoutMs)), Math.max(0, opts.sessionTimeoutMs - (Date.now() - opts.t0)));
        opts.signal?.addEventListener('abort', ch.onAbort, { once: true });
        resolve(ch);
      };
      const abort = () => finish(new CalloutFailure('cancelled', 'connect', 'the callout was cancelled'));
      const onError = (e: NodeJS.ErrnoException) => finish(connectFailure(target, e));
      const timer = setTimeout(() => finish(new CalloutFailure('timeout', 'connect',
        `could not connect to ${formatTarget(target)} within ${seconds(opts.connectTimeoutMs)} (the connect limit): `
        + 'check that the host is up and that no firewall silently drops the connection')), opts.connectTimeoutMs);
      opts.signal?.addEventListener('abort', abort, { once: true });
      sock.once('error', onError);
      sock.once('connect', () => finish());
    });
  }

  /** Writes one command line. Refuses DATA/BDAT/BURL and embedded line breaks, whatever the caller. */
  write(command: string, shown: string = command, phase: Phase = 'session'): void {
    refuseUnsafe(command);
    this.writeRaw(command + '\r\n', shown, phase);
  }

  /**
   * Writes a pipelined group of command lines in one segment (with no-delay on, separate
   * writes would each be a packet). Every line is checked before any is sent.
   */
  writeGroup(commands: string[], phase: Phase = 'session'): void {
    commands.forEach(refuseUnsafe);
    this.sock.cork();
    try {
      for (const c of commands) this.writeRaw(c + '\r\n', c, phase);
    } finally {
      this.sock.uncork();
    }
  }

  /**
   * Writes bytes that are not an SMTP command line (socket-map netstrings). Every write starts
   * with nothing unread: in a conversation the server speaks only to answer, so bytes waiting
   * before a request are unsolicited, and reading them as its answer would shift every
   * later answer onto the wrong request.
   */
  writeRaw(data: string, shown: string, phase: Phase = 'session'): void {
    if (this.fatal) throw this.fatal;
    if (this.buf.length) {
      const f = this.unsolicited(phase, `before "${shown}"`);
      this.fail(f);
      throw f;
    }
    this.opts.transcript.push({ dir: 'C', line: shown, ms: Date.now() - this.opts.t0 });
    this.sock.write(data);
  }

  /** An OutOfStep failure naming the unread bytes (also put in the transcript) and `when` they came. */
  unsolicited(phase: Phase, when: string): OutOfStep {
    const text = this.buf.subarray(0, 4096).toString('latin1');
    const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l, i, all) => l !== '' || i < all.length - 1);
    for (const l of lines.slice(0, 5)) this.record('S', preview(l, 1000));
    const more = this.buf.length > 4096 || lines.length > 1 ? ` (and ${this.buf.length > 4096 ? 'more' : `${lines.length - 1} more line${lines.length > 2 ? 's' : ''}`})` : '';
    return new OutOfStep(phase, `the server sent "${preview(lines[0] ?? '', 120)}"${more} unasked, ${when}: a server speaks only to answer `
      + `a command, so its replies no longer line up with the commands and ${OUT_OF_STEP_TAIL}`);
  }

  record(dir: 'C' | 'S', line: string): void {
    this.opts.transcript.push({ dir, line, ms: Date.now() - this.opts.t0 });
  }

  /** Bytes received and not yet read: before a command is written there must be none. */
  get unread(): Buffer { return this.buf; }

  /**
   * Reads one framed value within `timeoutMs`. Bytes already received are used first, so a
   * reply sent just before the server closed is still read. `phase` and `what` (a noun such as
   * "reply to LHLO") name what we waited for; `started` says part of it came in earlier reads,
   * and `limitMs` is the limit to name when those reads used up part of it.
   */
  async read<T>(extract: Extractor<T>, phase: Phase, timeoutMs: number, what: string,
    { started = false, limitMs = timeoutMs }: { started?: boolean; limitMs?: number } = {}): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let got: { value: T; used: number } | undefined;
      try {
        got = extract(this.buf);
      } catch (e) {
        const f = e instanceof CalloutFailure ? e : new CalloutFailure('protocol-error', phase, (e as Error).message);
        this.fail(f);
        throw f;
      }
      if (got) { this.buf = this.buf.subarray(got.used); return got.value; }
      const partial = started || this.buf.length > 0;
      if (this.fatal) {
        const f = this.fatal;
        if (f.phase === 'session' && f.kind === 'protocol-error') {
          throw new CalloutFailure(f.kind, phase, `${f.message} while waiting for the ${what}${partial ? ' (in the middle of it)' : ''}`, undefined, f.errno);
        }
        if (f.phase === 'session' && f.kind === 'timeout') throw sessionTimeout(this.opts.sessionTimeoutMs, what);
        throw f;
      }
      if (this.ended) {
        const f = new CalloutFailure('protocol-error', phase, partial
          ? `the server closed the connection in the middle of the ${what}`
          : `the server closed the connection instead of sending the ${what}`);
        this.fail(f);
        throw f;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const f = new CalloutFailure('timeout', phase, `${partial
          ? `the server started the ${what} but did not finish it`
          : `the server sent no ${what}`} within ${seconds(limitMs)} (the per-reply limit): ${TIMEOUT_ADVICE[phase] ?? TIMEOUT_ADVICE.reply}`);
        this.fail(f);
        throw f;
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.wake = () => { clearTimeout(t); r(); };
      });
      this.wake = undefined;
    }
  }

  get isOpen(): boolean { return !this.fatal && !this.ended; }

  /** Closes gracefully when possible, and always releases timers and listeners. */
  close(): void {
    clearTimeout(this.sessionTimer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.sock.destroy();
  }

  private fail(f: CalloutFailure): void {
    if (this.fatal) return;
    this.fatal = f;
    clearTimeout(this.sessionTimer);
    this.sock.destroy();
    this.poke();
  }

  private poke(): void { this.wake?.(); }
}

function refuseUnsafe(command: string): void {
  if (FORBIDDEN.test(command)) throw new Error(`refusing to send "${command.trim().split(/\s/)[0]}": a callout never transfers a message`);
  if (/[\r\n\0]/.test(command)) throw new Error('refusing to send a command with a line break or NUL in it');
}

function connectFailure(target: Target, e: NodeJS.ErrnoException): CalloutFailure {
  const where = formatTarget(target);
  const code = e.code;
  const msg =
    code === 'ECONNREFUSED' ? (target.kind === 'unix'
      ? `nothing accepts connections on the socket ${where} (a stale socket file: is the service running?)`
      : `connection refused by ${where}: nothing listens there`)
    : code === 'ENOENT' ? `the socket ${where} does not exist: is the service running, and is this the path in cyrus.conf?`
    : code === 'EACCES' ? `permission denied on ${where}: the socket's directory or mode keeps this user out`
    : code === 'ENOTSOCK' ? `${where} is not a socket`
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `the host name of ${where} cannot be resolved`
    : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? `${where} cannot be reached (no route)`
    : code === 'EADDRNOTAVAIL' ? `the address of ${where} is not usable here`
    : `cannot connect to ${where}: ${e.message}`;
  return new CalloutFailure('refused', 'connect', msg, undefined, code);
}

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** What to check when a reply does not come in time, by the phase that waited. */
const TIMEOUT_ADVICE: Partial<Record<Phase | 'reply', string>> = {
  greeting: 'check that the target is the LMTP listener named in cyrus.conf (lmtpd greets at once; a silent port is '
    + 'usually another service or a filter holding the connection), or raise the timeout if the host is overloaded',
  lookup: 'check that the target is smmapd\'s listener in cyrus.conf and that smmapd is running (see its log), or raise the timeout',
  reply: 'the server stopped answering mid-session; check its log (Cyrus logs to syslog), or raise the timeout if it is only slow',
};

function sessionTimeout(limitMs: number, what?: string): CalloutFailure {
  return new CalloutFailure('timeout', 'session', `the session ran out of its ${seconds(limitMs)} limit${what ? ` while waiting for the ${what}` : ''}: `
    + 'the server answers too slowly to finish within it; check its load and log, raise the timeout, or ask about fewer recipients at once');
}
