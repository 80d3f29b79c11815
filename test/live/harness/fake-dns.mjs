// A DNS server for live tests, on 127.0.0.1:53 inside a network namespace of the test's
// own (never the machine's): it answers A queries for the names it is given, NXDOMAIN for
// any other name, and an empty answer for other types. Each query's name is printed, so a
// test can see what Exim looked up.
//   node fake-dns.mjs '{"2.0.0.127.zen.example": "127.0.0.2"}'
import * as dgram from 'node:dgram';

const answers = new Map(Object.entries(JSON.parse(process.argv[2] ?? '{}')).map(([k, v]) => [k.toLowerCase(), v]));

/** The question's name and where its type starts. */
function question(msg) {
  const labels = [];
  let i = 12;
  while (i < msg.length && msg[i] !== 0) {
    labels.push(msg.subarray(i + 1, i + 1 + msg[i]).toString('latin1'));
    i += 1 + msg[i];
  }
  return { name: labels.join('.'), end: i + 1 };
}

const server = dgram.createSocket('udp4');
server.on('message', (msg, peer) => {
  if (msg.length < 17) return;
  const { name, end } = question(msg);
  const type = msg.readUInt16BE(end);
  const q = msg.subarray(12, end + 4);
  const ip = answers.get(name.toLowerCase());
  process.stdout.write(`query ${type === 1 ? 'A' : type} ${name}\n`);
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2);
  const found = ip !== undefined;
  // QR, opcode as asked, AA, RD copied, RA; RCODE 3 (NXDOMAIN) for an unknown name.
  header.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | 0x0080 | (found || answers.has(name.toLowerCase()) ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  const answer = found && type === 1
    ? Buffer.concat([Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]), Buffer.from(ip.split('.').map(Number))])
    : Buffer.alloc(0);
  header.writeUInt16BE(answer.length ? 1 : 0, 6);
  server.send(Buffer.concat([header, q, answer]), peer.port, peer.address);
});
server.bind(53, '127.0.0.1', () => process.stdout.write('ready\n'));
// However the test ends, the server goes within a minute: no process is left behind.
setTimeout(() => process.exit(0), 60_000).unref();
