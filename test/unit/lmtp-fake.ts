// Small scripted servers on 127.0.0.1 for the callout's unit tests. Every line any client
// sends is recorded, so a test can assert what was (and was never) written.
import * as net from 'node:net';

export interface FakeConn {
  send(text: string): void;
  /** The next line the client sent (without CRLF), or undefined when it closed. */
  line(timeoutMs?: number): Promise<string | undefined>;
  /** True when a line arrives within `ms` (used to see whether the client waited for a reply). */
  lineWithin(ms: number): Promise<boolean>;
  socket: net.Socket;
}

export interface FakeServer {
  port: number;
  target: string;
  /** Every line received, over all connections. */
  received: string[];
  close(): Promise<void>;
}

export async function fakeServer(handler: (c: FakeConn) => Promise<void> | void, host = '127.0.0.1'): Promise<FakeServer> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = '';
    const lines: string[] = [];
    let closed = false;
    let wake: (() => void) | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const l = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        lines.push(l);
        received.push(l);
      }
      wake?.();
    });
    socket.on('close', () => { closed = true; wake?.(); });
    const waitLine = async (timeoutMs: number): Promise<string | undefined> => {
      const deadline = Date.now() + timeoutMs;
      while (!lines.length && !closed && Date.now() < deadline) {
        await new Promise<void>((r) => { const t = setTimeout(r, deadline - Date.now()); wake = () => { clearTimeout(t); r(); }; });
        wake = undefined;
      }
      return lines.shift();
    };
    const conn: FakeConn = {
      socket,
      send: (t) => { if (!socket.destroyed) socket.write(t); },
      line: (ms = 5000) => waitLine(ms),
      lineWithin: async (ms) => {
        if (lines.length) return true;
        const deadline = Date.now() + ms;
        while (!lines.length && !closed && Date.now() < deadline) {
          await new Promise<void>((r) => { const t = setTimeout(r, deadline - Date.now()); wake = () => { clearTimeout(t); r(); }; });
          wake = undefined;
        }
        return lines.length > 0;
      },
    };
    Promise.resolve(handler(conn)).catch(() => undefined);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    target: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    received,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

export interface LmtpScript {
  greeting?: string;
  pipelining?: boolean;
  auth?: string;
  /** Reply to MAIL; default 250 2.1.0 ok. */
  mail?: string;
  /** Whether a local part@domain exists; default: only alice@example.com. */
  exists?: (addr: string) => boolean;
  /** Called for AUTH lines; return the reply. */
  onAuth?: (line: string) => string;
  /** Checks whether the client waits for each RCPT reply, and for the RSET reply before QUIT (records it). */
  observe?: { sentBeforeReply: boolean; quitBeforeRsetReply?: boolean };
  /** The reply to a RCPT instead of the default one (the address as given between the brackets). */
  rcpt?: (addr: string) => string;
  /** Text sent in the same write right after the reply to a command line: a server that says too much. */
  extra?: (line: string) => string | undefined;
  /** True for the first command line the server leaves unanswered; it says nothing from then on. */
  silentAt?: (line: string) => boolean;
}

const UNKNOWN = '550-Mailbox unknown.  Either there is no mailbox associated with this\r\n550-name or you do not have authorization to see it.\r\n550 5.1.1 User unknown\r\n';

/** A Cyrus-lmtpd-like responder. */
export function lmtpLike(s: LmtpScript = {}): (c: FakeConn) => Promise<void> {
  return async (c) => {
    c.send(s.greeting ?? '220 fake Cyrus LMTP ready\r\n');
    for (;;) {
      const l = await c.line();
      if (l === undefined) return;
      if (s.silentAt?.(l)) return;
      const more = s.extra?.(l);
      const send = more ? (t: string) => c.send(t + more) : c.send;
      const verb = l.split(/[ :]/)[0].toUpperCase();
      if (verb === 'LHLO' || verb === 'EHLO') {
        send('250-fake\r\n250-ENHANCEDSTATUSCODES\r\n' + (s.pipelining ? '250-PIPELINING\r\n' : '') + (s.auth ? `250-AUTH ${s.auth}\r\n` : '') + '250 IGNOREQUOTA\r\n');
      } else if (verb === 'HELO') send('250 fake\r\n');
      else if (verb === 'AUTH') send((s.onAuth?.(l) ?? '235 Authenticated!') + '\r\n');
      else if (verb === 'MAIL') send((s.mail ?? '250 2.1.0 ok') + '\r\n');
      else if (verb === 'RCPT') {
        if (s.observe && await c.lineWithin(150)) s.observe.sentBeforeReply = true;
        const addr = /<(.*)>/.exec(l)?.[1] ?? '';
        send(s.rcpt ? s.rcpt(addr) + '\r\n' : (s.exists ?? ((a) => a === 'alice@example.com'))(addr) ? '250 2.1.5 ok\r\n' : UNKNOWN);
      } else if (verb === 'RSET') {
        if (s.observe && await c.lineWithin(150)) s.observe.quitBeforeRsetReply = true;
        send('250 2.0.0 Ok\r\n');
      }
      else if (verb === 'QUIT') { send('221 2.0.0 bye\r\n'); c.socket.end(); return; }
      else send('502 5.5.2 Syntax error\r\n');
    }
  };
}
