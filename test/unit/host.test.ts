import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overlayHost, type SourceHost } from '../../server/src/core/host';

/** A fallback host that records which paths were asked about. */
function recording(): SourceHost & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    readFile: (f) => { asked.push(`read ${f}`); return undefined; },
    readDir: (d) => { asked.push(`dir ${d}`); return undefined; },
    isDirectory: (d) => { asked.push(`isdir ${d}`); return d === '/etc'; },
  };
}

test('overlayHost: a path given as text is a file, without asking the disk', () => {
  const disk = recording();
  const host = overlayHost(new Map([['/virtual/exim.conf', 'x = 1\n']]), disk);
  assert.equal(host.isDirectory('/virtual/exim.conf'), false);
  assert.equal(host.isDirectory('/virtual/../virtual/exim.conf'), false);
  assert.deepEqual(disk.asked, []);
  // Anything else is still the disk's to answer.
  assert.equal(host.isDirectory('/etc'), true);
  assert.deepEqual(disk.asked, ['isdir /etc']);
});
