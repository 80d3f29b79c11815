// Lays out Exim's test-suite configs the way its runtest does: subst.pl's substitutions
// into a scratch DIR, with aux-fixed, aux-var and the confs beside them, so every reader
// (`npm run corpus`, the bench, the real `exim4 -bV` it is compared with) sees the same files.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A new scratch directory under the system's temp dir whose name has no upper-case letter.
 * The confs' paths pass through macro substitution like the rest of their text, and an
 * Exim macro name starts with one: mkdtemp's random `-CAx3q1` would be replaced wherever a
 * conf defines `CA` (as Exim itself would do), breaking its includes on one run in a few
 * hundred. Made 0700, as mkdtemp makes it.
 */
export function scratchDir(prefix) {
  for (;;) {
    const dir = path.join(os.tmpdir(), prefix + randomBytes(6).toString('hex'));
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
      return dir;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
  }
}

/** runtest's substitutions (subst.pl), word rules as in Perl's \b. */
export function subst(text, testnum, DIR) {
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

// Bytes in, bytes out: some confs are not UTF-8.
export const readBytes = (p) => fs.readFileSync(p).toString('latin1');
export const writeBytes = (p, s) => fs.writeFileSync(p, Buffer.from(s, 'latin1'));

/** The test number a conf or aux file is named for. */
export const testNumber = (name) => /^\d+/.exec(name)?.[0] ?? '0';

/**
 * Symlinks between confs may arrive as small files holding the target's name (git's form
 * of a link); follow them like the link would.
 */
export function resolveConf(confDir, name, depth = 0) {
  const p = path.join(confDir, name);
  if (depth > 5 || !fs.existsSync(p) || fs.statSync(p).isDirectory() || fs.statSync(p).size > 64) return p;
  const target = fs.readFileSync(p, 'latin1').trim();
  return /^[\w.-]+$/.test(target) && target !== name && fs.existsSync(path.join(confDir, target))
    ? resolveConf(confDir, target, depth + 1) : p;
}

/** Fills DIR with what the confs read: aux-fixed, aux-var (substituted), confs, spool/log. */
export function layOutAux(suite, DIR) {
  fs.mkdirSync(path.join(DIR, 'aux-var'), { recursive: true });
  fs.mkdirSync(path.join(DIR, 'spool/log'), { recursive: true });
  if (fs.existsSync(path.join(suite, 'aux-fixed'))) fs.cpSync(path.join(suite, 'aux-fixed'), path.join(DIR, 'aux-fixed'), { recursive: true, dereference: true });
  fs.cpSync(path.join(suite, 'confs'), path.join(DIR, 'confs'), { recursive: true, dereference: true });
  const auxSrc = path.join(suite, 'aux-var-src');
  if (!fs.existsSync(auxSrc)) return;
  for (const name of fs.readdirSync(auxSrc)) {
    writeBytes(path.join(DIR, 'aux-var', name), subst(readBytes(path.join(auxSrc, name)), testNumber(name), DIR));
  }
}

/** Writes conf `name` into DIR as runtest does (DIR/test-config-NAME); undefined when there is no such file. */
export function writeConf(suite, DIR, name) {
  const src = resolveConf(path.join(suite, 'confs'), name);
  if (!fs.existsSync(src) || fs.statSync(src).isDirectory()) return undefined;
  const file = path.join(DIR, `test-config-${name}`);
  const text = subst(readBytes(src), testNumber(name), DIR);
  writeBytes(file, text);
  return { name, file, bytes: Buffer.byteLength(text, 'latin1') };
}
