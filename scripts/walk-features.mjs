// A property walk of the editor features over real configs: every feature is called at
// every token start (every position of a short file) and its answers are checked against
// invariants that hold whatever the config says. Not part of `npm test`: a developer tool
// for finding bugs, in the spirit of the mutation scripts.
//
//   node scripts/walk-features.mjs [--sample N] [--corpus DIR] [--extra DIR] [--only NAME] [--verbose]
//
// Cases: examples/reference and examples/broken (always), Debian's /etc/exim4 (split
// conf.d and the template; skipped when absent), and from ../shared/corpus (skipped with a
// message when absent): the Cyrus examples and a sample of N (default 60) Exim test-suite
// confs, laid out as runtest does; with --extra, every file of DIR as a case of its own (a
// collection of configs from elsewhere: a name with "cyrus" or "imapd" in it is read as that
// Cyrus file, any other as an Exim config). Edits (rename, completion items, quick fixes) are tried
// in the workspace's memory overlay, never written to disk.
import { loadBundled } from './bundle-core.mjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layOutAux, scratchDir, writeConf } from './testsuite-layout.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const verbose = args.includes('--verbose');
const sampleSize = Number(opt('--sample', '60'));
const only = opt('--only');
const corpusRoot = path.resolve(opt('--corpus', path.join(root, '../shared/corpus')));
const extra = opt('--extra');

const F = await loadBundled(root, `
export * from './server/src/core/features';
export { LineIndex } from './server/src/core/text';
export { lookupOption, eximOption, aclCondition, availableIn } from './server/src/core/catalog/exim';
`);

// ---- violations ---------------------------------------------------------------------
const counts = new Map();
const examples = new Map();
const checked = new Map();
function count(invariant) { checked.set(invariant, (checked.get(invariant) ?? 0) + 1); }
function violation(invariant, where, detail) {
  counts.set(invariant, (counts.get(invariant) ?? 0) + 1);
  const list = examples.get(invariant) ?? [];
  if (list.length < (verbose ? 50 : 4)) list.push(`${where}: ${detail}`);
  examples.set(invariant, list);
}
function guard(feature, where, f) {
  count(`${feature}: does not throw`);
  try { return f(); } catch (e) { violation(`${feature}: does not throw`, where, (e?.stack ?? String(e)).split('\n').slice(0, 3).join(' | ')); return undefined; }
}

// ---- text helpers -------------------------------------------------------------------
const cmp = (a, b) => a.line - b.line || a.character - b.character;
const pos = (line, character) => ({ line, character });
const at = (file, p) => `${shown(file)}:${p.line + 1}:${p.character + 1}`;
let shownBase = [];
const shown = (f) => { for (const [b, s] of shownBase) if (f.startsWith(b)) return s + f.slice(b.length); return f; };

function linesOf(ws, file) {
  const text = ws.host.readFile(file);
  return text === undefined ? undefined : new F.LineIndex(text);
}

/** Why a range does not lie inside the document (and each end inside its line), or undefined. */
function rangeProblem(lines, r) {
  if (!r?.start || !r?.end) return 'no range';
  if (cmp(r.start, r.end) > 0) return `ends before it starts ${JSON.stringify(r)}`;
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `bad position ${JSON.stringify(p)}`;
    if (p.line >= lines.lineCount) return `line ${p.line + 1} past the end (${lines.lineCount} lines)`;
    if (p.character > lines.lineText(p.line).length) return `character ${p.character} past the end of line ${p.line + 1} (${lines.lineText(p.line).length})`;
  }
  return undefined;
}
function checkRange(invariant, lines, r, where) {
  count(invariant);
  const bad = rangeProblem(lines, r);
  if (bad) violation(invariant, where, bad);
  return !bad;
}
const textOf = (lines, r) => lines.text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
const within = (outer, inner) => cmp(outer.start, inner.start) <= 0 && cmp(inner.end, outer.end) <= 0;

/** The identifier the cursor is on. */
function wordAt(lines, p) {
  const t = lines.lineText(p.line);
  let s = p.character, e = p.character;
  while (s > 0 && /[\w.-]/.test(t[s - 1])) s--;
  while (e < t.length && /[\w.-]/.test(t[e])) e++;
  return t.slice(s, e);
}

/** Token starts (a change of character class) and ends; every position of a short file. */
function positionsOf(lines) {
  const out = [];
  const short = lines.lineCount <= 40;
  const cls = (c) => c === undefined || /\s/.test(c) ? 0 : /\w/.test(c) ? 1 : 2;
  for (let l = 0; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    for (let c = 0; c <= t.length; c++) {
      if (short || c === t.length || (cls(t[c]) !== 0 && (cls(t[c - 1]) !== cls(t[c]) || cls(t[c]) === 2)) || (c > 0 && cls(t[c - 1]) === 1 && cls(t[c]) !== 1)) out.push(pos(l, c));
    }
  }
  return out;
}

/** `edits` applied to the texts they name; a map of file → new text. */
function applyEdits(ws, edits) {
  const byFile = new Map();
  for (const e of edits) (byFile.get(path.resolve(e.file)) ?? byFile.set(path.resolve(e.file), []).get(path.resolve(e.file))).push(e);
  const out = new Map();
  for (const [file, list] of byFile) {
    const lines = linesOf(ws, file);
    if (!lines) continue;
    let text = lines.text;
    const sorted = [...list].sort((a, b) => cmp(b.range.start, a.range.start));
    for (const e of sorted) text = text.slice(0, lines.offsetAt(e.range.start)) + e.newText + text.slice(lines.offsetAt(e.range.end));
    out.set(file, text);
  }
  return out;
}

/** The analysis of `file` with `changes` laid over the workspace's texts, then the texts put back. */
function analyseWith(ws, file, changes) {
  const saved = new Map();
  for (const [f, text] of changes) {
    saved.set(f, { open: ws.isOpen(f), text: ws.host.readFile(f) });
    ws.update(f, text);
  }
  try {
    const a = ws.analyseFile(file);
    return { findings: a.findings, errors: a.errors };
  } finally {
    for (const [f, s] of saved) {
      if (s.open) ws.update(f, s.text);
      else { ws.close(f); ws.changedOnDisk(f); }
    }
  }
}
const tally = (findings, keep) => {
  const m = new Map();
  for (const f of findings) if (keep(f)) m.set(f.code, (m.get(f.code) ?? 0) + 1);
  return m;
};
const grown = (before, after) => [...after].filter(([k, n]) => n > (before.get(k) ?? 0)).map(([k, n]) => `${k} ${before.get(k) ?? 0}→${n}`);

// ---- the walk of one file -----------------------------------------------------------
function eximModel(ws, file) {
  try { return ws.analyseFile(file).exim; } catch { return undefined; }
}

/** The router/transport/authenticator whose lines hold `line` of `file`, per the model. */
function instanceAt(m, file, line) {
  for (const inst of [...m.routers, ...m.transports, ...m.authenticators]) {
    if (path.resolve(inst.nameLoc.file) !== file || path.resolve(inst.loc.file) !== file) continue;
    if (inst.nameLoc.range.start.line <= line && line <= inst.loc.range.end.line) return inst;
  }
  return undefined;
}

function walkFile(ws, file, kind, renamed) {
  const lines = linesOf(ws, file);
  if (!lines) { violation('case: file readable', file, 'unreadable'); return; }
  const m = kind === 'exim' ? eximModel(ws, file) : undefined;
  const links = guard('documentLinks', file, () => F.documentLinks(ws, file)) ?? [];
  const inLink = (p) => links.some((l) => within(l.range, { start: p, end: p }));
  const optionStarts = new Map();
  const valueStarts = new Map();
  const nameEnds = new Map();
  if (m) {
    for (const a of m.acls) for (const st of a.statements) {
      if (path.resolve(st.verbLoc.file) === file) nameEnds.set(`${st.verbLoc.range.end.line}:${st.verbLoc.range.end.character}`, { name: st.verb, what: 'ACL verb' });
      for (const it of st.items) if (path.resolve(it.nameLoc.file) === file) {
        // Completion offers what the target version has (a removed demime is not offered).
        const info = F.aclCondition(it.name);
        if (info && F.availableIn(info, 'latest')) nameEnds.set(`${it.nameLoc.range.end.line}:${it.nameLoc.range.end.character}`, { name: it.name, what: 'ACL condition', acl: true });
        // The name's Loc holds a `!` before it: hover is asked on the name itself.
        const bang = /^!?\s*/.exec(lines.lineText(it.nameLoc.range.start.line).slice(it.nameLoc.range.start.character))[0].length;
        optionStarts.set(`${it.nameLoc.range.start.line}:${it.nameLoc.range.start.character + bang}`, { acl: true, o: it });
      }
    }
    const settings = [...m.main.map((o) => ['main', o]), ...m.local_scan.map((o) => [undefined, o])];
    for (const inst of [...m.routers, ...m.transports, ...m.authenticators]) for (const o of inst.options) settings.push([inst.driver ?? inst.section, o, inst]);
    for (const [scope, o, inst] of settings) {
      if (path.resolve(o.nameLoc.file) !== file) continue;
      optionStarts.set(`${o.nameLoc.range.start.line}:${o.nameLoc.range.start.character}`, { scope, o, inst });
      if (scope && F.lookupOption(scope, o.name) && !o.negated) nameEnds.set(`${o.nameLoc.range.end.line}:${o.nameLoc.range.end.character}`, { name: o.name, what: `option of ${scope}` });
      if (o.valueLoc && path.resolve(o.valueLoc.file) === file) valueStarts.set(`${o.valueLoc.range.start.line}:${o.valueLoc.range.start.character}`, { scope, o, inst });
    }
  }

  let inactive;
  const inactiveLines = () => inactive ??= new Set(kind === 'exim' ? (guard('inactiveRanges', file, () => F.inactiveRanges(ws, file)) ?? []).map((r) => r.start.line) : []);
  for (const p of positionsOf(lines)) {
    const where = at(file, p);
    const key = `${p.line}:${p.character}`;
    // Completion.
    const items = guard('completion', where, () => F.completion(ws, file, p)) ?? [];
    const labels = new Set();
    for (const it of items) {
      if (it.replace) {
        if (checkRange('completion: replace range inside the document', lines, it.replace, where)) {
          count('completion: replace range on the cursor line and around the cursor');
          if (it.replace.start.line !== p.line || it.replace.end.line !== p.line || cmp(it.replace.start, p) > 0 || cmp(p, it.replace.end) > 0) {
            violation('completion: replace range on the cursor line and around the cursor', where, `${it.label} replaces ${JSON.stringify(it.replace)}`);
          }
        }
      }
      count('completion: labels are unique');
      // An expansion item and operator of one name (`${hash{…}}`, `${hash_3:…}`) are told apart by their detail.
      const k = `${it.kind}\0${it.label}\0${it.detail ?? ''}`;
      if (labels.has(k)) violation('completion: labels are unique', where, `${it.kind} ${it.label} twice`);
      labels.add(k);
    }
    // An inactive line (.ifdef of a macro not defined) belongs to no instance of the model:
    // completion goes by the text there, the instance written around it.
    if (m && kind === 'exim' && !inactiveLines().has(p.line)) completionScope(file, m, p, items, where);
    if (nameEnds.has(key)) {
      const { name, what } = nameEnds.get(key);
      count('completion: at the end of a known name, that name is offered');
      if (!items.some((i) => i.label === name)) violation('completion: at the end of a known name, that name is offered', where, `${what} ${name} not among ${items.length} items`);
    }
    if (m && optionStarts.get(key)?.scope) applyOptionItems(ws, file, lines, p, items, where, optionStarts.get(key));
    if (m && valueStarts.has(key)) applyValueItems(ws, file, lines, p, items, where, valueStarts.get(key));

    // Signature help: whatever the text before the cursor, a well-formed answer or none.
    const sh = guard('signatureHelp', where, () => F.signatureHelp(ws, file, p));
    if (sh) {
      count('signatureHelp: active signature and parameter exist, parameters lie in the label');
      const sig = sh.signatures[sh.activeSignature];
      const bad = !sig || sh.activeParameter < 0 || sh.activeParameter >= sig.parameters.length
        || sh.signatures.some((g) => g.parameters.some(({ label: [a, b] }) => !(0 <= a && a < b && b <= g.label.length)));
      if (bad) violation('signatureHelp: active signature and parameter exist, parameters lie in the label', where, JSON.stringify(sh));
    }

    // Hover.
    const h = guard('hover', where, () => F.hover(ws, file, p));
    if (h) {
      count('hover: markdown is not empty');
      if (typeof h.markdown !== 'string' || !h.markdown.trim()) violation('hover: markdown is not empty', where, JSON.stringify(h));
      if (h.range && checkRange('hover: range inside the document', lines, h.range, where)) {
        count('hover: range holds the cursor');
        if (!within(h.range, { start: p, end: p })) violation('hover: range holds the cursor', where, JSON.stringify(h.range));
      }
    }
    if (m && optionStarts.has(key)) {
      const { scope, o, acl } = optionStarts.get(key);
      if (acl && F.aclCondition(o.name)) {
        count('hover: every known ACL condition or modifier has one');
        if (!h) violation('hover: every known ACL condition or modifier has one', where, o.name);
      }
      if (scope && F.lookupOption(scope, o.name)) {
        count('hover: every known option name has one');
        if (!h) violation('hover: every known option name has one', where, `${o.name} (${scope})`);
      }
    }
    if (kind !== 'exim') continue;

    // Definition, references, rename.
    const defs = guard('definition', where, () => F.definition(ws, file, p)) ?? [];
    if (inLink(p)) continue;
    const word = wordAt(lines, p);
    const defTexts = [];
    for (const d of defs) {
      const dl = linesOf(ws, d.file);
      count('definition: target file exists');
      if (!dl) { violation('definition: target file exists', where, d.file); continue; }
      if (checkRange('definition: range inside the target document', dl, d.range, where)) defTexts.push(textOf(dl, d.range));
    }
    if (defTexts.length) {
      // Exim finds a macro inside a word (`1sUSE_SENDER`): the target's name is in the word.
      count('definition: first target names the word under the cursor (or a macro in it)');
      if (defTexts[0] !== word && !(/^[A-Z]/.test(defTexts[0]) && word.includes(defTexts[0]))) violation('definition: first target names the word under the cursor (or a macro in it)', where, `cursor on "${word}", definition says "${defTexts[0]}"`);
    }
    const refs = guard('references', where, () => F.references(ws, file, p, true)) ?? [];
    if (!refs.length && !defs.length) continue;
    const name = defTexts[0] ?? word;
    const sameLoc = (a, b) => path.resolve(a.file) === path.resolve(b.file) && cmp(a.range.start, b.range.start) === 0 && cmp(a.range.end, b.range.end) === 0;
    for (let i = 0; i < defs.length; i++) {
      if (defTexts[i] !== name) continue; // a name the macro stands for, not the macro itself
      count('references: include the definition');
      if (!refs.some((r) => sameLoc(r, defs[i]))) violation('references: include the definition', where, `${name} defined at ${at(defs[i].file, defs[i].range.start)} missing from ${refs.length} references`);
    }
    if (refs.length) {
      count('references: include the occurrence under the cursor');
      if (!refs.some((r) => path.resolve(r.file) === file && within(r.range, { start: p, end: p }))) violation('references: include the occurrence under the cursor', where, `"${word}": ${refs.length} references, none here`);
    }
    for (const r of refs) {
      const rl = linesOf(ws, r.file);
      if (!rl || !checkRange('references: range inside the document', rl, r.range, where)) continue;
      count('references: text equals the name');
      const t = textOf(rl, r.range).replace(/^\+/, '');
      if (t !== name) violation('references: text equals the name', where, `"${name}" referenced as "${textOf(rl, r.range)}" at ${at(r.file, r.range.start)}`);
    }
    const refKey = (l) => `${path.resolve(l.file)}:${l.range.start.line}:${l.range.start.character}`;
    const set = refs.map(refKey).sort().join('|');
    for (const r of spread(refs, 3)) {
      if (path.resolve(r.file) === file && within(r.range, { start: p, end: p })) continue;
      const again = guard('references', where, () => F.references(ws, r.file, r.range.start, true)) ?? [];
      count('references: the same from each of them');
      if (again.map(refKey).sort().join('|') !== set) violation('references: the same from each of them', where, `${refs.length} from here, ${again.length} from ${at(r.file, r.range.start)}`);
    }
    const hl = guard('documentHighlights', where, () => F.documentHighlights(ws, file, p)) ?? [];
    count('documentHighlights: the references in this file, each once');
    const hereRefs = [...new Set(refs.filter((r) => path.resolve(r.file) === file).map(refKey))].sort().join('|');
    if (hl.map((h) => refKey({ file, range: h.range })).sort().join('|') !== hereRefs) violation('documentHighlights: the references in this file, each once', where, `${hl.length} highlights, ${refs.length} references`);
    const prep = guard('prepareRename', where, () => F.prepareRename(ws, file, p));
    if (prep && 'range' in prep) {
      checkRange('prepareRename: range inside the document', lines, prep.range, where);
      count('prepareRename: range holds the cursor and its text is the placeholder');
      if (!within(prep.range, { start: p, end: p }) || textOf(lines, prep.range) !== prep.placeholder) violation('prepareRename: range holds the cursor and its text is the placeholder', where, JSON.stringify(prep));
      const entity = `${prep.placeholder}\0${defs[0] ? at(defs[0].file, defs[0].range.start) : ''}`;
      if (!renamed.has(entity)) { renamed.add(entity); walkRename(ws, file, p, prep, refs, where); }
    }
  }

  // Whole-document features.
  const syms = guard('documentSymbols', file, () => F.documentSymbols(ws, file)) ?? [];
  const walkSyms = (nodes, parent) => {
    for (const n of nodes) {
      const where = `${shown(file)}: symbol ${n.name}`;
      checkRange('documentSymbols: range inside the document', lines, n.range, where);
      checkRange('documentSymbols: range inside the document', lines, n.selectionRange, where);
      count('documentSymbols: selectionRange inside range');
      if (!within(n.range, n.selectionRange)) violation('documentSymbols: selectionRange inside range', where, `${JSON.stringify(n.selectionRange)} outside ${JSON.stringify(n.range)}`);
      if (parent) {
        count('documentSymbols: child inside its parent');
        if (!within(parent.range, n.range)) violation('documentSymbols: child inside its parent', where, `${JSON.stringify(n.range)} outside ${parent.name} ${JSON.stringify(parent.range)}`);
      }
      count('documentSymbols: name is not empty');
      if (!n.name) violation('documentSymbols: name is not empty', where, JSON.stringify(n.range));
      walkSyms(n.children ?? [], n);
    }
  };
  walkSyms(syms);
  const folds = guard('foldingRanges', file, () => F.foldingRanges(ws, file)) ?? [];
  for (const f of folds) {
    count('foldingRanges: 0 <= start < end < line count');
    if (!(f.startLine >= 0 && f.startLine < f.endLine && f.endLine < lines.lineCount)) violation('foldingRanges: 0 <= start < end < line count', shown(file), JSON.stringify(f));
  }
  for (const a of folds) for (const b of folds) {
    if (a === b) continue;
    count('foldingRanges: nest (no two cross)');
    if (a.startLine < b.startLine && b.startLine <= a.endLine && a.endLine < b.endLine) violation('foldingRanges: nest (no two cross)', shown(file), `${JSON.stringify(a)} crosses ${JSON.stringify(b)}`);
  }
  for (const l of links) {
    const where = at(file, l.range.start);
    checkRange('documentLinks: range inside the document', lines, l.range, where);
    // A missing file is linked (to create it) only where Exim reads the line: on a line a
    // false .ifdef leaves out, the path may name a macro that branch would define.
    const inv = 'documentLinks: a missing target only on a line Exim reads';
    count(inv);
    if (ws.host.readFile(l.target) === undefined && !ws.host.isDirectory(l.target) && inactiveLines().has(l.range.start.line)) violation(inv, where, l.target);
  }
  const lenses = guard('codeLenses', file, () => F.codeLenses(ws, file)) ?? [];
  for (const l of lenses) checkRange('codeLenses: range inside the document', lines, l.range, shown(file));
  for (const h of guard('inlayHints', file, () => F.inlayHints(ws, file)) ?? []) {
    const where = at(file, h.position);
    count('inlayHints: at the end of a line of the document');
    if (!(h.position.line < lines.lineCount && h.position.character === lines.lineText(h.position.line).length)) violation('inlayHints: at the end of a line of the document', where, h.label);
    for (const part of h.parts) if (part.target) {
      count('inlayHints: a linked part names what is written at its target');
      const tl = linesOf(ws, path.resolve(part.target.file));
      const written = tl?.text.slice(tl.offsetAt(part.target.range.start), tl.offsetAt(part.target.range.end));
      // A transport or router is named as written; a listener, shown as `host:port (service …)`, leads to its listen value.
      const ok = /\(service /.test(part.value) ? !!written?.trim() : part.value === written;
      if (!ok) violation('inlayHints: a linked part names what is written at its target', where, `${part.value} → ${JSON.stringify(written)}`);
    }
  }
  if (kind === 'exim') {
    for (const r of guard('inactiveRanges', file, () => F.inactiveRanges(ws, file)) ?? []) {
      checkRange('inactiveRanges: range inside the document', lines, r, at(file, r.start));
      count('inactiveRanges: one line, not blank');
      if (r.start.line !== r.end.line || !lines.lineText(r.start.line).slice(r.start.character, r.end.character).trim()) violation('inactiveRanges: one line, not blank', at(file, r.start), JSON.stringify(r));
    }
  }
  walkCodeActions(ws, file, lines);
  if (kind === 'exim') walkTypos(ws, file, lines);
  if (kind === 'imapd-conf') walkImapd(ws, file, lines);
  if (kind === 'cyrus-conf') walkCyrusConf(ws, file, lines);
}

const findingsOn = (findings, file, line, code) => findings.filter((f) => f.code === code && path.resolve(f.file) === file && f.range.start.line <= line && line <= f.range.end.line);

/** A name offered, written in place of `r`: the checker must know it (no `code` finding on the line). */
function applyName(ws, file, lines, r, label, code, where, invariant) {
  const text = lines.text.slice(0, lines.offsetAt(r.start)) + label + lines.text.slice(lines.offsetAt(r.end));
  const a = guard('analysis after a completion', where, () => analyseWith(ws, file, new Map([[file, text]])));
  if (!a) return;
  count(invariant);
  const bad = findingsOn(a.findings, file, r.start.line, code);
  if (bad.length) violation(invariant, where, `${label}: ${bad[0].message}`);
}

function walkImapd(ws, file, lines) {
  const a = ws.analyseFile(file);
  for (const st of a.imapd?.settings ?? []) {
    if (path.resolve(st.nameLoc.file) !== file || st.kind !== 'option') continue;
    const r = st.nameLoc.range, where = at(file, r.start);
    const known = !findingsOn(a.findings, file, r.start.line, 'imapd/unknown-option').length;
    const h = guard('hover', where, () => F.hover(ws, file, r.start));
    if (known) {
      count('imapd hover: a known option is documented');
      if (!h || /is not an imapd\.conf option/.test(h.markdown)) violation('imapd hover: a known option is documented', where, st.rawName);
    }
    const items = guard('completion', where, () => F.completion(ws, file, r.end)) ?? [];
    if (known && !st.prefix) {
      count('imapd completion: at the end of a known option, it is offered');
      if (!items.some((i) => i.label === st.key)) violation('imapd completion: at the end of a known option, it is offered', where, `${st.rawName} not among ${items.length}`);
    }
    for (const it of spread(items.filter((i) => i.kind === 'option'), 3)) applyName(ws, file, lines, r, it.label, 'imapd/unknown-option', where, 'imapd completion: an offered option, applied, is a known option');
  }
}

function walkCyrusConf(ws, file, lines) {
  const c = ws.analyseFile(file).cyrus;
  if (!c || path.resolve(c.file) !== file) return;
  for (const e of spread(c.entries ?? [], 12)) {
    const arg = e.args[0];
    if (!arg || path.resolve(arg.nameLoc.file) !== file) continue;
    const where = at(file, arg.nameLoc.range.start);
    const items = guard('completion', where, () => F.completion(ws, file, arg.nameLoc.range.start)) ?? [];
    for (const it of spread(items.filter((i) => i.kind === 'argument'), 3)) applyName(ws, file, lines, arg.nameLoc.range, it.label, 'cyrus/unknown-argument', where, 'cyrus.conf completion: an offered argument, applied, is a known argument');
    const h = guard('hover', where, () => F.hover(ws, file, arg.nameLoc.range.start));
    count('cyrus.conf hover: every argument name has one');
    if (!h) violation('cyrus.conf hover: every argument name has one', where, arg.name);
  }
}

/** Option names offered where the model says an instance of a known driver (or main) is. */
function completionScope(file, m, p, items, where) {
  const options = items.filter((i) => i.kind === 'option');
  if (!options.length) return;
  const inst = instanceAt(m, file, p.line);
  // Outside an instance, only the root file's lines before its first `begin` are surely main.
  const rootFile = [...m.files.keys()][0];
  const beforeBegin = !m.sections.some((s) => path.resolve(s.loc.file) === file && s.loc.range.start.line <= p.line);
  const scope = inst ? inst.driver : beforeBegin && rootFile && path.resolve(rootFile) === file ? 'main' : undefined;
  if (!scope) return;
  for (const it of options) {
    const n = it.label.replace(/^no_/, '');
    if (n === 'driver' && inst) continue;
    count('completion: option names offered are options of the instance\'s driver (or main)');
    // A driver of the wrong kind (a router with driver = pipe) leaves the section's generic options.
    if (!F.lookupOption(scope, n) && !F.lookupOption(scope, it.label) && !(inst && F.lookupOption(inst.section, n))) violation('completion: option names offered are options of the instance\'s driver (or main)', where, `${it.label} offered in ${inst ? `${inst.section} ${inst.name} (driver ${inst.driver})` : 'main'}`);
  }
}

const spread = (list, n) => list.length <= n ? list : Array.from({ length: n }, (_, i) => list[Math.floor(i * list.length / n)]);

/** At an option's name: a few offered names, written in its place, must be names the checker knows there. */
function applyOptionItems(ws, file, lines, p, items, where, { o }) {
  if (o.name === 'driver') return; // another name there leaves the instance without a driver
  const options = spread(items.filter((i) => i.kind === 'option' && i.replace), 4);
  for (const it of options) {
    const text = lines.text.slice(0, lines.offsetAt(it.replace.start)) + it.label + lines.text.slice(lines.offsetAt(it.replace.end));
    const a = guard('analysis after a completion', where, () => analyseWith(ws, file, new Map([[file, text]])));
    if (!a) continue;
    count('completion: an offered option name, applied, is a known option');
    const bad = a.findings.filter((f) => f.code === 'exim/unknown-option' && path.resolve(f.file) === file && f.range.start.line === p.line);
    if (bad.length) violation('completion: an offered option name, applied, is a known option', where, `${o.name} → ${it.label}: ${bad[0].message}`);
  }
}

/** At an option's value: a few offered values, written in its place, add no error on that line. */
function applyValueItems(ws, file, lines, p, items, where, { o }) {
  // Only where an item stands for the whole value: in `DIR/x` an item replaces `DIR`, and
  // what is left is no value of the option's vocabulary.
  const whole = textOf(lines, o.valueLoc.range).trim();
  const values = spread(items.filter((i) => ['value', 'driver', 'transport', 'router', 'acl', 'list'].includes(i.kind) && i.replace
    && textOf(lines, i.replace) === whole && !/[=:]$/.test(i.insertText ?? i.label) && !i.snippet), 4);
  if (!values.length) return;
  // The link rules judge what the setting means for Cyrus, not whether Exim takes the value.
  const onLine = (findings) => tally(findings, (f) => f.severity === 'error' && !f.code.startsWith('link/') && path.resolve(f.file) === file && f.range.start.line <= p.line && p.line <= f.range.end.line);
  const base = onLine(ws.analyseFile(file).findings);
  for (const it of values) {
    const text = lines.text.slice(0, lines.offsetAt(it.replace.start)) + (it.insertText ?? it.label) + lines.text.slice(lines.offsetAt(it.replace.end));
    const a = guard('analysis after a completion', where, () => analyseWith(ws, file, new Map([[file, text]])));
    if (!a) continue;
    count('completion: an offered value, applied, adds no error on its line');
    const more = grown(base, onLine(a.findings));
    if (more.length) violation('completion: an offered value, applied, adds no error on its line', where, `${o.name} = … ${JSON.stringify(it.label)}: ${more.join(', ')}`);
  }
}

const NAME_CODES = /^exim\/(undefined-|duplicate-name|list-kind-mismatch)/;

function walkRename(ws, file, p, prep, refs, where) {
  for (const bad of ['', 'bad-name', 'has space', 'begin']) {
    const r = guard('rename', where, () => F.rename(ws, file, p, bad));
    count('rename: refuses an invalid new name');
    if (r && !('error' in r)) violation('rename: refuses an invalid new name', where, `${prep.placeholder} → ${JSON.stringify(bad)} accepted`);
  }
  let r = guard('rename', where, () => F.rename(ws, file, p, 'walkrenamed1'));
  if (r && 'error' in r && /macro/.test(r.error)) r = guard('rename', where, () => F.rename(ws, file, p, 'WALKRENAMED1'));
  if (!r) return;
  count('rename: accepts a valid new name');
  if ('error' in r) { violation('rename: accepts a valid new name', where, `${prep.placeholder}: ${r.error}`); return; }
  const key = (l) => `${path.resolve(l.file)}:${l.range.start.line}:${l.range.start.character}:${l.range.end.line}:${l.range.end.character}`;
  const editKeys = new Set(r.edits.map(key));
  // A `+name` reference's edit leaves the `+`.
  const refKeys = new Set(refs.map((l) => {
    const rl = linesOf(ws, l.file);
    const plus = rl && textOf(rl, l.range).startsWith('+');
    return key(plus ? { file: l.file, range: { start: { ...l.range.start, character: l.range.start.character + 1 }, end: l.range.end } } : l);
  }));
  count('rename: edits are the references');
  const missing = [...refKeys].filter((k) => !editKeys.has(k)), extra = [...editKeys].filter((k) => !refKeys.has(k));
  if (missing.length || extra.length) violation('rename: edits are the references', where, `${prep.placeholder}: ${missing.length} references not edited (${missing.slice(0, 2).map(shown).join(', ')}), ${extra.length} edits not references (${extra.slice(0, 2).map(shown).join(', ')})`);
  const base = ws.analyseFile(file).findings;
  const a = guard('analysis after a rename', where, () => analyseWith(ws, file, applyEdits(ws, r.edits)));
  if (!a) return;
  const change = (keep) => grown(tally(base, keep), tally(a.findings, keep));
  count('rename: applied, adds no undefined/duplicate/kind-mismatch finding');
  const more = change((f) => NAME_CODES.test(f.code));
  if (more.length) violation('rename: applied, adds no undefined/duplicate/kind-mismatch finding', where, `${prep.placeholder} → ${r.edits[0]?.newText}: ${more.join(', ')}`);
  // The unused hint counts any mention in an expanded value as a use (its own debug_print
  // too), which no rename follows: a weaker invariant, told apart.
  count('rename: applied, leaves nothing unused that was used');
  const unused = change((f) => f.code === 'exim/unused-definition');
  if (unused.length) violation('rename: applied, leaves nothing unused that was used', where, `${prep.placeholder} → ${r.edits[0]?.newText}: ${unused.join(', ')}`);
}

/**
 * Mistakes a user makes, for the quick fixes to mend: an option name or a name a value
 * refers to with two letters swapped. Each is walked like a finding of the file itself.
 */
function walkTypos(ws, file, lines) {
  const m = eximModel(ws, file);
  if (!m) return;
  const sites = [];
  for (const o of [...m.main, ...[...m.routers, ...m.transports, ...m.authenticators].flatMap((i) => i.options)]) {
    if (path.resolve(o.nameLoc.file) === file && o.name.length > 4 && o.name !== 'driver') sites.push(o.nameLoc.range);
    if (o.valueLoc && path.resolve(o.valueLoc.file) === file && ['transport', 'shadow_transport', 'pass_router', 'redirect_router'].includes(o.name) && /^\s*\w{5,}\s*$/.test(textOf(lines, o.valueLoc.range))) sites.push(o.valueLoc.range);
  }
  const errors = tally(ws.analyseFile(file).findings, (f) => f.severity === 'error');
  for (const r of spread(sites, 12)) {
    const word = textOf(lines, r).trim();
    const s = lines.offsetAt(r.start) + textOf(lines, r).indexOf(word) + 1;
    const text = lines.text.slice(0, s) + lines.text[s + 1] + lines.text[s] + lines.text.slice(s + 2);
    if (text === lines.text) continue;
    const saved = ws.host.readFile(file);
    ws.update(file, text);
    try {
      const tl = new F.LineIndex(text);
      guard('quick fixes of typos', at(file, r.start), () => walkCodeActions(ws, file, tl, { line: r.start.line, what: `typo ${word}`, errors }));
    } finally {
      ws.update(file, saved);
    }
  }
}

function walkCodeActions(ws, file, lines, typo) {
  const whole = { start: pos(0, 0), end: pos(lines.lineCount - 1, lines.lineText(lines.lineCount - 1).length) };
  const actions = (guard('codeActions', file, () => F.codeActions(ws, file, whole)) ?? [])
    .filter((a) => !typo || (a.finding.range.start.line <= typo.line && typo.line <= a.finding.range.end.line));
  const baseFindings = ws.analyseFile(file).findings;
  // A typo's fix is judged against the file without the typo: an error the typo hid is the file's own.
  const errors = typo?.errors ?? tally(baseFindings, (f) => f.severity === 'error');
  const same = (f, g) => f.code === g.code && f.message === g.message;
  for (const { fix, finding } of spread(actions, 40)) {
    const where = `${at(file, finding.range.start)}${typo ? ` (${typo.what})` : ''} ${finding.code} "${fix.title}"`;
    for (const e of fix.edits) {
      const el = linesOf(ws, e.file);
      count('codeActions: edit inside the document');
      if (!el) { violation('codeActions: edit inside the document', where, `no file ${e.file}`); continue; }
      checkRange('codeActions: edit inside the document', el, e.range, where);
    }
    const a = guard('analysis after a quick fix', where, () => analyseWith(ws, file, applyEdits(ws, fix.edits)));
    if (!a) continue;
    count('codeActions: applied, removes the finding it fixes');
    if (a.findings.filter((f) => same(f, finding)).length >= baseFindings.filter((f) => same(f, finding)).length) violation('codeActions: applied, removes the finding it fixes', where, finding.message);
    count('codeActions: applied, adds no error');
    const more = grown(errors, tally(a.findings, (f) => f.severity === 'error'));
    if (more.length) violation('codeActions: applied, adds no error', where, more.join(', '));
  }
}

// ---- cases --------------------------------------------------------------------------
/** A workspace over `folder` with `files` ([path, kind]) opened as the editor would open them. */
function walkCase(label, folder, files) {
  if (only && !label.includes(only)) return;
  const t0 = Date.now();
  const ws = new F.ConfigWorkspace();
  ws.setFolders([folder]);
  for (const [f, kind] of files) {
    const text = ws.host.readFile(f);
    if (text !== undefined) ws.open(f, text, kind);
  }
  const renamed = new Set();
  for (const [f, kind] of files) guard('the walk', f, () => walkFile(ws, path.resolve(f), kind, renamed));
  for (const s of guard('workspaceSymbols', label, () => F.workspaceSymbols(ws, '')) ?? []) {
    const l = linesOf(ws, s.file);
    count('workspaceSymbols: file exists');
    if (!l) { violation('workspaceSymbols: file exists', label, s.file); continue; }
    checkRange('workspaceSymbols: range inside the document', l, s.range, `${shown(s.file)} ${s.name}`);
  }
  walked.push(`${label}: ${files.length} file(s), ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}
const walked = [];
const skipped = [];

const kindOfName = (f) => /cyrus/.test(path.basename(path.dirname(f))) || path.basename(f) === 'cyrus.conf' ? 'cyrus-conf' : /imapd/.test(path.basename(path.dirname(f))) || path.basename(f) === 'imapd.conf' ? 'imapd-conf' : 'exim';

for (const ex of ['reference', 'broken']) {
  const dir = path.join(root, 'examples', ex);
  shownBase.push([dir + '/', `examples/${ex}/`]);
  walkCase(`examples/${ex}`, dir, ['exim.conf', 'cyrus.conf', 'imapd.conf'].map((f) => [path.join(dir, f), kindOfName(f)]));
}

const debian = '/etc/exim4';
if (fs.existsSync(path.join(debian, 'conf.d')) && fs.existsSync(path.join(debian, 'exim4.conf.template'))) {
  const pieces = [];
  const walkDir = (d) => { for (const n of fs.readdirSync(d).sort()) { const p = path.join(d, n); if (fs.statSync(p).isDirectory()) walkDir(p); else pieces.push([p, 'exim']); } };
  walkDir(path.join(debian, 'conf.d'));
  walkCase('debian conf.d', debian, pieces);
  walkCase('debian template', debian, [[path.join(debian, 'exim4.conf.template'), 'exim']]);
} else skipped.push(`Debian's ${debian} (no conf.d and exim4.conf.template there)`);

const cyrusExamples = path.join(corpusRoot, 'cyrus-examples');
if (fs.existsSync(cyrusExamples)) {
  shownBase.push([cyrusExamples + '/', 'cyrus-examples/']);
  for (const [sub, kind] of [['cyrus_conf', 'cyrus-conf'], ['imapd_conf', 'imapd-conf']]) {
    const dir = path.join(cyrusExamples, sub);
    for (const n of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) walkCase(`cyrus-examples/${sub}/${n}`, dir, [[path.join(dir, n), kind]]);
  }
} else skipped.push(`the Cyrus examples (no ${cyrusExamples})`);

const suite = path.join(corpusRoot, 'exim-testsuite');
if (fs.existsSync(path.join(suite, 'labels.tsv')) && fs.existsSync(path.join(suite, 'confs'))) {
  const scratch = scratchDir('exim-cyrus-walk-');
  try {
    const DIR = path.join(scratch, 'DIR');
    layOutAux(suite, DIR);
    shownBase.push([DIR + '/test-config-', 'confs/'], [DIR + '/', 'DIR/']);
    const [head, ...rows] = fs.readFileSync(path.join(suite, 'labels.tsv'), 'utf8').split('\n').filter(Boolean);
    const cols = head.split('\t');
    const labels = rows.map((r) => Object.fromEntries(r.split('\t').map((c, i) => [cols[i], c])));
    // Mostly confs Exim accepts (what a user edits), every k-th so a run is repeatable.
    const pick = spread(labels.filter((l) => l.verdict === 'accept'), Math.ceil(sampleSize * 0.8)).concat(spread(labels.filter((l) => l.verdict !== 'accept'), Math.floor(sampleSize * 0.2)));
    for (const l of pick) {
      const w = writeConf(suite, DIR, l.file);
      if (w) walkCase(`confs/${l.file}`, DIR, [[w.file, 'exim']]);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
} else skipped.push(`the Exim test-suite sample (no labels.tsv/confs in ${suite})`);

if (extra) {
  const dir = path.resolve(extra);
  shownBase.push([dir + '/', `${extra.replace(/\/$/, '')}/`]);
  const kindOfFile = (n) => /cyrus/.test(n) ? 'cyrus-conf' : /imapd/.test(n) ? 'imapd-conf' : 'exim';
  for (const n of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isFile()) walkCase(`extra/${n}`, dir, [[p, kindOfFile(n)]]);
  }
}

// ---- report -------------------------------------------------------------------------
console.log(`walked ${walked.length} case(s)${verbose ? ':\n  ' + walked.join('\n  ') : ''}`);
for (const s of skipped) console.log(`skipped ${s}: not present here`);
console.log('\ninvariant                                                                      checked  violations');
for (const [inv, n] of [...checked].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${inv.padEnd(78)} ${String(n).padStart(8)}  ${String(counts.get(inv) ?? 0).padStart(10)}`);
}
for (const [inv, list] of examples) {
  console.log(`\n${inv}: ${counts.get(inv)}`);
  for (const e of list) console.log(`  ${e}`);
}
// The unused hint's heuristic (a mention anywhere is a use) is the checker's, not the rename's:
// its count is shown, and does not fail the run.
const SOFT = new Set(['rename: applied, leaves nothing unused that was used']);
process.exitCode = [...counts.keys()].some((k) => !SOFT.has(k)) ? 1 : 0;
