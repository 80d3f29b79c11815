// fast-check generators of Exim configurations: realistic lines (options, lists, macros,
// conditionals, drivers, ACL statements, expansions, continuations), and mutations of them
// (lines deleted, duplicated, swapped, truncated at a brace, stray `${ \ " : .ifdef`).
import fc from 'fast-check';

// "constructor" and "__proto__": names every JavaScript object answers to, as a table of ours would.
const word = fc.constantFrom('a', 'b', 'example.com', 'lmtp', 'x_1', 'FOO', 'BAR', '127.0.0.1', '/etc/exim4/x', 'user', 'constructor', '__proto__');
const variable = fc.constantFrom('$domain', '$local_part', '${sender_address}', '$h_Subject:', '$acl_m0', '$value', '$1', '$');

/** Expansion text, nested to a small depth, including broken forms. */
const expansion: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    word, variable,
    fc.constantFrom('${', '}', '{', '\\', '\\N', '"', ':', '::', '\\$', '\\n', '${if', '${lookup', '\\N${x}\\N'),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\${if eq{${a}}{${b}}{yes}{no}}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\${lookup{${a}}lsearch{${b}}{$value}fail}`),
    tie('e').map((a) => `\${lc:${a}}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\${if and{{def:${a}}{!eq{${b}}{}}}}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} ${b}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a}${b}`),
  ),
})).e;

const value = fc.oneof(expansion, fc.tuple(expansion, expansion).map(([a, b]) => `"${a}\\"${b}"`), fc.array(word, { maxLength: 4 }).map((w) => w.join(' : ')));

const mainOption = fc.tuple(
  fc.constantFrom('primary_hostname', 'qualify_domain', 'acl_smtp_rcpt', 'received_header_text', 'message_size_limit', 'no_sync', 'hide', 'tls_advertise_hosts', 'unknown_option', 'log_selector'),
  value,
).map(([n, v]) => `${n} = ${v}`);
const list = fc.tuple(fc.constantFrom('domainlist', 'hostlist', 'addresslist', 'localpartlist', 'domainlist_cache', 'hide domainlist'), fc.constantFrom('local', 'relay', 'l2', ''), fc.array(fc.oneof(word, expansion, fc.constant('+local')), { maxLength: 4 }))
  .map(([k, n, items]) => `${k} ${n} = ${items.join(' : ')}`);
const macro = fc.tuple(fc.constantFrom('FOO', 'BAR', 'FOO_BAR', '_HAVE_X', 'X'), fc.constantFrom(' = ', ' == ', '='), value).map(([n, eq, v]) => `${n}${eq}${v}`);
const directive = fc.constantFrom('.ifdef FOO', '.ifndef BAR', '.elifdef X', '.else', '.endif', '.include /nonexistent/file', '.include_if_exists /nonexistent', '.include', '.ifdef\tFOO', '.bogus');
const begin = fc.constantFrom('begin acl', 'begin routers', 'begin transports', 'begin authenticators', 'begin retry', 'begin rewrite', 'begin nothing');
const driverHead = fc.constantFrom('r1:', 'lmtp_delivery:', 'dnslookup:', 'bad name:', 't:');
const driverOption = fc.tuple(fc.constantFrom('driver', 'transport', 'domains', 'condition', 'socket', 'headers_add', 'more', 'batch_max', 'toString'), value).map(([n, v]) => `  ${n} = ${v}`);
const aclLine = fc.tuple(fc.constantFrom('accept', 'deny', 'warn', 'require', 'drop', '!accept', 'frobnicate', '      '), fc.constantFrom('domains', 'condition', 'message', 'set acl_m_x', 'verify', 'acl', 'control', 'endpass', '!hosts', 'constructor'), value)
  .map(([v, c, x]) => `  ${v} ${c} = ${x}`);
const retryRewrite = fc.constantFrom('*  *  F,2h,15m; G,16h,1h,1.5', '*@a.example  $1@b.example  Ffrs', '"unterminated  *', '* senders = a : b  F,1h,10m');
const misc = fc.constantFrom('', '# comment', '   ', '\t', 'acl_name:', 'x', '=', '\\', '"', '${', '}');

/** One physical line (before the line break is chosen). */
export const eximLine: fc.Arbitrary<string> = fc.oneof(mainOption, list, macro, directive, begin, driverHead, driverOption, aclLine, retryRewrite, misc);

/** A config as lines, each with its own line break (LF, CRLF, lone CR, a continuation, or none at the end). */
export const eximConfig: fc.Arbitrary<string> = fc.array(fc.tuple(eximLine, fc.constantFrom('\n', '\n', '\n', '\r\n', ' \\\n', '\\\n', '\r')), { maxLength: 40 })
  .chain((lines) => fc.boolean().map((finalBreak) => {
    let s = lines.map(([l, br]) => l + br).join('');
    if (!finalBreak && s.endsWith('\n')) s = s.slice(0, -1);
    return s;
  }));

const STRAY = ['${', '\\', '"', ':', '.ifdef FOO\n', '}', '{', '\n', '\\\n', '\r'];

/** A config with one of the mutations applied. */
export const mutatedConfig: fc.Arbitrary<string> = fc.tuple(eximConfig, fc.nat(), fc.nat(), fc.constantFrom('delete', 'duplicate', 'swap', 'truncate-brace', 'insert'), fc.constantFrom(...STRAY))
  .map(([text, a, b, how, stray]) => {
    const lines = text.split('\n');
    const i = lines.length ? a % lines.length : 0, j = lines.length ? b % lines.length : 0;
    switch (how) {
      case 'delete': lines.splice(i, 1); return lines.join('\n');
      case 'duplicate': lines.splice(i, 0, lines[i] ?? ''); return lines.join('\n');
      case 'swap': [lines[i], lines[j]] = [lines[j], lines[i]]; return lines.join('\n');
      case 'truncate-brace': {
        const braces = [...text.matchAll(/[{}]/g)].map((m) => m.index!);
        return braces.length ? text.slice(0, braces[a % braces.length]) : text.slice(0, a % (text.length + 1));
      }
      default: { const at = a % (text.length + 1); return text.slice(0, at) + stray + text.slice(at); }
    }
  });

/** Every string, including control characters, lone surrogates and NULs. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('$', '{', '}', '\\', '"', ':', '\n', '\r', ' ', '\t', '.', 'a', 'A', '_', '=', '#', '!', '+', '\0', 'N'), maxLength: 300 }),
);
