// A scripted LMTP server on loopback for the callout tests: knows one mailbox, records
// every command it receives, and answers DATA with an error (a callout must never send it).
import * as net from 'node:net';

export interface FakeSession { commands: string[]; closed: boolean }

export class FakeLmtp {
  readonly sessions: FakeSession[] = [];
  private server = net.createServer((sock) => this.serve(sock));
  port = 0;

  constructor(private readonly mailboxes: string[]) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private serve(sock: net.Socket): void {
    const session: FakeSession = { commands: [], closed: false };
    this.sessions.push(session);
    sock.setTimeout(15_000, () => sock.destroy());
    sock.on('close', () => { session.closed = true; });
    sock.on('error', () => undefined);
    sock.write('220 fake.test LMTP ready\r\n');
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        session.commands.push(line);
        const verb = line.split(/[ :]/)[0].toUpperCase();
        if (verb === 'LHLO') sock.write('250-fake.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n');
        else if (verb === 'MAIL') sock.write('250 2.1.0 ok\r\n');
        else if (verb === 'RCPT') {
          const addr = /<([^>]*)>/.exec(line)?.[1] ?? '';
          sock.write(this.mailboxes.includes(addr.toLowerCase()) ? '250 2.1.5 ok\r\n' : '550 5.1.1 Mailbox unknown\r\n');
        } else if (verb === 'RSET' || verb === 'NOOP') sock.write('250 2.0.0 ok\r\n');
        else if (verb === 'QUIT') { sock.end('221 2.0.0 bye\r\n'); }
        else sock.write('503 5.5.1 not in this test\r\n');
      }
    });
  }
}
