// Descriptions of Exim names by kind, including the names Exim recognises by pattern
// (numbered series, header variables, `length_5`-style operators); the texts are in
// exim-descriptions-data.ts.
import { OPERATOR_DOCS, VARIABLE_DOCS } from './exim-descriptions-data';

export { ACL_CONDITION_DOCS, ACL_VERB_DOCS, CONDITION_DOCS, ITEM_DOCS, LOOKUP_DOCS, OPERATOR_DOCS, VARIABLE_DOCS } from './exim-descriptions-data';

/** Variables that come in numbered series, described once. */
const SERIES: [RegExp, string][] = [
  [/^acl_arg[1-9]$/, 'An argument of the ACL being run by "acl =" or ${acl …}.'],
  [/^n[0-9]$/, 'A numeric variable of the Exim filter being run (n0…n9).'],
  [/^sn[0-9]$/, 'A numeric variable a system filter set (sn0…sn9), kept for delivery.'],
];

/** The families Exim recognises by pattern (the catalog's variable-family rows). */
const FAMILIES: [RegExp, string][] = [
  [/^acl_c(\d|_)/, 'An ACL connection variable: set with "set acl_c…", kept for the whole SMTP connection.'],
  [/^acl_m(\d|_)/, 'An ACL message variable: set with "set acl_m…", kept for the message and its deliveries.'],
  [/^r_/, 'A router variable, set by the router\'s "set" option for this address.'],
  [/^auth[1-4]$/, 'A value from the client\'s authentication (user name, password, … by mechanism).'],
  [/^regex[1-9]$/, 'A capture of the last successful "regex" or "mime_regex" ACL condition.'],
  [/^(header|h)_/, 'A header of the message, decoded to headers_charset (name ends at the colon).'],
  [/^(rheader|rh)_/, 'A header of the message, raw: no decoding, no white space removed.'],
  [/^(bheader|bh)_/, 'A header of the message, RFC 2047 decoded but without charset conversion.'],
  [/^(lheader|lh)_/, 'A header of the message, raw, with each of several instances as a list item.'],
  [/^\d+$/, 'A capture of the last regular expression match ($0 is the whole match).'],
];

/** Own entries only: a name such as `constructor` must not find Object's. */
const own = (r: Record<string, string>, k: string): string | undefined => (Object.hasOwn(r, k) ? r[k] : undefined);

export function variableDoc(name: string): string | undefined {
  const direct = own(VARIABLE_DOCS, name);
  if (direct) return direct;
  for (const [re, doc] of SERIES) if (re.test(name)) return doc;
  for (const [re, doc] of FAMILIES) if (re.test(name)) return doc;
  return undefined;
}

export function operatorDoc(name: string): string | undefined {
  const direct = own(OPERATOR_DOCS, name);
  if (direct) return direct;
  const base = /^(length|l|substr|s|hash|h|nhash|nh|headerwrap|sha2|sha3)_/.exec(name);
  if (base) return own(OPERATOR_DOCS, base[1]);
  if (/^quote_\w+$/.test(name)) return 'Quotes a string for use in a query of that lookup type.';
  return undefined;
}

