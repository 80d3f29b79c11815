// Lookups in list items (`lsearch;/etc/exim4/domains`, `net24-lsearch;/etc/hosts`,
// `partial-dbm;/etc/x.db`): Exim reads the lookup type only when a match reaches the item,
// so `exim -bV` takes any, and the match then defers ("unknown lookup type"; exim4 -be with
// match_domain). A file lookup's file is opened as written, so one that is not an absolute
// path is looked for in Exim's working directory and not found ("failed to open etc/x for
// linear search"). Both are run-time warnings, as everywhere; an item built at run time is
// not judged. An escaped separator (`<; b;;c`) still makes an item Exim reads as a lookup.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig, ListKind, Loc, OptionSetting } from '../../exim/model';
import { availableIn, eximLookupType, lookupBaseName, lookupTypes, relativeLookupFile, versionNote, writtenLookupType } from '../../catalog/exim';
import type { CheckOptions } from '../../options';
import { forEachListValue, locOfText, occurrencesOf, splitList } from './lists';
import { didYouMean, namesOnce, nearest, replaceFix, RUN_TIME, runTime } from './suggest';
import { dnsdbWordsProblem } from './expansion-literals';
import { lookupSetupProblem } from './lookup-setup';

/** `[net[N]-]type[,options];rest` of a list item; type as written, with partial-/*@ forms. */
const LOOKUP_ITEM = /^(net\d*-)?([A-Za-z][\w()*@-]*(?:,[^;\s]*)?);(.*)$/s;

/** The lookup of a list item, as written: `net` prefix, type, what follows the `;`. */
export interface LookupItem {
  net: string;
  type: string;
  rest: string;
  /** The part of the item that is the lookup, and where it starts in the item. */
  text: string;
  offset: number;
}

/**
 * The lookup a list item makes, if it makes one. An address item `local@domain-item` looks
 * its domain part up (`yy@lsearch;/file`; `lsearch*@;/file` is a type whose `@` ends it), and
 * only a host list takes `net[N]-`. An item built at run time or a regex is none; with
 * `variableRest`, one whose type is written out and whose query or file has a variable in
 * it (`dnsdb;a=$domain`) is one.
 */
export function lookupItem(kind: ListKind, text: string, variableRest = false): LookupItem | undefined {
  let t = text, offset = 0;
  const semi = t.indexOf(';');
  const atSign = kind === 'addresslist' ? t.lastIndexOf('@', semi) : -1;
  if (atSign >= 0 && atSign < semi - 1) {
    offset = atSign + 1;
    t = t.slice(offset);
    kind = 'domainlist';
  }
  const semi2 = t.indexOf(';');
  const m = semi2 >= 0 && !t.startsWith('^') && !(variableRest ? t.slice(0, semi2) : t).includes('$') ? LOOKUP_ITEM.exec(t) : null;
  if (!m || (m[1] && kind !== 'hostlist')) return undefined;
  return { net: m[1] ?? '', type: m[2], rest: m[3], text: t, offset };
}

/**
 * A domain or host list item with a ";" that is no lookup we know the shape of, such as
 * "example.com; example.org" (items separated as other software separates them): Exim takes
 * everything before the ";" for a lookup type. Found live (exim4 -bh, an ACL's domains =
 * +list): "unknown lookup type "example.com"" in the log, and the session ends with no
 * answer to RCPT; in a host list the match defers instead (451).
 */
function semicolonItem(kind: ListKind, whole: string, at: () => Loc, out: Finding[]): void {
  const semi = whole.indexOf(';');
  if (semi <= 0 || whole.startsWith('^')) return;
  const type = whole.slice(0, semi).trim();
  if (!type || type.includes('$') || !/[.\s]/.test(type)) return;
  const loc = at();
  out.push(finding('exim/invalid-value', loc.file, loc.range,
    `The list item "${whole}" holds a ";", so Exim reads it as a lookup ("type;query") of type "${type}", which it does not have: ${kind === 'hostlist' ? 'every match that reaches the item defers ("unknown lookup type"; 451 in an ACL)' : 'the process matching the list stops there ("unknown lookup type"), and in an ACL the client gets no answer'}. Separate the list's items with ":" (or start the list with "<;" to separate them with ";").`,
    RUN_TIME));
}

export function checkListLookups(cfg: EximConfig, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const version = opts.eximVersion;
  const item = (kind: ListKind, whole: string, at: () => Loc): void => {
    const l = lookupItem(kind, whole, true);
    if (!l) {
      if (kind === 'domainlist' || kind === 'hostlist') semicolonItem(kind, whole, at, out);
      return;
    }
    const { text, offset, type: written } = l;
    const info = eximLookupType(written);
    if (!info) {
      const bare = lookupBaseName(written);
      const guess = nearest(bare, namesOnce('lookup', version, () => lookupTypes(version).map((x) => x.name)));
      const loc = at();
      // The fix replaces the type where it ends, on an item found as written on one line.
      const r = loc.range;
      const exact = r.start.line === r.end.line && r.end.character - r.start.character === offset + text.length;
      const end = offset + l.net.length + written.indexOf(bare) + bare.length;
      const typeEnd = { file: loc.file, range: { start: r.start, end: { line: r.start.line, character: r.start.character + end } } };
      out.push(finding('exim/invalid-value', loc.file, r,
        `Unknown lookup type "${bare}" in the list item "${text}": Exim defers whenever a match reaches it ("unknown lookup type").${didYouMean(guess)}`,
        runTime(guess && exact ? replaceFix(typeEnd, guess, bare.length) : undefined)));
      return;
    }
    if (!availableIn(info, version)) {
      const loc = at();
      out.push(finding('exim/invalid-value', loc.file, loc.range,
        `The lookup type "${info.name}" in the list item "${text}" is not in ${version === '4.96' ? 'Exim 4.96' : 'current Exim'} (${versionNote(info, version)}): Exim defers whenever a match reaches it ("unknown lookup type").`, RUN_TIME));
      return;
    }
    const { partial, defaults, options } = writtenLookupType(written);
    if (info.lookupStyle?.startsWith('query-style') && (partial || defaults)) {
      const loc = at();
      out.push(finding('exim/invalid-value', loc.file, loc.range,
        `In the list item "${text}", ${partial ? '"partial"' : 'the "*" and "*@" defaults'} cannot go with "${info.name}", a query-style lookup: the process matching the list stops there and the client gets no answer (Exim logs: ${partial ? `"partial" is not permitted for lookup type "${info.name}"` : 'defaults using "*" or "*@" are not permitted'}). Write "${info.name};..." alone.`, RUN_TIME));
      return;
    }
    // The query or file as far as it is written out: up to its first variable.
    const dollar = l.rest.indexOf('$');
    const lead = dollar < 0 ? l.rest : l.rest.slice(0, dollar);
    const setup = lookupSetupProblem(cfg, info.name, options, dollar >= 0 && !lead.trim() ? undefined : lead);
    if (setup) {
      const loc = at();
      out.push(finding('exim/invalid-value', loc.file, loc.range, `In the list item "${text}", ${setup.why}, so every match that reaches the item defers. ${setup.fix}`, RUN_TIME));
      return;
    }
    if (info.name === 'dnsdb') {
      const problem = dnsdbWordsProblem(lead, dollar < 0);
      if (problem) {
        const loc = at();
        out.push(finding('exim/invalid-value', loc.file, loc.range, `In the list item "${text}": ${problem}, so every match that reaches the item defers.`, RUN_TIME));
      }
      return;
    }
    const file = l.rest.trim();
    if (file.includes('$') || !relativeLookupFile(info, file)) return;
    const loc = at();
    out.push(finding('exim/invalid-value', loc.file, loc.range,
      `The ${info.name} lookup's file "${file}" in the list item "${text}" is not an absolute path: Exim opens it relative to its working directory, where it is not found, and the match defers ("failed to open ${file}"). Write the whole path, starting with "/".`, RUN_TIME));
  };
  const value = (kind: ListKind, h: OptionSetting | AclItem) => {
    const v = h.value;
    if (!v || !v.includes(';') || !h.valueLoc) return;
    const items = splitList(v);
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (!it.text.includes(';')) continue;
      // Which occurrence of its text in the value it is: an earlier item may be the same.
      item(kind, it.text, () => {
        let nth = 0;
        for (let j = 0; j < k; j++) nth += occurrencesOf(items[j].text, it.text);
        return locOfText(cfg, h.valueLoc!, it.text, nth);
      });
    }
  };
  for (const l of cfg.lists) for (const it of l.items) if (it.text.includes(';')) item(l.kind, it.text, () => it.loc);
  forEachListValue(cfg, ';', value);
  return out;
}
