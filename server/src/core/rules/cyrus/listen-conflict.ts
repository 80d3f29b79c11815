// cyrus/listen-conflict: two services bound to one address and port (a wildcard covers
// every address of its family) or one socket path. The second bind fails or, for a UNIX
// socket, master unlinks the first service's socket and takes it over.
import * as path from 'node:path';
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf, CyrusEntry, Endpoint } from '../../cyrus/model';
import { addressesOverlap, boundAddresses } from '../../cyrus/endpoint';

function describe(e: Endpoint): string {
  return e.kind === 'unix' ? e.path : `${e.host === undefined ? '*' : e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

function conflicts(a: CyrusEntry, b: CyrusEntry): boolean {
  const x = a.listen!, y = b.listen!;
  if (x.kind === 'unix' || y.kind === 'unix') {
    return x.kind === 'unix' && y.kind === 'unix' && path.posix.normalize(x.path) === path.posix.normalize(y.path);
  }
  if (x.port !== y.port || a.proto.startsWith('udp') !== b.proto.startsWith('udp')) return false;
  const ax = boundAddresses(x, a.proto), by = boundAddresses(y, b.proto);
  return ax.some((p) => by.some((q) => addressesOverlap(p, q)));
}

export function checkListenConflict(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  const services = conf.entries.filter((e) => e.section === 'SERVICES' && e.listen);
  for (let i = 0; i < services.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = services[j], b = services[i];
      if (a.name === b.name || !conflicts(a, b)) continue;
      const l = b.argMap.get('listen')!;
      out.push(finding('cyrus/listen-conflict', conf.file, l.valueLoc.range,
        `'${b.name}' listens on ${describe(b.listen!)}, which '${a.name}' (line ${a.loc.range.start.line + 1}) already uses${describe(a.listen!) !== describe(b.listen!) ? ` as ${describe(a.listen!)}` : ''}. Give one of them another ${b.listen!.kind === 'unix' ? 'socket path' : 'port or address'}.`,
        { related: [{ file: conf.file, range: a.argMap.get('listen')!.valueLoc.range, message: `'${a.name}' listens here` }] }));
      break;
    }
  }
  return out;
}
