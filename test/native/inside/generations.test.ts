// Inside the VM, against the real module: REGISTER_SLOT and the generation
// words through the addon (kernel/README.md, "Generations"): what a
// registration cache relies on to check one registration with one load.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createArena, openDevice, type NativeArena, type NativeDevice } from '../../../native/lib/index';
import { FEATURE_FILTER, FEATURE_GENERATIONS, FEATURE_QUERY, Reason } from '../../../src/shared/domain';
import { PAGE } from '../helpers';

const SLOTS_PER_PAGE = Number(PAGE) / 8;

function withGenerations(pages: number, body: (device: NativeDevice, arena: NativeArena) => void, extra = 0): void {
  const device = openDevice();
  const arena = createArena(pages);
  try {
    const features = FEATURE_GENERATIONS | FEATURE_QUERY | extra;
    assert.equal(device.negotiateFeatures(features).granted, features);
    body(device, arena);
  } finally {
    device.close();
    arena.close();
  }
}

test('REGISTER_SLOT needs GENERATIONS negotiated and says so; REGISTER_REGION still works beside it', () => {
  const device = openDevice();
  const arena = createArena(2);
  try {
    device.negotiateFeatures(FEATURE_QUERY);
    assert.throws(() => device.registerSlot(arena.base, arena.base + PAGE, 1n), { code: 'EINVAL', message: /FEATURE_GENERATIONS/ });
    assert.throws(() => device.generation(0), RangeError);
  } finally {
    device.close();
    arena.close();
  }
  withGenerations(2, (device, arena) => {
    device.register(arena.base, arena.base + PAGE, 1n);
    assert.deepEqual(device.registerSlot(arena.base, arena.base + PAGE, 2n), { slot: 0, generation: 0n });
    assert.throws(() => device.registerSlot(arena.base, arena.base + PAGE, 2n), { code: 'EINVAL', message: /already registered/ });
    assert.throws(() => device.registerSlot(arena.base + PAGE, arena.base, 3n), { code: 'EINVAL', message: /start must be below end/ });
    assert.throws(() => device.registerSlot(arena.base, arena.base + PAGE, 3n, 0, 1), { code: 'EINVAL', message: /reserved/ });
    // A refused REGISTER_SLOT leaves its slot free.
    assert.equal(device.registerSlot(arena.base, arena.base + PAGE, 3n).slot, 1);
  });
});

test("a slot's word grows by one per hit on its registration only, and once more at UNREGISTER", () => {
  withGenerations(4, (device, arena) => {
    const { base } = arena;
    const a = device.registerSlot(base, base + 2n * PAGE, 1n);
    const b = device.registerSlot(base + 2n * PAGE, base + 4n * PAGE, 2n);
    assert.deepEqual([a.slot, b.slot], [0, 1]);
    arena.run({ op: 'madvise', page: 0, pages: 1, advice: 'DONTNEED' });
    assert.equal(device.generation(a.slot), a.generation + 1n, 'a hit is counted before the call returns');
    assert.equal(device.generation(b.slot), b.generation, 'a hit elsewhere leaves the word alone (unlike the counter)');
    // Already queued: the word still counts the second hit.
    arena.run({ op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' });
    assert.equal(device.generation(a.slot), a.generation + 2n);
    device.read(8);
    device.unregister(2n);
    assert.equal(device.generation(b.slot), b.generation + 1n, 'UNREGISTER adds one');
  });
});

test('a filtered reason does not count; a freed slot is reused lowest first, from a greater generation (no ABA)', () => {
  withGenerations(
    4,
    (device, arena) => {
      const { base } = arena;
      const filtered = device.registerSlot(base, base + PAGE, 1n, 1 << Reason.PROTECTION_VMA);
      arena.run({ op: 'mprotect', page: 0, pages: 1, prot: 'r' });
      assert.equal(device.generation(filtered.slot), filtered.generation);
      arena.run({ op: 'munmap', page: 0, pages: 1 });
      assert.equal(device.generation(filtered.slot), filtered.generation + 1n);
      const second = device.registerSlot(base + PAGE, base + 2n * PAGE, 2n);
      device.unregister(1n);
      const stale = device.generation(filtered.slot);
      const reused = device.registerSlot(base + 2n * PAGE, base + 3n * PAGE, 3n);
      assert.equal(reused.slot, filtered.slot, 'the lowest free slot is handed out');
      assert.equal(reused.generation, stale, 'the word is not reset');
      assert.ok(reused.generation > filtered.generation + 1n, 'a cached copy of the freed slot never matches again');
      assert.equal(device.generation(second.slot), second.generation);
    },
    FEATURE_FILTER,
  );
});

test('the words mapping grows as slots do; every slot returned stays readable, a slot never returned is a RangeError', () => {
  withGenerations(2, (device, arena) => {
    const { base } = arena;
    const count = SLOTS_PER_PAGE * 2 + 3;
    device.registerSlot(base, base + PAGE, 1000n);
    assert.equal(device.generation(0), 0n);
    const first = device.generationSlotsMapped;
    assert.ok(first >= 1 && first < count, `first mapping covers ${first} slots`);
    for (let i = 1; i < count; i++) device.registerSlot(base, base + PAGE, 1000n + BigInt(i));
    assert.throws(() => device.generation(count), { name: 'RangeError', message: /never returned/ });
    arena.run({ op: 'madvise', page: 0, pages: 1, advice: 'DONTNEED' });
    for (let slot = 0; slot < count; slot++) assert.equal(device.generation(slot), 1n, `slot ${slot}`);
    assert.ok(device.generationSlotsMapped >= count, `grown to ${device.generationSlotsMapped}`);
    // Freed slots stay readable: their pages are kept until the file is released.
    device.unregister(1000n + BigInt(count - 1));
    assert.equal(device.generation(count - 1), 2n);
  });
});
