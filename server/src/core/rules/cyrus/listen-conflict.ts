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

/**
 * Services on one port (or one path). Within it, one representative per distinct address
 * set, so a huge file stays linear; the sets are worked out only once a second service
 * comes, as most ports have one.
 */
interface Bucket { first: CyrusEntry; byShape: Map<string, CyrusEntry> | undefined }

const shapeOf = (e: CyrusEntry) => e.listen!.kind === 'unix' ? '' : boundAddresses(e.listen as Endpoint & { kind: 'tcp' }, e.proto).join(',');

export function checkListenConflict(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  const unix = new Map<string, Bucket>(), stream = new Map<number, Bucket>(), dgram = new Map<number, Bucket>();
  for (const b of conf.entries) {
    if (b.section !== 'SERVICES' || !b.listen) continue;
    const l = b.listen;
    let bucket: Bucket | undefined;
    if (l.kind === 'unix') {
      const k = socketPathKey(l.path);
      bucket = unix.get(k);
      if (!bucket) { unix.set(k, { first: b, byShape: undefined }); continue; }
    } else {
      const ports = b.proto.startsWith('udp') ? dgram : stream;
      bucket = ports.get(l.port);
      if (!bucket) { ports.set(l.port, { first: b, byShape: undefined }); continue; }
    }
    if (!bucket.byShape) bucket.byShape = new Map([[shapeOf(bucket.first), bucket.first]]);
    let a: CyrusEntry | undefined;
    for (const x of bucket.byShape.values()) if (x.name !== b.name && conflicts(x, b)) { a = x; break; }
    if (a) {
      const lb = firstArg(b.args, 'listen')!;
      out.push(finding('cyrus/listen-conflict', conf.file, lb.valueLoc.range,
        `'${b.name}' listens on ${describe(l)}, which '${a.name}' (line ${a.loc.range.start.line + 1}) already uses${describe(a.listen!) !== describe(l) ? ` as ${describe(a.listen!)}` : ''}. Give one of them another ${l.kind === 'unix' ? 'socket path' : 'port or address'}.`,
        { related: [{ file: conf.file, range: firstArg(a.args, 'listen')!.valueLoc.range, message: `'${a.name}' listens here` }] }));
    }
    const shape = shapeOf(b);
    if (!bucket.byShape.has(shape)) bucket.byShape.set(shape, b);
  }
  return out;
}
