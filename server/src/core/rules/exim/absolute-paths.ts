// Paths Exim needs absolute and only finds out about at delivery, where it defers every
// address (each checked with exim4 -odf): appendfile's `file` and `directory` ("file or
// directory name ... is not absolute"), a redirect router's `file` ("... is not an absolute
// path"), a transport's `home_directory` and `current_directory` and the routers'
// `transport_home_directory` and `transport_current_directory` ("... path ... is not absolute
// for ... transport"). Only a value whose start is written out is judged: one that starts
// with an expansion ($home/...) may well be absolute.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given } from './instance-options';
import { RUN_TIME } from './suggest';

const TRANSPORT_PATHS = ['home_directory', 'current_directory'];
const ROUTER_PATHS = ['transport_home_directory', 'transport_current_directory'];
const DRIVER_PATHS: Record<string, readonly string[]> = { appendfile: ['file', 'directory'], redirect: ['file'] };

export function checkAbsolutePaths(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) paths(t, TRANSPORT_PATHS, out);
  for (const r of cfg.routers) paths(r, ROUTER_PATHS, out);
  return out;
}

function paths(inst: DriverInstance, generic: readonly string[], out: Finding[]): void {
  const own = DRIVER_PATHS[inst.driver?.trim() ?? ''];
  for (const name of own ? [...own, ...generic] : generic) {
    const s = given(inst, name);
    const v = s?.value?.trim();
    if (!s || !v || v.startsWith('/') || v.startsWith('$') || v.startsWith('\\')) continue;
    const at = s.valueLoc ?? s.nameLoc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(inst)}, "${name}" is not an absolute path ("${v}"): Exim defers every address ${inst.section === 'routers' ? 'the router handles' : 'delivered through it'} ("... is not absolute"). Write the whole path, starting with "/".`, RUN_TIME));
  }
}
