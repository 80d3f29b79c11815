// Names every JavaScript object answers to ("constructor", "toString", "__proto__", ...),
// written where configs name drivers, programs, services, conditions, options and sections:
// our tables are plain objects, and such a name once found an inherited function there (a
// rule crashed; cyrus.conf's listen="constructor" was "port function Object() { [native
// code] }"). Checking and every editor feature at every position must treat them as the
// unknown names they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { ConfigWorkspace, completion, definition, hover, references, signatureHelp, documentSymbols, codeActions } from '../../server/src/core/features';
import { parseTarget } from '../../server/src/core/lmtp/target';
import { memoryHost } from '../helpers/memory-host';

const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

const exim = (w: string) => `${w} = 1
no_${w}
primary_hostname = \${${w}:abc}
qualify_domain = \${if ${w}{a}{b}{x}{y}}
message_size_limit = \${${w}_3:abc}
acl_smtp_rcpt = a
acl_smtp_${w} = a
domainlist d = \${lookup{x}${w}{/etc/x}}
hostlist h = ${w} : net-${w};x
begin acl
a:
  ${w} domains = x
  accept ${w} = x
  deny control = ${w}
  deny verify = recipient/callout=${w}
  warn logwrite = \$${w} \${${w}{a}}
  accept hosts = +${w}
begin routers
r:
  driver = ${w}
  ${w} = 1
m:
  driver = manualroute
  route_list = * x ${w}
  self = ${w}
  transport = ${w}
begin transports
t:
  driver = ${w}
  file = x
  directory = y
s:
  driver = smtp
  protocol = ${w}
  port = ${w}
  hosts = ${w}
begin authenticators
p:
  driver = ${w}
  public_name = ${w}
begin retry
* * F,2${w},15m
begin ${w}
`;

const cyrus = (w: string) => `START {
  recover cmd="ctl_cyrusdb -r" ${w}=1
}
SERVICES {
  ${w} cmd="${w} -a" listen="${w}" prefork=${w} proto=${w}
  lmtp cmd="lmtpd -a" listen="127.0.0.1:${w}"
  tls${w} cmd="${w}" listen="993"
  plain${w} cmd="${w} -s" listen="143"
}
${w} {
}
EVENTS {
  x cmd="${w}" at=${w} period=${w}
}
`;

const imapd = (w: string) => `${w}: 1
${w}_${w}: 1
partition-${w}: /tmp
sasl_pwcheck_method: ${w}
virtdomains: ${w}
lmtp_${w}: ${w}
maxmessagesize: ${w}
`;

/** What an inherited member looks like once it has been turned into text. */
const LEAK = /native code|\[object Object\]|function [A-Za-z_]*\(|Internal error/;

function files(w: string): Map<string, string> {
  const dir = `/virtual/object-names/${w}`;
  return new Map([[`${dir}/exim.conf`, exim(w)], [`${dir}/cyrus.conf`, cyrus(w)], [`${dir}/imapd.conf`, imapd(w)]]);
}

for (const w of NAMES) {
  test(`"${w}" in every place a name is written: checked as an unknown name, never as what every JavaScript object inherits`, () => {
    const texts = files(w);
    const [e, c, i] = [...texts.keys()];
    const findings = checkProject([{ path: e, kind: 'exim' }, { path: c, kind: 'cyrus-conf' }, { path: i, kind: 'imapd-conf' }], defaultOptions, memoryHost(texts));
    for (const f of findings) assert.doesNotMatch(`${f.message} ${JSON.stringify(f.fixes ?? '')}`, LEAK, `${f.code} at ${f.file}:${f.range.start.line + 1}`);
    // The unknown ones are found as unknown, not taken for something known.
    assert.ok(findings.some((f) => f.code === 'exim/unknown-driver'), 'driver = NAME is an unknown driver');
    assert.ok(findings.some((f) => f.code === 'cyrus/unknown-program'), 'cmd="NAME" is an unknown program');
    assert.ok(findings.some((f) => f.file === c && f.code === 'cyrus/invalid-value' && /The service name '.*' is not one we know/.test(f.message)), 'listen="NAME" names no service');
  });

  test(`"${w}" at every position: hover, completion, signature help, definition, references, symbols and code actions stay clean`, () => {
    const ws = new ConfigWorkspace();
    const texts = files(w);
    for (const [file, text] of texts) ws.open(file, text);
    for (const [file, text] of texts) {
      const lines = text.split('\n');
      const results: unknown[] = [documentSymbols(ws, file)];
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line].length; character++) {
          const p = { line, character };
          results.push(hover(ws, file, p), signatureHelp(ws, file, p), definition(ws, file, p), references(ws, file, p));
          // Completion lists are long and the same along a word: once per word boundary is enough.
          if (character === 0 || /\W/.test(lines[line][character - 1])) results.push(completion(ws, file, p).filter((x) => LEAK.test(JSON.stringify(x))));
        }
        results.push(codeActions(ws, file, { start: { line, character: 0 }, end: { line, character: lines[line].length } }));
      }
      assert.doesNotMatch(JSON.stringify(results), LEAK, file);
    }
  });
}

test('a callout target names a port by a service name of the table only', () => {
  for (const w of NAMES) assert.equal(parseTarget(`127.0.0.1:${w}`).ok, false, w);
  assert.deepEqual(parseTarget('127.0.0.1:lmtp'), { ok: true, target: { kind: 'tcp', host: '127.0.0.1', port: 24 } });
});
