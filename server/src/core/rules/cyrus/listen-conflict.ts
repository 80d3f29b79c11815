// cyrus/listen-conflict: two services bound to one address and port (a wildcard covers
// every address of its family) or one socket path (/var/run being /run). The second bind
// fails or, for a UNIX socket, master unlinks the first service's socket and takes it over.
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf, CyrusEntry, Endpoint } from '../../cyrus/model';
import { firstArg } from '../../cyrus/entry';
import { addressesOverlap, boundAddresses, sameSocketPath, socketPathKey } from '../../cyrus/endpoint';

function describe(e: Endpoint): string {
  return e.kind === 'unix' ? e.path : `${e.host === undefined ? '*' : e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

function conflicts(a: CyrusEntry, b: CyrusEntry): boolean {
  const x = a.listen!, y = b.listen!;
  if (x.kind === 'unix' || y.kind === 'unix') {
    return x.kind === 'unix' && y.kind === 'unix' && sameSocketPath(x.path, y.path);
  }
  if (x.port !== y.port || a.proto.startsWith('udp') !== b.proto.startsWith('udp')) return false;
  const ax = boundAddresses(x, a.proto), by = boundAddresses(y, b.proto);
  return ax.some((p) => by.some((q) => addressesOverlap(p, q)));
}

export function checkListenConflict(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  // Only services on one port (or one path) can clash; within a bucket, compare with one
  // representative per distinct address set so a huge file stays linear.
  const buckets = new Map<string, Map<string, CyrusEntry>>();
  for (const b of conf.entries) {
    if (b.section !== 'SERVICES' || !b.listen) continue;
    const l = b.listen;
    const bucketKey = l.kind === 'unix' ? 'u:' + socketPathKey(l.path) : `t:${l.port}:${b.proto.startsWith('udp') ? 'd' : 's'}`;
    const shapeKey = l.kind === 'unix' ? '' : boundAddresses(l, b.proto).join(',');
    let bucket = buckets.get(bucketKey);
    if (!bucket) buckets.set(bucketKey, bucket = new Map());
    const a = [...bucket.values()].find((x) => x.name !== b.name && conflicts(x, b));
    if (a) {
      const lb = firstArg(b.args, 'listen')!;
      out.push(finding('cyrus/listen-conflict', conf.file, lb.valueLoc.range,
        `'${b.name}' listens on ${describe(b.listen)}, which '${a.name}' (line ${a.loc.range.start.line + 1}) already uses${describe(a.listen!) !== describe(b.listen) ? ` as ${describe(a.listen!)}` : ''}. Give one of them another ${b.listen.kind === 'unix' ? 'socket path' : 'port or address'}.`,
        { related: [{ file: conf.file, range: firstArg(a.args, 'listen')!.valueLoc.range, message: `'${a.name}' listens here` }] }));
    }
    if (!bucket.has(shapeKey)) bucket.set(shapeKey, b);
  }
  return out;
}
