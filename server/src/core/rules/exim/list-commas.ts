// exim/list-comma: `domains = a.example, b.example` (or `a.example b.example`). Exim separates
// list items with colons (or the separator a leading "<" sets) and keeps white space inside an
// item, so that is one item, "a.example, b.example", which no domain, host or address is: the
// list silently matches nothing it names (seen with exim4 -bh: a hostlist "192.0.2.1, 192.0.2.2"
// or "192.0.2.1 192.0.2.2" does not match 192.0.2.1). Other mail servers (Postfix) write lists
// with commas or spaces, which is where the habit comes from.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { forEachListItem, KIND_WORD } from './lists';
import { startsAsIPv4 } from './host-masks';

/**
 * What cannot be a plain item: a regex (^), a lookup (;), an expansion, quoting or escapes,
 * an option such as @mx_any/ignore=..., dnslists-style codes. Such items keep their commas.
 */
const NOT_PLAIN = /^\^|[;$"\\{}()=<>]/;
/** One part between commas: a name, address, IP address or network, with ! or + or * as Exim writes them. */
const PART = /^(?:!\s*)?[\w.*@+%/-]+$/;

/** The parts of an item written as several, separated by commas or white space (Exim keeps white space inside an item). */
function commaParts(text: string): string[] | undefined {
  if (NOT_PLAIN.test(text) || !/[,\s]/.test(text)) return undefined;
  // A "!" written apart ("a, ! b") belongs to the part after it.
  const parts = text.split(/\s*,\s*|(?<!!)\s+/);
  return parts.length >= 2 && parts.every((p) => p === '@' || p === '@[]' || (PART.test(p) && /\w/.test(p))) ? parts : undefined;
}

/** A value where an item may hold a comma or inner white space: most have neither. */
const SEPARATED = /,|[^\s:]\s+[^\s:]/;

function separatorWords(text: string): string {
  const comma = text.includes(','), space = /[^,\s]\s+[^,\s]/.test(text.replace(/!\s+/g, '!'));
  return comma && space ? 'commas or spaces' : comma ? 'commas' : 'spaces';
}

export function checkListCommas(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  // A list that sets its own separator ("<;", "<\n") is left alone: its items are not split on ":".
  forEachListItem(cfg, SEPARATED, (kind, text, place, ownSeparator) => {
    const parts = ownSeparator ? undefined : commaParts(text);
    if (!parts) return;
    const { loc, exact } = place();
    const fixed = parts.join(' : ');
    const fixes: Fix[] | undefined = exact ? [{ title: `Separate the items with ":" (${fixed})`, preferred: true, edits: [{ file: loc.file, range: loc.range, newText: fixed }] }] : undefined;
    out.push(finding('exim/list-comma', loc.file, loc.range,
      `Exim separates the items of ${kind === 'addresslist' ? 'an' : 'a'} ${KIND_WORD[kind]} with ":", not ${separatorWords(text)}, so "${text}" is one item, which nothing matches: the list never matches ${parts.map((p) => `"${p}"`).join(' or ')}${kind === 'hostlist' && text && startsAsIPv4(text) ? ', and since the item starts as an IPv4 address does, Exim stops matching the list there ("malformed IPv4 address or address mask"): no item after it is tried either' : ''}. Write "${fixed}".`,
      fixes ? { fixes } : {}));
  });
  return out;
}
