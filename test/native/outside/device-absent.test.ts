// Outside the VM: no /dev/ummunotify. The errors must say why the kernel
// backend is unavailable and what to do about it; the lab arena works
// anywhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { addonCandidates, createArena, openDevice } from '../../../native/lib/index';
import { createKernelBackend } from '../../../src/main/core/backends/kernel/index';
import { UmmuError } from '../../../src/shared/domain';
import { DEVICE_SESSION_ENTRY, forkLauncher, inVm, PAGE } from '../helpers';

const absent = '/dev/ummunotify-absent-for-test';

test('opening a missing device says the module is not loaded and how to load it', () => {
  assert.throws(
    () => openDevice(absent),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ENOENT');
      assert.match(err.message, /not present: the ummunotify module is not loaded/);
      assert.match(err.message, /modprobe ummunotify/);
      assert.match(err.message, /kernel\/README\.md/);
      return true;
    },
  );
});

test('opening a device without permission names the udev rule', { skip: process.getuid?.() !== 0 && 'needs root to drop to nobody' }, () => {
  // The unprivileged child may not be able to read the checkout (a clone
  // under /root or in a 0700 folder), so everything it loads is copied into
  // a world-readable folder: the built addon and a plain-JS script.
  const dir = mkdtempSync(join(tmpdir(), 'ummu-eacces-'));
  chmodSync(dir, 0o755);
  const node = join(dir, 'ummunotify');
  writeFileSync(node, '');
  chmodSync(node, 0o600);
  const addon = join(dir, 'ummunotify.node');
  const built = addonCandidates().find((path) => existsSync(path));
  assert.ok(built, 'the addon is built');
  copyFileSync(built, addon);
  chmodSync(addon, 0o755);
  const script = `try { new (require(${JSON.stringify(addon)}).Device)(${JSON.stringify(node)}); console.log('{}'); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
  const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: dir },
  });
  assert.equal(run.status, 0, `the unprivileged child failed (status ${run.status}, ${run.error?.message ?? 'no spawn error'}): ${run.stderr}`);
  const result = JSON.parse(run.stdout.trim()) as { code?: string; message?: string };
  assert.equal(result.code, 'EACCES');
  assert.match(result.message ?? '', /permission denied/);
  assert.match(result.message ?? '', /udev rule kernel\/udev\/90-ummunotify.rules/);
});

test('the kernel backend rejects with ENOENT and the reason when the module is not loaded', { skip: inVm && 'the module is loaded' }, async () => {
  await assert.rejects(
    createKernelBackend(forkLauncher, { devicePath: absent, entryScript: DEVICE_SESSION_ENTRY }),
    (err: unknown) => {
      assert.ok(err instanceof UmmuError);
      assert.equal(err.code, 'ENOENT');
      assert.match(err.message, /the ummunotify module is not loaded/);
      return true;
    },
  );
});

test('the arena refuses ranges outside it with a RangeError, and accesses that would fault with EFAULT', () => {
  const arena = createArena(8);
  try {
    assert.equal(arena.pages, 8);
    assert.equal(arena.base % PAGE, 0n);
    assert.throws(() => arena.run({ op: 'touch', page: 7, pages: 2 }), RangeError);
    assert.throws(() => arena.run({ op: 'munmap', page: 0, pages: 0 }), RangeError);
    assert.throws(() => arena.run({ op: 'mremap', page: 0, pages: 1, newPages: 2, newPage: 7 }), RangeError);
    arena.run({ op: 'munmap', page: 2, pages: 1 });
    assert.throws(() => arena.run({ op: 'touch', page: 2, pages: 1 }), { code: 'EFAULT', message: /page 2 is not mapped/ });
    arena.run({ op: 'mprotect', page: 4, pages: 1, prot: 'r' });
    assert.throws(() => arena.run({ op: 'touch', page: 4, pages: 1 }), { code: 'EFAULT', message: /mapped r, not writable/ });
    arena.run({ op: 'read', page: 4, pages: 1 });
    assert.throws(() => arena.run({ op: 'mprotect', page: 1, pages: 3, prot: 'r' }), { code: 'ENOMEM' });
  } finally {
    arena.close();
    arena.close();
  }
});

test('every lab op returns the exact range it affected', () => {
  const arena = createArena(16);
  const at = (page: number): bigint => arena.base + BigInt(page) * PAGE;
  try {
    assert.deepEqual(arena.run({ op: 'touch', page: 1, pages: 2 }), { op: 'touch', start: at(1), end: at(3) });
    assert.deepEqual(arena.run({ op: 'madvise', page: 0, pages: 4, advice: 'DONTNEED' }), { op: 'madvise', start: at(0), end: at(4) });
    assert.deepEqual(arena.run({ op: 'munmap', page: 10, pages: 6 }), { op: 'munmap', start: at(10), end: at(16) });
    // Grows in place into the hole after it.
    assert.deepEqual(arena.run({ op: 'mremap', page: 8, pages: 2, newPages: 4 }), { op: 'mremap', start: at(8), end: at(12) });
    // No room to grow in place: moves to the lowest hole that fits.
    arena.run({ op: 'munmap', page: 0, pages: 3 });
    assert.deepEqual(arena.run({ op: 'mremap', page: 4, pages: 2, newPages: 3 }), {
      op: 'mremap',
      start: at(4),
      end: at(6),
      movedTo: { start: at(0), end: at(3) },
    });
    arena.run({ op: 'touch', page: 0, pages: 3 });
    assert.throws(() => arena.run({ op: 'touch', page: 4, pages: 1 }), { code: 'EFAULT' });
    assert.deepEqual(arena.run({ op: 'mremap', page: 8, pages: 4, newPages: 2 }), { op: 'mremap', start: at(8), end: at(12) });
    assert.throws(() => arena.run({ op: 'touch', page: 10, pages: 1 }), { code: 'EFAULT' });
    assert.deepEqual(arena.run({ op: 'mmap', page: 10, pages: 6 }), { op: 'mmap', start: at(10), end: at(16) });
    assert.deepEqual(arena.run({ op: 'fork', page: 0, pages: 16 }), { op: 'fork', start: at(0), end: at(16) });
    arena.run({ op: 'touch', page: 10, pages: 6 });
  } finally {
    arena.close();
  }
});
