// A machine-scoped setting is read, in a remote window (code-server, Remote-SSH), only from
// the remote machine's settings: its description must say so, or users set it in User
// settings and wonder why nothing happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

test('every machine-scoped setting says to set it in the Remote (Machine) settings of a remote window', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
  const props: Record<string, { scope?: string; description?: string; markdownDescription?: string }> = pkg.contributes.configuration.properties
    ?? Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties));
  const machine = Object.entries(props).filter(([, p]) => p.scope === 'machine');
  assert.ok(machine.some(([k]) => k === 'eximCyrus.exim.path'));
  const silent = machine.filter(([, p]) => !/remote window/i.test(`${p.markdownDescription ?? p.description}`)
    || !/Remote\*{0,2} \(Machine\) settings/.test(`${p.markdownDescription ?? p.description}`) || !/not in User settings/.test(`${p.markdownDescription ?? p.description}`));
  assert.deepEqual(silent.map(([k]) => k), []);
});
