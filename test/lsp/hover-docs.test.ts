// Hover on the words of Exim's own language (expansion items, operators, conditions and
// variables, ACL verbs and conditions, lookup types) says what they do, not only what they are.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { TestClient, positionOf, scratch, uriOf } from './client';
import { aclNames, expansionNames, lookupTypes } from '../../server/src/core/catalog/exim';
import { ACL_CONDITION_DOCS, ACL_VERB_DOCS, CONDITION_DOCS, ITEM_DOCS, LOOKUP_DOCS, operatorDoc, variableDoc } from '../../server/src/core/features/exim-descriptions';

const TEXT = `primary_hostname = x.example
domainlist local_domains = lsearch;/etc/exim/domains
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  deny    message = \${lc:$local_part} \${if and{{eq{$domain}{x}}{def:sender_address}}{a}{b}}
          !verify = recipient
  accept  condition = \${lookup{$local_part}lsearch{/etc/aliases}{yes}{no}}
begin routers
r:
  driver = accept
  address_data = \${sg{$local_part}{-.*}{}} \${acl{acl_check_rcpt}}
  transport = t
begin transports
t:
  driver = appendfile
  file = /tmp/$local_part
`;

const { tree, client } = scratch('exim-cyrus-hover-');
let c: TestClient;
let file: string;

before(async () => {
  const dir = tree({ 'exim.conf': TEXT });
  file = path.join(dir, 'exim.conf');
  c = await client(dir);
  c.open(file, TEXT, 'exim');
  await c.waitForDiagnostics(file);
});

async function hoverAt(needle: string, offset: number, occurrence = 0): Promise<string> {
  const h = await c.request('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: positionOf(TEXT, needle, offset, occurrence) });
  assert.ok(h, `no hover at ${needle}+${offset}`);
  return h.contents.value as string;
}

test('hover on expansion items, operators, conditions and variables gives a description and a link', async () => {
  const cases: [string, number, RegExp][] = [
    ['${lc:', 3, /operator[\s\S]*Lower-cases/],
    ['$local_part}', 3, /expansion variable[\s\S]*local part of the address[\s\S]*In ACLs it is set only at RCPT, VRFY and PRDR/],
    ['{eq{', 2, /expansion condition[\s\S]*String equality/],
    ['and{{', 1, /expansion condition[\s\S]*every condition/],
    ['def:sender', 1, /expansion condition[\s\S]*non-empty/],
    ['${sg{', 3, /expansion item[\s\S]*substitution/],
    ['${lookup{', 4, /expansion item[\s\S]*Looks a key up/],
  ];
  for (const [needle, offset, want] of cases) {
    const md = await hoverAt(needle, offset);
    assert.match(md, want, needle);
    assert.match(md, /\(https:\/\/www\.exim\.org\/[^)]+\)/, `${needle}: a link`);
  }
});

test('hover on ACL verbs and conditions, and on lookup types', async () => {
  assert.match(await hoverAt('  deny ', 3), /ACL verb[\s\S]*Rejects/);
  assert.match(await hoverAt('!verify', 2), /ACL condition[\s\S]*verification/);
  assert.match(await hoverAt('  deny    message', 'deny    message'.length), /ACL modifier[\s\S]*SMTP reply/);
  assert.match(await hoverAt('}lsearch{', 3), /single-key, absolute file lookup[\s\S]*"key: data"[\s\S]*lookups/);
  assert.match(await hoverAt('lsearch;/etc', 2), /lookup[\s\S]*"key: data"/);
});

test('every name the catalog knows has a description', () => {
  const missing = [
    ...expansionNames('item').filter((n) => !ITEM_DOCS[n.name]).map((n) => `item ${n.name}`),
    ...expansionNames('operator').filter((n) => !operatorDoc(n.name)).map((n) => `operator ${n.name}`),
    ...expansionNames('condition').filter((n) => !CONDITION_DOCS[n.name]).map((n) => `condition ${n.name}`),
    ...expansionNames('variable').filter((n) => !variableDoc(n.name)).map((n) => `variable ${n.name}`),
    ...['acl_c0', 'acl_m_x', 'r_x', 'auth1', 'regex1', 'h_subject', 'rh_to', 'bh_from', 'lh_x', '1'].filter((n) => !variableDoc(n)).map((n) => `variable ${n}`),
    ...aclNames('verb').filter((n) => !ACL_VERB_DOCS[n.name]).map((n) => `verb ${n.name}`),
    ...[...aclNames('condition'), ...aclNames('modifier')].filter((n) => !ACL_CONDITION_DOCS[n.name]).map((n) => `ACL ${n.name}`),
    ...lookupTypes().filter((n) => !LOOKUP_DOCS[n.name]).map((n) => `lookup ${n.name}`),
  ];
  assert.deepEqual(missing, []);
});
