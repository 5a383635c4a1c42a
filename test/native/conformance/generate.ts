// Seeded random operation scripts: registrations over the arena (with
// duplicate and unknown cookies on purpose), reads with various buffer
// sizes, QUERY, and every lab op except PAGEOUT (whose events need swap;
// see scripts.ts).

import { FEATURE_FILTER, FEATURE_QUERY, REASON_VALID_MASK, type LabOp, type MadviseAdvice, type Protection } from '../../../src/shared/domain';
import type { Script, Step } from './script';

/** mulberry32: small, seedable, good enough to pick operations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADVICES: MadviseAdvice[] = ['DONTNEED', 'FREE', 'COLD', 'DONTFORK', 'DOFORK', 'WILLNEED'];
const PROTECTIONS: Protection[] = ['rw', 'r', 'none'];

export function randomScript(seed: number, features: number, length = 1000, arenaPages = 32): Script {
  const random = prng(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const range = (): { page: number; pages: number } => {
    const page = int(arenaPages);
    return { page, pages: 1 + int(Math.min(arenaPages - page, 8)) };
  };
  const lab = (): LabOp => {
    const r = range();
    switch (int(10)) {
      case 0:
      case 1:
        return { op: 'touch', ...r };
      case 2:
        return { op: 'read', ...r };
      case 3:
        return { op: 'munmap', ...r };
      case 4:
        return { op: 'mmap', ...r };
      case 5:
      case 6:
        return { op: 'madvise', ...r, advice: pick(ADVICES) };
      case 7:
        return { op: 'mprotect', ...r, prot: pick(PROTECTIONS) };
      case 8: {
        const newPages = 1 + int(8);
        return random() < 0.5 ? { op: 'mremap', ...r, newPages } : { op: 'mremap', ...r, newPages, newPage: int(arenaPages) };
      }
      default:
        return random() < 0.3 ? { op: 'fork', ...r } : { op: 'touch', ...r };
    }
  };
  const steps: Step[] = [];
  while (steps.length < length) {
    const roll = random();
    if (roll < 0.2) {
      const r = range();
      const filter = features & FEATURE_FILTER && random() < 0.4 ? int(0x100) & REASON_VALID_MASK : 0;
      steps.push({ op: 'register', ...r, cookie: 1 + int(24), filter });
    } else if (roll < 0.27) {
      steps.push({ op: 'unregister', cookie: 1 + int(26) });
    } else if (roll < 0.45) {
      steps.push({ op: 'read', maxEvents: pick([1, 2, 3, 8, 128]) });
    } else if (roll < 0.5 && features & FEATURE_QUERY) {
      steps.push({ op: 'query' });
    } else {
      steps.push({ op: 'lab', lab: lab() });
    }
  }
  return { name: `random seed=${seed} features=0x${features.toString(16)}`, features, arenaPages, steps };
}
