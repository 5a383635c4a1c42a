// The model's FEATURE_GENERATIONS, as kernel/README.md "Generations" states
// it: slots lowest free first, a word that grows by one per hit and once
// more at UNREGISTER and is never reset, so a reused slot never matches a
// stale copy. test/native/conformance holds it to the module.
import { describe, expect, it } from 'vitest';
import { FEATURE_FILTER, FEATURE_GENERATIONS, FEATURE_QUERY, FEATURES_ALL, Reason } from '../../../src/shared/domain';
import { UmmuFile } from '../../../src/main/core/backends/model/file-state';
import { GenerationSlots } from '../../../src/main/core/backends/model/generation-slots';
import { createModelBackend } from '../../../src/main/core/backends/model/index';
import { runSessionOp } from '../../../src/main/core/recording/session-op';
import { errno } from './helpers';

const PAGE = 0x1000n;
const BASE = 0x10000n;
const page = (n: number): bigint => BASE + BigInt(n) * PAGE;

function negotiated(features = FEATURE_GENERATIONS | FEATURE_QUERY): UmmuFile {
  const file = new UmmuFile();
  file.negotiateFeatures(features);
  return file;
}


describe('REGISTER_SLOT', () => {
  it('needs GENERATIONS negotiated, and checks its fields as a negotiated REGISTER does', () => {
    const file = new UmmuFile();
    expect(errno(() => file.registerSlot(page(0), page(1), 1n))).toBe('EINVAL');
    const plain = negotiated(FEATURE_QUERY);
    expect(() => plain.registerSlot(page(0), page(1), 1n)).toThrow(/FEATURE_GENERATIONS/);
    const g = negotiated();
    expect(errno(() => g.registerSlot(page(1), page(0), 1n))).toBe('EINVAL');
    expect(errno(() => g.registerSlot(page(0), page(1), 1n, 0, 1))).toBe('EINVAL');
    expect(errno(() => g.registerSlot(page(0), page(1), 1n, 0, 0, 1))).toBe('EINVAL');
    expect(errno(() => g.registerSlot(page(0), page(1), 1n, 1 << Reason.UNMAP))).toBe('EINVAL');
    g.register(page(0), page(1), 1n);
    expect(errno(() => g.registerSlot(page(0), page(1), 1n))).toBe('EINVAL');
    // Refused calls took no slot.
    expect(g.registerSlot(page(0), page(1), 2n)).toEqual({ slot: 0, generation: 0n });
  });

  it('is granted by the model, which now implements every feature the module does', () => {
    expect(FEATURES_ALL & FEATURE_GENERATIONS).toBe(FEATURE_GENERATIONS);
    expect(new UmmuFile().negotiateFeatures(FEATURES_ALL).granted).toBe(FEATURES_ALL);
  });
});

describe('generation words', () => {
  it('grow by one per hit of their own registration, queued or not, and once more at UNREGISTER', () => {
    const file = negotiated();
    const a = file.registerSlot(page(0), page(2), 1n);
    const b = file.registerSlot(page(2), page(4), 2n);
    file.invalidate(page(0), page(1), Reason.CLEAR);
    expect(file.generationOf(a.slot)).toBe(1n);
    expect(file.generationOf(b.slot)).toBe(0n);
    expect(file.counter).toBe(1n);
    file.invalidate(page(1), page(2), Reason.CLEAR);
    expect(file.generationOf(a.slot)).toBe(2n);
    file.invalidate(page(0), page(4), Reason.UNMAP);
    expect([file.generationOf(a.slot), file.generationOf(b.slot)]).toEqual([3n, 1n]);
    expect(file.counter).toBe(3n);
    file.read(128);
    expect(file.generationOf(a.slot)).toBe(3n);
    file.unregister(2n);
    expect(file.generationOf(b.slot)).toBe(2n);
  });

  it('do not count a reason the registration filters', () => {
    const file = negotiated(FEATURE_GENERATIONS | FEATURE_FILTER);
    const { slot } = file.registerSlot(page(0), page(1), 1n, 1 << Reason.PROTECTION_VMA);
    file.invalidate(page(0), page(1), Reason.PROTECTION_VMA);
    expect(file.generationOf(slot)).toBe(0n);
    file.invalidate(page(0), page(1), Reason.UNMAP);
    expect(file.generationOf(slot)).toBe(1n);
  });

  it('are never reset: a freed slot is handed out again lowest first, above any copy of its last registration', () => {
    const file = negotiated();
    const first = file.registerSlot(page(0), page(1), 1n);
    file.registerSlot(page(1), page(2), 2n);
    file.registerSlot(page(2), page(3), 3n);
    file.invalidate(page(0), page(1), Reason.CLEAR);
    file.unregister(3n);
    file.unregister(1n);
    const reused = file.registerSlot(page(5), page(6), 4n);
    expect(reused.slot).toBe(first.slot);
    expect(reused.generation).toBe(2n);
    expect(reused.generation).not.toBe(first.generation);
    expect(file.registerSlot(page(5), page(6), 5n).slot).toBe(2);
    expect(file.registerSlot(page(5), page(6), 6n).slot).toBe(3);
  });

  it('show in QUERY beside the registrations that have a slot, and are readable for every slot ever handed out', () => {
    const file = negotiated();
    file.register(page(0), page(1), 1n);
    file.registerSlot(page(0), page(1), 2n);
    file.invalidate(page(0), page(1), Reason.CLEAR);
    const regs = file.query().registrations;
    expect(regs.map((r) => [r.cookie, r.slot])).toEqual([
      [1n, undefined],
      [2n, { slot: 0, generation: 1n }],
    ]);
    file.unregister(2n);
    expect(file.generationOf(0)).toBe(2n);
    expect(() => file.generationOf(1)).toThrow(RangeError);
  });
});

describe('GenerationSlots', () => {
  it('hands out the lowest free slot whatever order slots are freed in', () => {
    const slots = new GenerationSlots();
    for (let i = 0; i < 10; i++) expect(slots.allocate()).toBe(i);
    for (const s of [7, 2, 9, 4, 0]) slots.release(s);
    expect([slots.allocate(), slots.allocate(), slots.allocate(), slots.allocate(), slots.allocate(), slots.allocate()]).toEqual([0, 2, 4, 7, 9, 10]);
    expect(slots.inUse).toBe(11);
  });
});

describe('the model backend through a session op', () => {
  it('register withSlot returns the slot; the snapshot carries its word after a lab hit', async () => {
    const backend = createModelBackend({ pages: 4 });
    const { base } = backend.arena();
    await backend.negotiateFeatures(FEATURE_GENERATIONS | FEATURE_QUERY);
    const slot = await runSessionOp(backend, { op: 'register', start: base, end: base + PAGE, cookie: 7n, flags: 0, withSlot: true });
    expect(slot).toEqual({ slot: 0, generation: 0n });
    expect(await runSessionOp(backend, { op: 'register', start: base, end: base + PAGE, cookie: 8n, flags: 0 })).toBeNull();
    await backend.lab({ op: 'madvise', page: 0, pages: 1, advice: 'DONTNEED' });
    expect(backend.generation(0)).toBe(1n);
    const snapshot = await backend.query();
    expect(snapshot.registrations.find((r) => r.cookie === 7n)?.slot).toEqual({ slot: 0, generation: 1n });
    await backend.close();
  });
});
