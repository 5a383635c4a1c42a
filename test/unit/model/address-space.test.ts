// Random lab scripts checking the invariants every op must keep: VMAs
// sorted, disjoint, never two compatible neighbours without an anon_vma
// (a fault gives a VMA an anon_vma without merging, so neighbours that both
// have one may stay apart, as in the kernel), page states agreeing with the
// VMAs, written pages always under an anon_vma, notifier calls inside the
// arena, and an op that fails changing nothing.

import { describe, expect, it } from 'vitest';
import { createModelBackend, type ModelBackend } from '../../../src/main/core/backends/model';
import type { BackendNotice } from '../../../src/main/core/backend';
import { UmmuError, type LabOp, type MadviseAdvice, type Protection } from '../../../src/shared/domain';
import { randomInt, seededRandom } from './helpers';

const PAGES = 24;
const ADVICE: MadviseAdvice[] = ['DONTNEED', 'FREE', 'PAGEOUT', 'COLD', 'DONTFORK', 'DOFORK', 'WILLNEED'];
const PROT: Protection[] = ['rw', 'r', 'none'];

function randomOp(random: () => number): LabOp {
  const page = randomInt(random, PAGES);
  const pages = 1 + randomInt(random, PAGES - page);
  switch (randomInt(random, 8)) {
    case 0:
      return { op: 'touch', page, pages };
    case 1:
      return { op: 'read', page, pages };
    case 2:
      return { op: 'munmap', page, pages };
    case 3:
      return { op: 'mmap', page, pages };
    case 4:
      return { op: 'madvise', page, pages, advice: ADVICE[randomInt(random, ADVICE.length)] as MadviseAdvice };
    case 5:
      return { op: 'mprotect', page, pages, prot: PROT[randomInt(random, PROT.length)] as Protection };
    case 6: {
      const newPages = 1 + randomInt(random, 6);
      return random() < 0.5
        ? { op: 'mremap', page, pages, newPages }
        : { op: 'mremap', page, pages, newPages, newPage: randomInt(random, PAGES - newPages + 1) };
    }
    default:
      return { op: 'fork', page, pages };
  }
}

function checkInvariants(model: ModelBackend): void {
  const vmas = model.vmas();
  const states = model.pageStates();
  for (const [i, vma] of vmas.entries()) {
    expect(vma.start).toBeLessThan(vma.end);
    expect(vma.start).toBeGreaterThanOrEqual(0);
    expect(vma.end).toBeLessThanOrEqual(PAGES);
    const next = vmas[i + 1];
    if (next === undefined) continue;
    expect(vma.end).toBeLessThanOrEqual(next.start);
    const compatibleWithoutAnonVma =
      vma.end === next.start &&
      vma.prot === next.prot &&
      vma.dontFork === next.dontFork &&
      vma.account === next.account &&
      vma.pgoff + (vma.end - vma.start) === next.pgoff &&
      vma.anonVma === null &&
      next.anonVma === null;
    expect(compatibleWithoutAnonVma).toBe(false);
  }
  for (let p = 0; p < PAGES; p++) {
    const vma = vmas.find((v) => v.start <= p && p < v.end);
    expect(states[p] === 'unmapped').toBe(vma === undefined);
    if (states[p] === 'present') expect(vma?.anonVma).not.toBeNull();
  }
}

describe('random lab scripts', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`keep the address-space invariants over 1500 ops (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const model = createModelBackend({ pages: PAGES });
      const notices: BackendNotice[] = [];
      model.onNotice((notice) => notices.push(notice));
      const arenaEnd = model.arena().base + BigInt(PAGES) * 4096n;
      for (let step = 0; step < 1500; step++) {
        const op = randomOp(random);
        const before = { vmas: model.vmas(), states: model.pageStates() };
        const mappedBefore = before.states.slice(op.page, op.page + op.pages).some((s) => s !== 'unmapped');
        notices.length = 0;
        try {
          await model.lab(op);
        } catch (error) {
          if (!(error instanceof UmmuError)) throw error;
          expect(notices).toEqual([]);
          expect({ vmas: model.vmas(), states: model.pageStates() }).toEqual(before);
          continue;
        }
        const calls = notices.flatMap((n) => (n.kind === 'invalidation' ? [n] : []));
        for (const call of calls) {
          expect(call.start).toBeLessThan(call.end);
          expect(call.start).toBeGreaterThanOrEqual(model.arena().base);
          expect(call.end).toBeLessThanOrEqual(arenaEnd);
        }
        if (op.op === 'munmap' || op.op === 'mmap') expect(calls.length).toBe(mappedBefore ? 1 : 0);
        if (op.op === 'fork') {
          const eligible = before.vmas.filter((v) => v.anonVma !== null && !v.dontFork);
          expect(calls.map((c) => c.end - c.start)).toEqual(eligible.map((v) => BigInt(v.end - v.start) * 4096n));
        }
        expect(notices.at(-1)?.kind).toBe('lab');
        checkInvariants(model);
      }
    });
  }
});
