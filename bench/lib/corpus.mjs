// Lays the Exim test-suite corpus out the way Exim's runtest does (subst.pl's substitutions
// into a scratch DIR, confs as DIR/test-config-NNNN), so our checker and the real
// `exim4 -bV` read exactly the same files. Same rules as scripts/corpus.mjs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_CORPUS = '/work/shared/corpus';

export function findCorpus(root) {
  // $EXIM_CYRUS_CORPUS, when set, is the only place looked at (set it to "none" to bench without).
  const candidates = process.env.EXIM_CYRUS_CORPUS ? [process.env.EXIM_CYRUS_CORPUS] : [path.join(root, '../shared/corpus'), DEFAULT_CORPUS];
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, 'exim-testsuite/confs'))) return path.resolve(c);
  }
  return undefined;
}

function subst(text, testnum, DIR) {
  return text
    .replace(/\bCALLER\b/g, 'root')
    .replace(/\bCALLERGROUP\b/g, 'root')
    .replace(/\bCALLER_UID\b/g, '0')
    .replace(/\bCALLER_GID\b/g, '0')
    .replace(/\bCLAMSOCKET\b/g, '/var/run/clamav/clamd.ctl')
    .replace(/\bDIR\//g, () => DIR + '/')
    .replace(/\bEXIMGROUP\b/g, 'Debian-exim')
    .replace(/\bEXIMUSER\b/g, 'Debian-exim')
    .replace(/\bHOSTIPV4\b/g, '127.0.0.1')
    .replace(/\bHOSTIPV6\b/g, '::1')
    .replace(/\bHOSTNAME\b/g, 'vm')
    .replace(/(\b|_)PORT_D\b/g, '$11225')
    .replace(/\bPORT_D2\b/g, '1226')
    .replace(/\bPORT_D3\b/g, '1227')
    .replace(/\bPORT_D4\b/g, '1228')
    .replace(/\bPORT_N\b/g, '1223')
    .replace(/\bPORT_S\b/g, '1224')
    .replace(/\bTESTNUM\b/g, () => testnum)
    .replace(/(\b|_)V4NET([._])/g, '$1224$2')
    .replace(/\bV6NET:/g, 'ff00:')
    .replace(/\bPORT_DYNAMIC\b/g, '1229')
    .replace(/\bMAILGROUP\b/g, 'mail');
}
const readBytes = (p) => fs.readFileSync(p).toString('latin1');
const writeBytes = (p, s) => fs.writeFileSync(p, Buffer.from(s, 'latin1'));

function resolveConf(confs, name, depth = 0) {
  const p = path.join(confs, name);
  if (depth > 5 || !fs.existsSync(p) || fs.statSync(p).isDirectory() || fs.statSync(p).size > 64) return p;
  const target = fs.readFileSync(p, 'latin1').trim();
  return /^[\w.-]+$/.test(target) && target !== name && fs.existsSync(path.join(confs, target))
    ? resolveConf(confs, target, depth + 1) : p;
}

/**
 * Writes every conf into a scratch DIR. Returns the confs (name, path, bytes), the Cyrus
 * example files, and a cleanup function. The scratch dir is world-readable so exim4 (run as
 * root, but dropping privileges for some checks) can read it.
 */
export function layOutCorpus(corpusRoot) {
  const suite = path.join(corpusRoot, 'exim-testsuite');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-bench-'));
  fs.chmodSync(scratch, 0o755);
  const DIR = path.join(scratch, 'DIR');
  fs.mkdirSync(path.join(DIR, 'aux-var'), { recursive: true });
  fs.mkdirSync(path.join(DIR, 'spool/log'), { recursive: true });
  if (fs.existsSync(path.join(suite, 'aux-fixed'))) fs.cpSync(path.join(suite, 'aux-fixed'), path.join(DIR, 'aux-fixed'), { recursive: true, dereference: true });
  fs.cpSync(path.join(suite, 'confs'), path.join(DIR, 'confs'), { recursive: true, dereference: true });
  const auxSrc = path.join(suite, 'aux-var-src');
  if (fs.existsSync(auxSrc)) {
    for (const name of fs.readdirSync(auxSrc)) {
      const testnum = /^\d+/.exec(name)?.[0] ?? '0';
      writeBytes(path.join(DIR, 'aux-var', name), subst(readBytes(path.join(auxSrc, name)), testnum, DIR));
    }
  }
  const confs = [];
  const confDir = path.join(suite, 'confs');
  for (const name of fs.readdirSync(confDir).sort()) {
    const src = resolveConf(confDir, name);
    if (!fs.existsSync(src) || fs.statSync(src).isDirectory()) continue;
    const file = path.join(DIR, `test-config-${name}`);
    const text = subst(readBytes(src), /^\d+/.exec(name)?.[0] ?? '0', DIR);
    writeBytes(file, text);
    confs.push({ name, file, bytes: Buffer.byteLength(text, 'latin1') });
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
