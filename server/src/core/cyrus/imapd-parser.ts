// Reads imapd.conf the way lib/libconfig.c does. A line ending in a backslash continues on
// the next one (the backslash and line break are dropped, even in a comment). A `#` starts a
// comment only as the first non-blank character. A name is an optional `@` then letters,
// digits, `-` and `_`, lower-cased, followed directly by `:`. Values lose surrounding white
// space and must not be empty. `@include: FILE` reads another file in place (FILE as the
// process opens it: a relative path from its working directory).
import * as path from 'node:path';
import { finding, type Finding } from '../diagnostic';
import type { SourceHost } from '../host';
import { LineIndex, range } from '../text';
import { isImapdOption } from '../catalog/cyrus';
import type { ImapdConf, ImapdFile, ImapdKeyKind, ImapdSetting } from './model';
import { isNameChar, isSpace } from './chars';
import { Setting } from './setting';

const MAX_SYNTAX_FINDINGS = 100;
const MAX_INCLUDE_DEPTH = 20;
/** A real imapd.conf has at most a few hundred settings; past this many we stop reading. */
export const MAX_SETTINGS = 50_000;

/** A known option in any version we target. */
const isOption = isImapdOption;

/** Names libconfig keeps in its overflow table that Cyrus really looks up. */
export function overflowKind(key: string): ImapdKeyKind | undefined {
  if (/^(partition|metapartition|archivepartition|backuppartition)-./.test(key) || /^[a-z0-9_]*searchpartition-./.test(key)) return 'partition';
  if (key.startsWith('sasl_') && key.length > 5) return 'sasl';
  if (key.startsWith('xlist-') && key.length > 6) return 'pattern';
  if (key === 'autocreate_acl') return 'pattern';
  // Murder: credentials per backend host, `<host>_password` and friends.
  if (/^[a-z0-9-]+_(password|mechs|client_cert|client_key)$/.test(key)) return 'pattern';
  return undefined;
}

/** Splits a key into prefix and option the way libconfig and `cyr_info conf-lint` do. */
export function classifyKey(key: string): { kind: ImapdKeyKind; option: string; prefix?: string } {
  if (key === '@include') return { kind: 'include', option: key };
  if (isOption(key)) return { kind: 'option', option: key };
  const ok = overflowKind(key);
  if (ok) return { kind: ok, option: key };
  for (let i = key.indexOf('_'); i > 0; i = key.indexOf('_', i + 1)) {
    const rest = key.slice(i + 1);
    if (isOption(rest)) return { kind: 'option', option: rest, prefix: key.slice(0, i) };
    const rk = overflowKind(rest);
    if (rk) return { kind: rk, option: rest, prefix: key.slice(0, i) };
  }
  return { kind: 'unknown', option: key };
}

interface Segment { logical: number; offset: number }

export function parseImapdConf(file: string, host: SourceHost): ImapdConf {
  const findings: Finding[] = [];
  let dropped = 0;
  const files: ImapdFile[] = [];
  const settings: ImapdSetting[] = [];
  const included = new Set<string>();

  const report = (f: string, r: ReturnType<typeof range>, msg: string, severity?: 'warning') => {
    if (findings.length >= MAX_SYNTAX_FINDINGS) { dropped++; return; }
    findings.push(finding('imapd/syntax', f, r, msg, severity ? { severity } : {}));
  };

  function readOne(f: string, text: string, depth: number): void {
    const lines = new LineIndex(text);
    files.push({ path: f, text, lines });
    included.add(path.resolve(f));
    let off = 0;
    /** The logical line's pieces when it is continued, else undefined (it starts at `base`). */
    let segs: Segment[] | undefined;
    let base = 0;
    /** A logical line's offset as an offset in the text. */
    const textOffset = (i: number): number => {
      if (!segs) return base + i;
      let lo = 0, hi = segs.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (segs[mid].logical <= i) lo = mid; else hi = mid - 1; }
      return segs[lo].offset + (i - segs[lo].logical);
    };
    const R = (s: number, e: number) => ({ start: lines.positionAt(textOffset(s)), end: lines.positionAt(textOffset(Math.max(s, e))) });
    while (off < text.length) {
      if (settings.length >= MAX_SETTINGS) {
        findings.push(finding('imapd/syntax', f, { start: lines.positionAt(off), end: lines.positionAt(off) },
          `More than ${MAX_SETTINGS} settings; the file was checked only up to here. Is this really an imapd.conf?`, { severity: 'warning' }));
        return;
      }
      // Gather one logical line: physical lines joined while they end in "\\\n".
      let logical = '';
      let start = off;
      /** Where each joining backslash is (a continued line only). */
      let continuedFrom: number[] | undefined;
      const firstNl = text.indexOf('\n', off);
      const firstEnd = firstNl < 0 ? text.length : firstNl;
      // Most lines are not continued: the line itself, its offsets the text's from `off`.
      if (firstNl < 0 || firstEnd === off || text.charCodeAt(firstEnd - 1) !== 92) {
        segs = undefined;
        base = off;
        logical = text.slice(off, firstEnd);
        off = firstNl < 0 ? text.length : firstNl + 1;
      } else for (segs = [], continuedFrom = [];;) {
        const nl = text.indexOf('\n', start);
        const lineEnd = nl < 0 ? text.length : nl;
        segs.push({ logical: logical.length, offset: start });
        const piece = text.slice(start, lineEnd);
        if (nl >= 0 && piece.endsWith('\\')) {
          logical += piece.slice(0, -1);
          continuedFrom.push(lineEnd - 1);
          start = nl + 1;
          if (start >= text.length) { off = start; break; }
          continue;
        }
        logical += piece;
        off = nl < 0 ? text.length : nl + 1;
        break;
      }

      let line = logical;
      const nul = line.indexOf('\0');
      if (nul >= 0) {
        report(f, R(nul, nul + 1), 'A NUL byte: Cyrus stops reading the line here. Is this a text file?');
        line = line.slice(0, nul);
      }
      let p = 0;
      while (p < line.length && isSpace(line.charCodeAt(p))) p++;
      if (p >= line.length) continue;
      if (line[p] === '#') {
        if (segs && continuedFrom?.length) {
          const swallowed = segs.slice(1).map((s) => text.slice(s.offset, text.indexOf('\n', s.offset) < 0 ? text.length : text.indexOf('\n', s.offset)).trim()).filter((t) => t && !t.startsWith('#'));
          if (swallowed.length) {
            const bs = continuedFrom[0];
            report(f, { start: lines.positionAt(bs), end: lines.positionAt(bs + 1) },
              `This comment ends with '\\', so Cyrus joins the next line to it and ignores '${swallowed[0].slice(0, 60)}'. Remove the backslash.`, 'warning');
          }
        }
        continue;
      }
      const ks = p;
      if (line[p] === '@') p++;
      let upper = false;
      for (let c; p < line.length && isNameChar(c = line.charCodeAt(p)); p++) if (c >= 65 && c <= 90) upper = true;
      const rawName = line.slice(ks, p);
      let end = line.length;
      while (end > p && isSpace(line.charCodeAt(end - 1))) end--;
      if (line[p] !== ':') {
        let q = p;
        while (q < line.length && isSpace(line.charCodeAt(q))) q++;
        const msg = line[q] === ':' && rawName
          ? `No space is allowed between '${rawName}' and ':' (Cyrus refuses to start). Write '${rawName}: …'.`
          : line[p] === undefined || isSpace(line.charCodeAt(p))
            ? `Expected 'name: value' but '${rawName}' has no ':' after it (Cyrus refuses to start).`
            : `Bad character '${line[p]}' in an option name: names are letters, digits, '-' and '_', then ':' (Cyrus refuses to start).`;
        report(f, R(ks, end), msg);
        continue;
      }
      if (!rawName || rawName === '@') { report(f, R(ks, p + 1), 'An option name is missing before \':\'.'); continue; }
      let vs = p + 1;
      while (vs < end && isSpace(line.charCodeAt(vs))) vs++;
      const value = line.slice(vs, end);
      if (!value) {
        report(f, R(ks, Math.max(end, p + 1)), `'${rawName}' has an empty value (Cyrus refuses to start). Give a value or delete the line.`);
        continue;
      }
      const key = upper ? rawName.toLowerCase() : rawName;
      if (key.startsWith('@')) {
        if (key !== '@include') {
          report(f, R(ks, p), `Unknown directive '${rawName}': the only one is @include.`);
          continue;
        }
        settings.push(new Setting(rawName, key, key, undefined, 'include', value, f, lines, textOffset(ks), textOffset(p), textOffset(vs), textOffset(end)));
        // Cyrus opens a relative path from its working directory, which is not this file's
        // and differs between master and its services: we cannot know what it reads
        // (imapd/invalid-value says so).
        if (!path.posix.isAbsolute(value)) continue;
        const target = value;
        if (included.has(path.resolve(target))) {
          report(f, R(vs, end), `${value} is included a second time (Cyrus refuses to start). Include each file once.`);
          continue;
        }
        if (depth >= MAX_INCLUDE_DEPTH) { report(f, R(vs, end), 'Includes nested too deeply.'); continue; }
        const t = host.readFile(target);
        if (t === undefined) {
          report(f, R(vs, end), `Cannot read the included file ${target} (Cyrus refuses to start without it).`);
          continue;
        }
        readOne(target, t, depth + 1);
        continue;
      }
      const c = classifyKey(key);
      settings.push(new Setting(rawName, key, c.option, c.prefix, c.kind, value, f, lines, textOffset(ks), textOffset(p), textOffset(vs), textOffset(end)));
      if (continuedFrom?.length) swallowedSetting(f, rawName, segs!, continuedFrom);
    }

    /**
     * A value that ends in '\\' before a line that is a setting of its own (`name: value` from
     * its first column, name an option Cyrus knows): Cyrus joins that line to the value, so
     * the option keeps a wrong value and the next one is never set.
     */
    function swallowedSetting(f: string, rawName: string, parts: Segment[], backslashes: number[]): void {
      for (let k = 1; k < parts.length; k++) {
        const at = parts[k].offset;
        const nl = text.indexOf('\n', at);
        const next = /^([A-Za-z0-9_-]+):/.exec(text.slice(at, nl < 0 ? text.length : nl));
        if (!next || classifyKey(next[1].toLowerCase()).kind === 'unknown') continue;
        const bs = backslashes[k - 1];
        report(f, { start: lines.positionAt(bs), end: lines.positionAt(bs + 1) },
          `This value of '${rawName}' ends with '\\', so Cyrus joins the next line to it: '${next[1]}' is then part of the value, not a setting of its own. Remove the backslash.`, 'warning');
        return;
      }
    }
  }

  const text = host.readFile(file) ?? '';
  readOne(file, text, 0);
  if (dropped) findings.push(finding('imapd/syntax', file, range(0, 0, 0, 0), `${dropped} more syntax errors not shown. Is this really an imapd.conf?`));
  const root = files[0];
  return { file, text: root.text, lines: root.lines, files, settings, parseFindings: findings };
}
