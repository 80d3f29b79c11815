// The arguments of Exim's expansion items and conditions, for signature help: each form is
// its `{…}` arguments in order, as `name: what it is`. Where an item has several forms (a
// lookup with or without a key, extract by key or by number, substr/hash/nhash with two or
// three arguments), each is listed, the usual one first. A name ending in "…" stands for
// any number more. Written from the Exim specification's list of items and conditions and
// expand.c's argument handling (the last argument of two is the subject, for substr, hash
// and nhash alike).

/** One form: its arguments, and words written before one of them (a lookup's search type: [index, text]). */
export interface SignatureForm { lead?: [number, string]; params: [string, string][] }

export const ITEM_FORMS: Record<string, SignatureForm[]> = {
  acl: [{ params: [['name', 'The ACL to run.'], ['arg…', 'Up to nine arguments, in $acl_arg1 … $acl_arg9.']] }],
  authresults: [{ params: [['authserv-id', 'The name this server gives itself in the header (usually $primary_hostname).']] }],
  certextract: [{ params: [['field', 'subject, issuer, notbefore, notafter, serial_number, sig_algorithm, subj_altname, ocsp_uri, crl_uri, version; a modifier such as ",CN" picks one element.'], ['certificate', 'A certificate variable such as $tls_in_peercert.'], ['string2', 'Result when the field is found ($value holds it); the field itself when omitted.'], ['string3', 'Result when it is not found, or "fail".']] }],
  dlfunc: [{ params: [['file', 'The shared object to load.'], ['function', 'The function in it to call.'], ['arg…', 'Up to eight arguments passed to the function.']] }],
  env: [{ params: [['key', 'The environment variable\'s name.'], ['string1', 'Result when it is set ($value holds its value); the value itself when omitted.'], ['string2', 'Result when it is not set, or "fail".']] }],
  extract: [
    { params: [['key', 'The key to find in "key=value" pairs.'], ['string1', 'The string holding the pairs.'], ['string2', 'Result when the key is found ($value holds its value); the value itself when omitted.'], ['string3', 'Result when it is not found, or "fail".']] },
    { params: [['number', 'Which field (1 is the first; negative counts from the end; 0 is the whole string).'], ['separators', 'The characters that separate fields.'], ['string1', 'The string to take the field from.'], ['string2', 'Result when the field exists ($value holds it); the field itself when omitted.'], ['string3', 'Result when it does not, or "fail".']] },
  ],
  filter: [{ params: [['list', 'The list to filter (each item is $item in turn).'], ['condition', 'Items for which it is true are kept.']] }],
  hash: [
    { params: [['length', 'How many characters the hash has.'], ['letters', 'How many characters of the hash alphabet to draw from (26 when omitted).'], ['string', 'What to hash.']] },
    { params: [['length', 'How many characters the hash has.'], ['string', 'What to hash.']] },
  ],
  hmac: [{ params: [['hashname', 'md5 or sha1.'], ['secret', 'The key.'], ['string', 'The data to authenticate.']] }],
  imapfolder: [{ params: [['foldername', 'A UTF-8 mailbox name.'], ['separator', 'The hierarchy separator (/ when omitted).'], ['specials', 'Characters to encode besides the separator.']] }],
  length: [{ params: [['length', 'How many characters to keep.'], ['string', 'The string to cut.']] }],
  listextract: [{ params: [['number', 'Which item (1 is the first; negative counts from the end).'], ['list', 'The list.'], ['string2', 'Result when the item exists ($value holds it); the item itself when omitted.'], ['string3', 'Result when it does not, or "fail".']] }],
  listquote: [{ params: [['separator', 'The list separator to double.'], ['string', 'The string to make one item.']] }],
  lookup: [
    { lead: [1, ' type '], params: [['key', 'What to look up.'], ['file', 'The file or database to search (the search type goes between key and file).'], ['string1', 'Result when the key is found ($value holds the data); the data itself when omitted.'], ['string2', 'Result when it is not found, or "fail".']] },
    { lead: [0, ' type '], params: [['query', 'The query for a query-style lookup (mysql, pgsql, ldap, dnsdb, …; the type goes before it).'], ['string1', 'Result when the query finds something ($value holds it); that itself when omitted.'], ['string2', 'Result when it finds nothing, or "fail".']] },
  ],
  map: [{ params: [['list', 'The list (each item is $item in turn).'], ['string', 'Expanded once per item; the results form the new list.']] }],
  nhash: [
    { params: [['n', 'The first modulus.'], ['m', 'The second modulus: the result is then two numbers, "a/b".'], ['string', 'What to hash.']] },
    { params: [['n', 'The modulus: the result is 0 … n-1.'], ['string', 'What to hash.']] },
  ],
  perl: [{ params: [['subroutine', 'A subroutine defined by perl_startup.'], ['arg…', 'Up to eight arguments.']] }],
  prvs: [{ params: [['address', 'The sender address to sign.'], ['secret', 'The signing secret.'], ['keynumber', 'A digit naming the secret (0 when omitted).']] }],
  prvscheck: [{ params: [['address', 'An address that may be prvs-signed.'], ['secret', 'The secret, expanded with $prvscheck_address and $prvscheck_keynum set.'], ['string', 'Result when the signature is valid; the original address when omitted.']] }],
  readfile: [{ params: [['file name', 'The file to read.'], ['eol string', 'What replaces each line end (kept as it is when omitted).']] }],
  readsocket: [{ params: [['name', 'A UNIX socket path, or inet:host:port.'], ['request', 'What to send.'], ['options', 'A colon-separated list: the timeout first (5s unless given), then shutdown=no, tls=yes or cache=yes.'], ['eol string', 'What replaces each line end of the answer.'], ['fail string', 'Result when the connection fails; without it the expansion fails.']] }],
  reduce: [{ params: [['list', 'The list (each item is $item in turn).'], ['start', 'The first value of $value.'], ['expression', 'Expanded per item; its result is the next $value.']] }],
  run: [{ params: [['command', 'The command and its arguments (no shell; the program by its absolute path).'], ['string1', 'Result when it exits 0 ($value holds its output); the output itself when omitted.'], ['string2', 'Result when it does not, or "fail".']] }],
  sg: [{ params: [['subject', 'The string to change.'], ['regex', 'A PCRE2 pattern (protect it with \\N…\\N).'], ['replacement', 'What replaces each match; $1 … refer to its groups.']] }],
  sort: [{ params: [['list', 'The list to sort.'], ['comparator', 'A comparison condition name: <, >, lt, gt, lti, … .'], ['extractor', 'Expanded per item ($item) to give the key compared.']] }],
  srs_encode: [{ params: [['secret', 'The SRS secret.'], ['return path', 'The sender address to encode.'], ['original domain', 'The domain the message was forwarded for.']] }],
  substr: [
    { params: [['start', 'Where to start (0 is the first character; negative counts from the end).'], ['length', 'How many characters.'], ['string', 'The string to cut.']] },
    { params: [['start', 'Where to start; the rest of the string is taken.'], ['string', 'The string to cut.']] },
  ],
  tr: [{ params: [['subject', 'The string to change.'], ['characters', 'The characters to replace.'], ['replacements', 'What each becomes, one for one (the last repeats).']] }],
};

const TWO_STRINGS: SignatureForm[] = [{ params: [['string1', 'The first string.'], ['string2', 'The second string.']] }];
const TWO_NUMBERS: SignatureForm[] = [{ params: [['number1', 'An integer (K, M or G suffixes allowed).'], ['number2', 'An integer (K, M or G suffixes allowed).']] }];
const USER_PASSWORD: SignatureForm[] = [{ params: [['user:password', 'The credentials, colon-separated (quote colons within them).']] }];
const OVER_LIST: SignatureForm[] = [{ params: [['list', 'The list (each item is $item in turn).'], ['condition', 'Tested for each item.']] }];

export const CONDITION_FORMS: Record<string, SignatureForm[]> = {
  '<': TWO_NUMBERS, '<=': TWO_NUMBERS, '=': TWO_NUMBERS, '==': TWO_NUMBERS, '>': TWO_NUMBERS, '>=': TWO_NUMBERS,
  eq: TWO_STRINGS, eqi: TWO_STRINGS, ge: TWO_STRINGS, gei: TWO_STRINGS, gt: TWO_STRINGS, gti: TWO_STRINGS,
  le: TWO_STRINGS, lei: TWO_STRINGS, lt: TWO_STRINGS, lti: TWO_STRINGS,
  crypteq: [{ params: [['string', 'The plain text.'], ['encrypted', 'The encrypted form, with its {md5}, {sha1}, {crypt}, … prefix.']] }],
  inlist: [{ params: [['string', 'What to find.'], ['list', 'The list, compared item by item.']] }],
  inlisti: [{ params: [['string', 'What to find, in any case.'], ['list', 'The list, compared item by item.']] }],
  match: [{ params: [['string', 'The subject.'], ['regex', 'A PCRE2 pattern (protect it with \\N…\\N); groups go to $1 ….']] }],
  match_address: [{ params: [['address', 'The address to test.'], ['address list', 'An address list, +name allowed.']] }],
  match_domain: [{ params: [['domain', 'The domain to test.'], ['domain list', 'A domain list, +name allowed.']] }],
  match_ip: [{ params: [['IP address', 'The address to test.'], ['host list', 'A host list of IP addresses and networks, +name allowed.']] }],
  match_local_part: [{ params: [['local part', 'The local part to test.'], ['local part list', 'A local part list, +name allowed.']] }],
  inbound_srs: [{ params: [['local part', 'The local part that may be SRS-encoded.'], ['secret', 'The SRS secret.']] }],
  bool: [{ params: [['string', 'true/yes/a non-zero number, or false/no/0/empty.']] }],
  bool_lax: [{ params: [['string', 'Anything but false, no, 0 or empty is true.']] }],
  exists: [{ params: [['file name', 'An absolute path.']] }],
  isip: [{ params: [['string', 'Is it an IPv4 or IPv6 address?']] }],
  isip4: [{ params: [['string', 'Is it an IPv4 address?']] }],
  isip6: [{ params: [['string', 'Is it an IPv6 address?']] }],
  ldapauth: [{ params: [['query', 'An LDAP query with user and pass parameters.']] }],
  pam: USER_PASSWORD, radius: USER_PASSWORD, pwcheck: USER_PASSWORD,
  saslauthd: [{ params: [['user', 'The user name.'], ['password', 'The password.'], ['service', 'The service (optional).'], ['realm', 'The realm (optional).']] }],
  acl: [{ params: [['name', 'The ACL to run.'], ['arg…', 'Up to nine arguments, in $acl_arg1 … $acl_arg9.']] }],
  and: [{ params: [['condition1', 'A condition, in braces.'], ['condition…', 'More conditions; all must be true.']] }],
  or: [{ params: [['condition1', 'A condition, in braces.'], ['condition…', 'More conditions; one must be true.']] }],
  forall: OVER_LIST, forany: OVER_LIST,
  forall_json: OVER_LIST, forany_json: OVER_LIST, forall_jsons: OVER_LIST, forany_jsons: OVER_LIST,
};
