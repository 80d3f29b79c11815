import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cachingDiskHost, diskHost, overlayHost, resolvePath, type SourceHost } from '../../server/src/core/host';
import { loadExim } from '../../server/src/core/exim';
import { defaultOptions } from '../../server/src/core/options';

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

test('cachingDiskHost: a file is read and split into lines once for the life of the host', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-host-'));
  try {
    const f = path.join(dir, 'inc.conf');
    fs.writeFileSync(f, 'a = 1\nb = 2\n');
    const host = cachingDiskHost();
    const first = host.readSource!(f)!;
    assert.equal(first.text, 'a = 1\nb = 2\n');
    assert.equal(first.lines.lineCount, 3);
    assert.equal(host.readSource!(f), first, 'the same text and line index, not a second read');
    assert.equal(host.readFile(f), first.text);
    assert.equal(host.readSource!(path.join(dir, 'missing')), undefined);
    assert.equal(host.readSource!(dir), undefined, 'a directory has no text');
    assert.deepEqual(host.readDir(dir), ['inc.conf']);
    // A snapshot: what was looked at stays as it was; a new host reads afresh.
    fs.writeFileSync(f, 'a = 1\n');
    fs.mkdirSync(path.join(dir, 'sub'));
    assert.equal(host.readFile(f), 'a = 1\nb = 2\n');
    assert.deepEqual(host.readDir(dir), ['inc.conf']);
    assert.equal(cachingDiskHost().readFile(f), 'a = 1\n');
    assert.deepEqual(cachingDiskHost().readDir(dir), ['inc.conf', 'sub']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('cachingDiskHost answers as the disk does, whatever the path looks like', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-host-'));
  const cwd = process.cwd();
  try {
    fs.writeFileSync(path.join(dir, 'file'), 'x = 1\n');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'b'), 'y = 2\n');
    fs.writeFileSync(path.join(dir, 'big'), Buffer.alloc(16));
    process.chdir(dir);
    const paths = ['file', 'sub', 'sub/', 'sub/b', 'file/', 'file/..', 'sub/../file', './file', 'missing', '', '.', path.join(dir, 'file'), path.join(dir, 'sub'), path.join(dir, 'sub', 'b')];
    const host = cachingDiskHost();
    for (const round of [1, 2]) {
      for (const p of paths) {
        // Files are read by their resolved path ("file/" too), as the core names them.
        const want = [diskHost.readFile(path.resolve(p)), diskHost.isDirectory(p), diskHost.readDir(p)];
        assert.deepEqual([host.readFile(p), host.isDirectory(p), host.readDir(p)], want, `${p} (round ${round})`);
      }
    }
    const names = host.readDir(dir)!;
    names.push('changed by a caller');
    assert.deepEqual(host.readDir(dir), ['big', 'file', 'sub'], 'a caller\'s change to a listing is its own');
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the Exim reader takes a shared include\'s line index from a host that keeps it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-host-'));
  try {
    const inc = path.join(dir, 'prefix');
    fs.writeFileSync(inc, 'primary_hostname = a.example\n');
    const host = cachingDiskHost();
    const confs = ['one.conf', 'two.conf'].map((n) => {
      const f = path.join(dir, n);
      fs.writeFileSync(f, `.include ${inc}\nqualify_domain = example.com\n`);
      return loadExim(f, defaultOptions, host);
    });
    const [a, b] = confs.map((c) => c.files.get(inc)!);
    assert.equal(a.lines, b.lines, 'both configs use the one line index of the include');
    assert.equal(a.lines, host.readSource!(inc)!.lines);
    assert.deepEqual(confs.map((c) => c.main.map((o) => o.name)), [['primary_hostname', 'qualify_domain'], ['primary_hostname', 'qualify_domain']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('resolvePath is path.resolve', () => {
  for (const p of ['/', '/etc/exim4/exim4.conf', '/a/b/', '/a//b', '/a/./b', '/a/../b', '/a/.hidden', 'rel/x', '.', '..', '', '/a/b/..', '/x y/z']) {
    assert.equal(resolvePath(p), path.resolve(p), p);
  }
});
