// Paths a transport must have absolute, which Exim only finds out at delivery: appendfile's
// `file` and `directory` (exim4 -odf: every delivery deferred, "appendfile: file or
// directory name ... is not absolute"). Only a value whose start is written out is judged:
// one that starts with an expansion ($home/...) may well be absolute.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given } from './instance-options';
import { RUN_TIME } from './suggest';

export function checkTransportPaths(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'appendfile') continue;
    for (const name of ['file', 'directory']) {
      const s = given(t, name);
      const v = s?.value?.trim();
      if (!s || !v || v.startsWith('/') || v.startsWith('$') || v.startsWith('\\')) continue;
      const at = s.valueLoc ?? s.nameLoc;
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${describe(t)}, "${name}" is not an absolute path ("${v}"): Exim defers every delivery through it ("file or directory name ... is not absolute"). Write the whole path, such as /var/mail/$local_part.`, RUN_TIME));
    }
  }
  return out;
}
