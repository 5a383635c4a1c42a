// Inside the VM: watchReadable() says when the file became readable, from
// any cause, and reads nothing itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createArena, openDevice } from '../../../native/lib/index';
import { invals, PAGE, within } from '../helpers';

const nextReadable = (calls: (() => void)[]): Promise<void> => new Promise((resolve) => calls.push(resolve));

test('watchReadable fires after each invalidation and leaves the events to read()', async () => {
  const device = openDevice();
  const arena = createArena(4);
  const waiting: (() => void)[] = [];
  let calls = 0;
  try {
    device.register(arena.base, arena.base + 4n * PAGE, 1n);
    device.watchReadable(() => {
      calls++;
      waiting.shift()?.();
    });
    let readable = nextReadable(waiting);
    arena.run({ op: 'munmap', page: 0, pages: 1 });
    await within(readable, 30_000, 'the readable call');
    assert.deepEqual(invals(device.read(8) ?? []).map((e) => e.cookie), [1n]);
    assert.deepEqual(device.read(8), []);
    readable = nextReadable(waiting);
    arena.run({ op: 'munmap', page: 2, pages: 1 });
    await within(readable, 30_000, 'the readable call');
    assert.deepEqual(invals(device.read(8) ?? []).map((e) => e.cookie), [1n]);
    device.unwatchReadable();
    const before = calls;
    arena.run({ op: 'munmap', page: 3, pages: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(calls, before);
  } finally {
    device.close();
    arena.close();
  }
});

test('watchReadable allows one watcher per open file', () => {
  const device = openDevice();
  device.watchReadable(() => {});
  assert.throws(() => device.watchReadable(() => {}), { code: 'EBUSY' });
  device.close();
  assert.throws(() => device.watchReadable(() => {}), { code: 'EBADF' });
});
