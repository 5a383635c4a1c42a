// The kernel backend over a real device-session process (child_process.fork).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKernelBackend } from '../../../src/main/core/backends/kernel/index';
import type { BackendNotice } from '../../../src/main/core/backend';
import { EVENT_FLAG_HINT, FEATURES_ALL, UmmuError } from '../../../src/shared/domain';
import { DEVICE_SESSION_ENTRY, forkLauncher, PAGE } from '../helpers';

test('the kernel backend drives the device in the session process and reports invalidations', async () => {
  const backend = await createKernelBackend(forkLauncher, { entryScript: DEVICE_SESSION_ENTRY, arenaPages: 16 });
  const notices: BackendNotice[] = [];
  backend.onNotice((n) => notices.push(n));
  try {
    assert.equal(backend.info().kind, 'kernel');
    assert.equal(backend.info().supportedFeatures, FEATURES_ALL);
    assert.equal(await backend.exchangeFeatures(FEATURES_ALL), FEATURES_ALL);
    const { base, pages } = backend.arena();
    assert.equal(pages, 16);
    await backend.register(base, base + 4n * PAGE, 0xabcn);
    await assert.rejects(backend.register(base, base + PAGE, 0xabcn), (err: unknown) => err instanceof UmmuError && err.code === 'EINVAL');
    const result = await backend.lab({ op: 'munmap', page: 1, pages: 1 });
    assert.deepEqual(result, { op: 'munmap', start: base + PAGE, end: base + 2n * PAGE });
    assert.equal(backend.counter(), 1n);
    assert.deepEqual(notices[0], { kind: 'invalidation', start: base + PAGE, end: base + 2n * PAGE, reason: -1, hits: [0xabcn] });
    assert.deepEqual(notices[1], { kind: 'lab', result });
    const snapshot = await backend.query();
    assert.deepEqual(snapshot.queue, [0xabcn]);
    const events = await backend.read(8);
    assert.equal(events.length, 2);
    assert.equal(events[0]?.cookieOrCounter, 0xabcn);
    assert.equal((events[0]?.flags ?? 0) & EVENT_FLAG_HINT, EVENT_FLAG_HINT);
    assert.deepEqual(await backend.read(8), []);
    await assert.rejects(backend.lab({ op: 'touch', page: 1, pages: 1 }), (err: unknown) => err instanceof UmmuError && err.code === 'EFAULT');
    await assert.rejects(backend.lab({ op: 'touch', page: 15, pages: 2 }), (err: unknown) => err instanceof UmmuError && err.code === 'EINVAL');
  } finally {
    await backend.close();
  }
  await assert.rejects(backend.read(1), (err: unknown) => err instanceof UmmuError && err.code === 'ENODEV');
});

test('a crash of the session process becomes a dead notice and ENODEV, not a crash here', async () => {
  let channelKill: () => void = () => {};
  const backend = await createKernelBackend(
    (entry) => {
      const channel = forkLauncher(entry);
      channelKill = () => channel.kill();
      return channel;
    },
    { entryScript: DEVICE_SESSION_ENTRY },
  );
  const dead = new Promise<BackendNotice>((resolve) => backend.onNotice((n) => n.kind === 'dead' && resolve(n)));
  channelKill();
  assert.deepEqual(await dead, { kind: 'dead' });
  await assert.rejects(backend.register(0x1000n, 0x2000n, 1n), (err: unknown) => err instanceof UmmuError && err.code === 'ENODEV');
  await backend.close();
});
