// Domain and address list items written as other mail software (or the DNS) writes them, which Exim
// reads as patterns no domain or address can match (match.c: a "*" is a wildcard only at
// the start of a domain pattern, nothing else is one; each seen with exim4 -be and -bh):
// - `.example.com` (Postfix and sendmail: "its subdomains"): no domain starts with a dot;
//   `*.example.com` is the subdomains;
// - `example.*`, `mail.*.example`: a "*" after the start is a character like any other;
// - `example.com.` (the DNS's fully qualified form): Exim matches domains without the dot;
// - in an address list, `@example.com` (Postfix: "any address there"): the local part is
//   the empty one, which no address has; `*@example.com` is any address there. And
//   `*@.example.com`, the first mistake in the domain part.
// - `senders = <>` for the empty sender (Postfix's way): Exim lists it as an empty item
//   (`senders = :`). First in the list, "<" sets the separator to ">", so the rest of the
//   list is one item; elsewhere "<>" is an address of its own. Either way no bounce matches.
// - `/^user$/` (a Postfix regular expression table's form) in any list: an item starting
//   with "/" is a file of items to Exim. A "$" in it fails the list's expansion (451);
//   without one, Exim cannot open the "file" and the process stops there, the client gets
//   no answer (exim4 -bh). A regular expression is written with "^" first and no slashes.
// Regular expressions, lookups, references, `@` forms and items built at run time are not judged.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, ListKind } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { forEachListItem, forEachListValue, spansText, type ItemPlace } from './lists';
import { RUN_TIME, runTime } from './suggest';

const NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

/** Why a domain pattern (no "!", no lookup) matches no domain, and what was meant; or undefined. */
function domainProblem(p: string): { why: string; meant?: string } | undefined {
  if (p.startsWith('.') && NAME.test(p.slice(1))) {
    return { why: `no domain starts with ".", so "${p}" matches none (in Exim's lists "*${p}" is the subdomains of ${p.slice(1)}; add ${p.slice(1)} for the domain itself)`, meant: `*${p}` };
  }
  // The DNS's fully qualified form: Exim takes no recipient domain with a final dot ("domain
  // missing or malformed"), and compares the rest as written.
  if (p.endsWith('.') && NAME.test(p.slice(0, -1).replace(/^\*\./, 'x.'))) {
    return { why: `"${p}" ends with a dot, as the DNS writes names, but the domains Exim matches have none (it refuses a recipient domain written with one), so it matches none`, meant: p.slice(0, -1) };
  }
  const star = p.indexOf('*', 1);
  if (star > 0 && !p.startsWith('^') && /^[A-Za-z0-9_.*-]+$/.test(p)) {
    return { why: `Exim takes "*" as a wildcard only at the start of a domain pattern; in "${p}" it is a plain "*", which no domain has, so the item matches none` };
  }
  return undefined;
}

const DOMAIN_AND_ADDRESS_LISTS: ReadonlySet<ListKind> = new Set(['domainlist', 'addresslist']);

export function checkListPatterns(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  // Only values where an item can start with "." or "@", or have a "*" after its start.
  forEachListItem(cfg, /(^|[\s:;<!@])[.@]|[^\s:;<!]\*|\.(?:[\s:;]|$)/, (kind, text, place) => {
    const t = text.replace(/^!\s*/, '');
    if (!t || /[$;\\]/.test(t) || t.startsWith('^') || t.startsWith('+')) return;
    const at = t.lastIndexOf('@');
    if (kind === 'addresslist' && at === 0 && NAME.test(t.slice(1))) {
      return report(out, place, text, `the local part of "${t}" is the empty one, which no address has, so it matches none (in Exim's lists "*${t}" is any address at ${t.slice(1)})`, text.replace(t, `*${t}`));
    }
    // An address item's domain part, or a domain item (an address item without "@" is one).
    const domain = kind === 'addresslist' && at > 0 ? t.slice(at + 1) : kind === 'domainlist' || at < 0 ? t : undefined;
    if (domain === undefined || domain.startsWith('@') || domain === '*') return;
    const p = domainProblem(domain);
    if (p) report(out, place, text, p.why, p.meant === undefined ? undefined : text.replace(new RegExp(`${domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), p.meant));
  }, DOMAIN_AND_ADDRESS_LISTS);
  emptySender(cfg, out);
  slashedRegex(cfg, out);
  return out;
}

/** `/^...$/`: a regular expression in slashes, which Exim reads as a file name. */
function slashedRegex(cfg: EximConfig, out: Finding[]): void {
  forEachListItem(cfg, /(^|[\s:;<!])\/\^/, (kind, text, place) => {
    const t = text.replace(/^!\s*/, '');
    const m = /^\/(\^.*)\/$/.exec(t);
    if (!m || m[1].includes('/')) return;
    const inner = m[1];
    // In a list Exim expands, "$" and "\\" belong inside \N...\N.
    const fixed = /[$\\]/.test(inner) ? `\\N${inner}\\N` : inner;
    const host = kind === 'hostlist';
    report(out, place, text, `"${t}" is a regular expression written in slashes, as Postfix writes one, but Exim takes an item starting with "/" as the name of a file of items: ${/\$/.test(inner) ? 'its "$" fails the list\'s expansion, and the condition defers' : 'it cannot open that file, and the process matching the list stops there'}. Exim's regular expressions start with "^" and have no slashes${host ? ', and in a host list one is matched against the client\'s host name (for addresses, write networks such as 192.0.2.0/24)' : ''}`, host ? undefined : text.replace(t, fixed));
  });
}

/** "<>" in an address list, meant as the empty sender. */
function emptySender(cfg: EximConfig, out: Finding[]): void {
  forEachListValue(cfg, '<>', (kind, h) => {
    const v = h.value!;
    if (kind !== 'addresslist' || !h.valueLoc || v.includes('$')) return;
    const first = /^\s*<>/.test(v);
    // Not first: only an item that is "<>" alone, in a list separated by ":".
    const items = first ? [] : v.split(':').map((x) => x.trim());
    if (!first && (/^\s*</.test(v) || !items.includes('<>'))) return;
    const rest = first ? v.replace(/^\s*<>\s*:?\s*/, '') : items.filter((x) => x !== '<>').join(' : ');
    const fixed = rest ? `: ${rest}` : ':';
    const exact = spansText(cfg, h.valueLoc, v);
    const fixes: Fix[] | undefined = exact ? [{ title: `Write ${fixed}`, preferred: true, edits: [{ file: h.valueLoc.file, range: h.valueLoc.range, newText: fixed }] }] : undefined;
    const why = first
      ? `at the start of a list, "<" sets the list's separator (here to ">"), ${rest ? 'so the rest of it is read as one item' : 'and leaves the list empty'}`
      : '"<>" is read as an address of its own';
    out.push(finding('exim/invalid-value', h.valueLoc.file, h.valueLoc.range,
      `"<>" is not how Exim lists the empty sender (of bounces): ${why}, and no sender matches it. An empty item is the empty sender, first in the list: write "${fixed}".`,
      fixes ? runTime(fixes) : RUN_TIME));
  });
}

function report(out: Finding[], place: () => ItemPlace, text: string, why: string, fixed: string | undefined): void {
  const { loc, exact } = place();
  const fixes: Fix[] | undefined = fixed !== undefined && exact ? [{ title: `Write ${fixed}`, preferred: true, edits: [{ file: loc.file, range: loc.range, newText: fixed }] }] : undefined;
  out.push(finding('exim/invalid-value', loc.file, loc.range, `In this list, ${why}.${fixed !== undefined ? ` Write "${fixed}".` : ''}`, fixes ? runTime(fixes) : RUN_TIME));
}
