// link/virtdomains against Debian's real lmtpd: with virtdomains off, mail for two domains
// lands in one mailbox; the rule's fix (virtdomains: userid with a defaultdomain) keeps the
// mailboxes made without a domain receiving the defaultdomain's mail, where virtdomains:
// userid alone would make lmtpd look for example.com!user.alice and refuse it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { callout } from '../../server/src/core/lmtp';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { applyEdits } from '../helpers/apply-edits';
import { cyrusMissingReason, servicesPerConf, startCyrus, type CyrusInstance } from './harness/cyrus';

const missing = cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;
/** One lmtpd per imapd.conf: master keeps an lmtpd running between connections, with the settings it read first. */
const ports: Record<'off' | 'fixed' | 'userid', number> = { off: 0, fixed: 0, userid: 0 };
const conf = (n: string) => path.join(cy.dir, `${n}.imapd.conf`);

before(async () => {
  if (missing) return;
  cy = await startCyrus({
    mailboxes: ['user/alice'],
    extraServices: await servicesPerConf(ports, 'lmtp', 'lmtpd -a'),
  });
});

after(async () => { if (cy) await cy.stop(); });

/** The harness's imapd.conf without its virtdomains and defaultdomain, plus `extra`. */
function writeConf(name: string, extra: string): void {
  const base = fs.readFileSync(cy.imapdConf, 'utf8').split('\n').filter((l) => l && !/^(virtdomains|defaultdomain):/.test(l));
  fs.writeFileSync(conf(name), [...base, ...extra.split('\n').filter(Boolean), ''].join('\n'), { mode: 0o644 });
}

async function codes(name: keyof typeof ports): Promise<string[]> {
  const r = await callout({ target: `127.0.0.1:${ports[name]}`, recipients: ['alice@example.com', 'alice@example.org'] });
  return r.recipients.map((x) => `${x.address} ${x.code}`);
}

test('virtdomains: off mixes the domains; the fix keeps user/alice for the defaultdomain; userid alone would not', { skip }, async () => {
  writeConf('off', 'virtdomains: off');
  writeConf('userid', 'virtdomains: userid');
  const exim = path.join(cy.dir, 'exim.conf');
  fs.writeFileSync(exim, `domainlist cyrus_domains = example.com : example.org
begin routers
cyrus:
  driver = accept
  domains = +cyrus_domains
  transport = t
begin transports
t:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  port = ${ports.off}
  allow_localhost
`);
  const f = checkProject([{ path: exim, kind: 'exim' }, { path: cy.cyrusConf, kind: 'cyrus-conf' }, { path: cy.imapdConf, kind: 'imapd-conf' }], defaultOptions)
    .find((x) => x.code === 'link/virtdomains');
  assert.ok(f, 'flagged');
  assert.equal(f.file, conf('off'));
  const fix = f.fixes![0];
  assert.equal(fix.manual, true, 'mail for example.org is refused until its mailboxes exist: not for --fix');
  const text = applyEdits(fs.readFileSync(conf('off'), 'utf8'), fix.edits);
  assert.match(text, /^virtdomains: userid\ndefaultdomain: example\.com$/m);
  fs.writeFileSync(conf('fixed'), text, { mode: 0o644 });

  assert.deepEqual(await codes('off'), ['alice@example.com 250', 'alice@example.org 250'], 'both land in user/alice');
  assert.deepEqual(await codes('fixed'), ['alice@example.com 250', 'alice@example.org 550'], 'user/alice keeps example.com\'s mail; example.org needs its own');
  assert.deepEqual(await codes('userid'), ['alice@example.com 550', 'alice@example.org 550'], 'without defaultdomain lmtpd looks for example.com!user.alice');
});
