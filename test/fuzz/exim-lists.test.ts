// splitList finds separators and expansions natively; it must split exactly as a plain
// character-by-character reading of string_nextinlist does (kept here as the reference).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitList, type SplitOptions } from '../../server/src/core/exim/lists';
import { check, runs, TIMEOUT } from './support';

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isCntrl = (c: number) => c < 32 || c === 127;
const isPunct = (c: number) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);

function reference(s: string, o: SplitOptions) {
  let i = 0;
  let sep = o.sep ?? ':';
  while (i < s.length && isSpace(s.charCodeAt(i)) && s.charCodeAt(i) !== sep.charCodeAt(0)) i++;
  if (o.sep === undefined && s[i] === '<' && (isPunct(s.charCodeAt(i + 1)) || isCntrl(s.charCodeAt(i + 1)))) { sep = s[i + 1]; i += 2; }
  const sc = sep.charCodeAt(0);
  const items: { text: string; start: number; end: number; negated: boolean; bodyStart: number }[] = [];
  while (i < s.length) {
    while (i < s.length && isSpace(s.charCodeAt(i)) && s.charCodeAt(i) !== sc) i++;
    if (i >= s.length) break;
    const start = i;
    let text = '';
    let depth = 0;
    for (; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch === 92 && depth > 0) { text += s.slice(i, i + 2); i++; continue; }
      if (!o.literal && ch === 36 && s.charCodeAt(i + 1) === 123) { depth++; text += '${'; i++; continue; }
      if (depth > 0) { if (ch === 123) depth++; else if (ch === 125) depth--; text += s[i]; continue; }
      if (ch === sc) {
        if (!isCntrl(sc) && s.charCodeAt(i + 1) === sc) { text += s[i]; i++; continue; }
        break;
      }
      text += s[i];
    }
    let end = Math.min(i, s.length);
    while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
    text = text.replace(/[\t\n\v\f\r ]+$/, '');
    let bodyStart = start;
    const negated = text.charCodeAt(0) === 33;
    if (negated) { bodyStart++; while (bodyStart < end && isSpace(s.charCodeAt(bodyStart))) bodyStart++; }
    items.push({ text, start, end, negated, bodyStart });
    i++;
  }
  return { separator: sep, items };
}

const listText = fc.array(fc.constantFrom(':', '::', ';', '<', '$', '${', '{', '}', '\\', '!', ' ', '\n', 'a', 'b'), { maxLength: 40 }).map((a) => a.join(''));
const options = fc.record({ literal: fc.boolean(), sep: fc.constantFrom(undefined, ':', '\n', ';') }, { requiredKeys: [] });

test('splitList splits as a character-by-character reading does', { timeout: TIMEOUT }, () => {
  check('exim-split-list', fc.tuple(listText, options), ([s, o]) => {
    const opts: SplitOptions = { ...(o.literal ? { literal: true } : {}), ...(o.sep !== undefined ? { sep: o.sep } : {}) };
    assert.deepEqual(splitList(s, opts), reference(s, opts));
  }, runs(2000));
});
