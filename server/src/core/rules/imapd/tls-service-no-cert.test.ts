import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { memoryHost } from '../../../../../test/helpers/memory-host';

const cyrus = '/virtual/tls-service/cyrus.conf', imapd = '/virtual/tls-service/imapd.conf';
const found = (services: string, settings = 'configdirectory: /var/lib/cyrus\n') =>
  checkProject([{ path: cyrus, kind: 'cyrus-conf' }, { path: imapd, kind: 'imapd-conf' }], defaultOptions,
    memoryHost(new Map([[cyrus, `SERVICES {\n${services}}\n`], [imapd, settings]])))
    .filter((f) => f.code === 'imapd/tls-service-no-cert').map((f) => f.message.split(' ')[1]);

test('judged for the services that read this imapd.conf: no -C, -C naming it or Cyrus\'s default; not one reading another file', () => {
  assert.deepEqual(found([
    '  a cmd="imapd -s" listen="993"\n',
    `  b cmd="imapd -s -C ${imapd}" listen="127.0.0.1:993"\n`,
    '  c cmd="imapd -s -C /etc/imapd.conf" listen="127.0.0.2:993"\n',
    '  d cmd="imapd -s -C /etc/cyrus/other.conf" listen="127.0.0.3:993"\n',
  ].join('')), ['a', 'b', 'c']);
});

test('a service\'s own certificate and key count for it alone; lmtpd and programs without -s are left alone', () => {
  const services = '  imaps cmd="imapd -s" listen="993"\n  pop3s cmd="pop3d -s" listen="995"\n  imap cmd="imapd" listen="143"\n';
  assert.deepEqual(found(services, 'imaps_tls_server_cert: /srv/c.pem\nimaps_tls_server_key: /srv/k.pem\n'), ['pop3s']);
  assert.deepEqual(found(services, 'tls_cert_file: /srv/c.pem\ntls_key_file: /srv/k.pem\n'), []);
});
