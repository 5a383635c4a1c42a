// The kernel backend over a real device-session process (child_process.fork).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { createKernelBackend } from '../../../src/main/core/backends/kernel/index';
import type { BackendNotice } from '../../../src/main/core/backend';
import { Session } from '../../../src/main/core/session';
import type { RecordingRecord } from '../../../src/main/core/recording/format';
import { EVENT_FLAG_HINT, FEATURES_ALL, UmmuError, type ArenaPage, type UmmuEvent } from '../../../src/shared/domain';
import { DEVICE_SESSION_ENTRY, forkLauncher, forkLauncherWatching, invals, PAGE, UNMAP_ON_SIGNAL_ENTRY, within } from '../helpers';

// Where the addon places arenas (native/src/arena.cc: 64 slots of 1 GiB from 0x100000000000).
const ARENA_REGION: [bigint, bigint] = [0x1000_0000_0000n, 0x1000_0000_0000n + 64n * 0x4000_0000n];

test('the kernel backend drives the device in the session process and reports only what the device reported', async () => {
  const backend = await createKernelBackend(forkLauncher, { entryScript: DEVICE_SESSION_ENTRY, arenaPages: 16 });
  const notices: BackendNotice[] = [];
  backend.onNotice((n) => notices.push(n));
  try {
    assert.equal(backend.info().kind, 'kernel');
    assert.equal(backend.info().supportedFeatures, FEATURES_ALL);
    assert.equal(await backend.negotiateFeatures(FEATURES_ALL), FEATURES_ALL);
    const { base, pages } = backend.arena();
    assert.equal(pages, 16);
    await backend.register(base, base + 4n * PAGE, 0xabcn);
    await assert.rejects(backend.register(base, base + PAGE, 0xabcn), (err: unknown) => err instanceof UmmuError && err.code === 'EINVAL');
    const result = await backend.lab({ op: 'munmap', page: 1, pages: 1 });
    assert.deepEqual(result, { op: 'munmap', start: base + PAGE, end: base + 2n * PAGE });
    assert.equal(backend.counter(), 1n);
    // The kernel does not say which notifier calls happened: no invalidation is invented from the lab op's range.
    assert.deepEqual(notices, [{ kind: 'lab', result }]);
    const snapshot = await backend.query();
    assert.deepEqual(snapshot.queue, [0xabcn]);
    const events = await backend.read(8);
    assert.equal(events.length, 2);
    assert.equal(events[0]?.cookieOrCounter, 0xabcn);
    assert.equal((events[0]?.flags ?? 0) & EVENT_FLAG_HINT, EVENT_FLAG_HINT);
    assert.deepEqual(await backend.read(8), []);
    // GENERATIONS: the device session answers REGISTER_SLOT and puts each slot's word, loaded from the mapped words, in QUERY snapshots.
    assert.deepEqual(await backend.registerSlot(base + 8n * PAGE, base + 10n * PAGE, 0xdefn), { slot: 0, generation: 0n });
    await backend.lab({ op: 'madvise', page: 9, pages: 1, advice: 'DONTNEED' });
    const slotted = (await backend.query()).registrations.map((r) => [r.cookie, r.slot]);
    assert.deepEqual(slotted, [
      [0xabcn, undefined],
      [0xdefn, { slot: 0, generation: 1n }],
    ]);
    await backend.unregister(0xdefn);
    await backend.read(8);
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

test('without an entry script the backend starts the device session from the source tree', async () => {
  const backend = await createKernelBackend(forkLauncher, { arenaPages: 4 });
  try {
    assert.equal(backend.info().kind, 'kernel');
    assert.equal(backend.arena().pages, 4);
  } finally {
    await backend.close();
  }
});

test('arenaPages follows the lab: unmapped holes, protections, pages dropped, read back as the zero page and written', async () => {
  const backend = await createKernelBackend(forkLauncher, { entryScript: DEVICE_SESSION_ENTRY, arenaPages: 6 });
  const rw = (state: ArenaPage['state']): ArenaPage => ({ state, prot: 'rw' });
  try {
    assert.deepEqual(backend.arenaPages?.(), Array.from({ length: 6 }, () => rw('present')));
    await backend.lab({ op: 'munmap', page: 1, pages: 1 });
    await backend.lab({ op: 'mprotect', page: 2, pages: 1, prot: 'r' });
    await backend.lab({ op: 'mprotect', page: 3, pages: 1, prot: 'none' });
    await backend.lab({ op: 'madvise', page: 4, pages: 2, advice: 'DONTNEED' });
    await backend.lab({ op: 'touch', page: 5, pages: 1 });
    assert.deepEqual(backend.arenaPages?.(), [
      rw('present'),
      { state: 'unmapped', prot: null },
      { state: 'present', prot: 'r' },
      { state: 'present', prot: 'none' },
      rw('none'),
      rw('present'),
    ]);
    await backend.lab({ op: 'read', page: 4, pages: 1 });
    assert.deepEqual(backend.arenaPages?.()[4], rw('zero'));
    await backend.lab({ op: 'touch', page: 4, pages: 1 });
    assert.deepEqual(backend.arenaPages?.()[4], rw('present'));
    await backend.lab({ op: 'mmap', page: 1, pages: 1 });
    await assert.rejects(backend.lab({ op: 'touch', page: 3, pages: 1 }), (err: unknown) => err instanceof UmmuError && err.code === 'EFAULT');
    assert.deepEqual(backend.arenaPages?.()[1], rw('none'));
  } finally {
    await backend.close();
  }
});

test('auto-read drains an invalidation the lab did not cause (an munmap elsewhere in the watched process)', async () => {
  let child: ChildProcess | undefined;
  const backend = await createKernelBackend(
    forkLauncherWatching((c) => (child = c)),
    { entryScript: UNMAP_ON_SIGNAL_ENTRY, arenaPages: 4 },
  );
  const session = new Session(backend, { selection: 'test' });
  const drained: UmmuEvent[] = [];
  let readable = 0;
  backend.onReadable?.(() => readable++);
  const cookie = 0x5157n;
  const seen = new Promise<void>((resolve) =>
    session.onJournal((record: RecordingRecord) => {
      if (record.kind !== 'events') return;
      drained.push(...record.events);
      if (invals(drained).some((e) => e.cookie === cookie)) resolve();
    }),
  );
  try {
    await session.register(ARENA_REGION[0], ARENA_REGION[1], cookie);
    session.setAutoRead(true);
    // Queued behind the drain that enabling auto-read starts: that drain is over before the signal.
    assert.deepEqual((await session.query()).queue, []);
    assert.ok(child?.kill('SIGUSR2'));
    await within(seen, 60_000, 'auto-read draining the invalidation');
    assert.ok(readable >= 1);
    assert.deepEqual(await backend.read(8), []);
    assert.ok(backend.counter() >= 1n);
  } finally {
    await session.close();
  }
});
