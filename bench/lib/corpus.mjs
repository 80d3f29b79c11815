// Lays the Exim test-suite corpus out the way Exim's runtest does (subst.pl's substitutions
// into a scratch DIR, confs as DIR/test-config-NNNN), so our checker and the real
// `exim4 -bV` read exactly the same files (scripts/testsuite-layout.mjs, as `npm run corpus`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layOutAux, scratchDir, writeConf } from '../../scripts/testsuite-layout.mjs';

export const DEFAULT_CORPUS = '/work/shared/corpus';

export function findCorpus(root) {
  // $EXIM_CYRUS_CORPUS, when set, is the only place looked at (set it to "none" to bench without).
  const candidates = process.env.EXIM_CYRUS_CORPUS ? [process.env.EXIM_CYRUS_CORPUS] : [path.join(root, '../shared/corpus'), DEFAULT_CORPUS];
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, 'exim-testsuite/confs'))) return path.resolve(c);
  }
  return undefined;
}

/**
 * Writes every conf into a scratch DIR. Returns the confs (name, path, bytes), the Cyrus
 * example files, and a cleanup function. The scratch dir is world-readable so exim4 (run as
 * root, but dropping privileges for some checks) can read it.
 */
export function layOutCorpus(corpusRoot) {
  const suite = path.join(corpusRoot, 'exim-testsuite');
  const scratch = scratchDir('exim-cyrus-bench-');
  fs.chmodSync(scratch, 0o755);
  const DIR = path.join(scratch, 'DIR');
  layOutAux(suite, DIR);
  const confs = [];
  for (const name of fs.readdirSync(path.join(suite, 'confs')).sort()) {
    const c = writeConf(suite, DIR, name);
    if (c) confs.push(c);
  }
  const cyrus = [];
  const ex = path.join(corpusRoot, 'cyrus-examples');
  for (const [sub, kind] of [['cyrus_conf', 'cyrus-conf'], ['imapd_conf', 'imapd-conf']]) {
    const d = path.join(ex, sub);
    if (!fs.existsSync(d)) continue;
    for (const name of fs.readdirSync(d).sort()) {
      const file = path.join(d, name);
      if (fs.statSync(file).isFile()) cyrus.push({ name: `${sub}/${name}`, file, kind, bytes: fs.statSync(file).size });
    }
  }
  return { DIR, confs, cyrus, cleanup: () => fs.rmSync(scratch, { recursive: true, force: true }) };
}
