// The snippets the extension contributes: well-formed for VS Code, and, inserted with their
// default values, they make the reference Exim-in-front-of-Cyrus setup that our checker
// finds nothing wrong with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { memoryHost } from '../helpers/memory-host';

const root = path.join(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributed: { language: string; path: string }[] = pkg.contributes.snippets;

interface Snippet { prefix: string; description: string; body: string[] }
const byLanguage = new Map<string, Record<string, Snippet>>(contributed.map((c) => [c.language, JSON.parse(fs.readFileSync(path.join(root, c.path), 'utf8'))]));

/** A snippet's text as inserted when every placeholder keeps its default (the first choice of a choice). */
function expand(language: string, prefix: string, indent = ''): string {
  const s = Object.values(byLanguage.get(language) ?? {}).find((x) => x.prefix === prefix);
  assert.ok(s, `${language} snippet ${prefix}`);
  return s.body.map((l) => indent + l).join('\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\d+/g, '').replace(/[ \t]+$/gm, '');
}

test('each contributed snippet file is there, for a language of ours, and each snippet has a prefix, a description and a body', () => {
  const languages = new Set(pkg.contributes.languages.map((l: { id: string }) => l.id));
  assert.deepEqual(contributed.map((c) => c.language).sort(), ['cyrus-conf', 'exim', 'imapd-conf']);
  for (const c of contributed) {
    assert.ok(languages.has(c.language), c.language);
    const prefixes = new Set<string>();
    for (const [name, s] of Object.entries(byLanguage.get(c.language)!)) {
      assert.match(s.prefix, /^[a-z][a-z0-9-]*$/, name);
      assert.ok(!prefixes.has(s.prefix), `${name}: prefix ${s.prefix} twice`);
      prefixes.add(s.prefix);
      assert.ok(s.description.length > 20, name);
      assert.ok(Array.isArray(s.body) && s.body.every((l) => typeof l === 'string'), name);
    }
  }
});

test('inserted with their defaults, the snippets make the reference setup, and the checker finds nothing wrong', () => {
  const exim = [
    'primary_hostname = mail.example.com',
    expand('exim', 'cyrus-domains'),
    'acl_smtp_rcpt = acl_check_rcpt',
    'begin acl',
    'acl_check_rcpt:',
    '  accept  hosts = :',
    expand('exim', 'cyrus-rcpt-callout', '  '),
    expand('exim', 'sender-callout', '  '),
    '  accept  domains = +cyrus_domains',
    '  deny    message = relay not permitted',
    'begin routers',
    expand('exim', 'cyrus-router'),
    'begin transports',
    expand('exim', 'cyrus-lmtp-transport'),
    expand('exim', 'cyrus-lmtp-socket-transport'),
    'begin retry',
    expand('exim', 'retry-default'),
  ].join('\n');
  const cyrus = ['SERVICES {', expand('cyrus-conf', 'lmtp-tcp', '  '), expand('cyrus-conf', 'lmtp-unix', '  '), '}', ''].join('\n');
  const imapd = ['configdirectory: /var/lib/cyrus', 'partition-default: /var/spool/cyrus/mail', expand('imapd-conf', 'virtdomains'), ''].join('\n');
  const dir = path.resolve('/virtual/snippets');
  const files = new Map([[path.join(dir, 'exim.conf'), exim], [path.join(dir, 'cyrus.conf'), cyrus], [path.join(dir, 'imapd.conf'), imapd]]);
  const findings = checkProject([{ path: path.join(dir, 'exim.conf'), kind: 'exim' }, { path: path.join(dir, 'cyrus.conf'), kind: 'cyrus-conf' }, { path: path.join(dir, 'imapd.conf'), kind: 'imapd-conf' }], defaultOptions, memoryHost(files));
  const serious = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(serious.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.code} ${f.message}`), [], exim);
  // The socket transport is there to be chosen instead of the TCP one: nothing uses it here.
  assert.deepEqual(findings.map((f) => f.code), ['exim/unused-definition']);
});
