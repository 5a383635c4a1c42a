// Hand-written conformance scripts: each aims at one rule of DESIGN section
// 3/4 or one row of SEED-REVIEW section 3.

import { FEATURE_FILTER, FEATURE_HINT_UNION, FEATURE_QUERY, FEATURE_REASON, FEATURES_ALL, Reason } from '../../../src/shared/domain';
import type { Script, Step } from './script';

const reg = (page: number, pages: number, cookie: number, filter = 0): Step => ({ op: 'register', page, pages, cookie, filter });
const read = (maxEvents = 128): Step => ({ op: 'read', maxEvents });
const query: Step = { op: 'query' };

export const HAND_WRITTEN: Script[] = [
  {
    name: 'one event per op kind, with reasons and snapshots',
    features: FEATURE_REASON | FEATURE_QUERY,
    arenaPages: 16,
    steps: [
      reg(0, 16, 1),
      reg(4, 4, 2),
      { op: 'lab', lab: { op: 'munmap', page: 5, pages: 1 } },
      query,
      read(),
      { op: 'lab', lab: { op: 'mmap', page: 5, pages: 1 } },
      read(),
      { op: 'lab', lab: { op: 'madvise', page: 0, pages: 2, advice: 'DONTNEED' } },
      { op: 'lab', lab: { op: 'madvise', page: 8, pages: 2, advice: 'FREE' } },
      query,
      read(),
      { op: 'lab', lab: { op: 'mprotect', page: 2, pages: 4, prot: 'r' } },
      read(),
      { op: 'lab', lab: { op: 'mprotect', page: 2, pages: 4, prot: 'rw' } },
      read(),
      { op: 'lab', lab: { op: 'fork', page: 0, pages: 16 } },
      read(),
      { op: 'lab', lab: { op: 'read', page: 0, pages: 1 } },
      { op: 'lab', lab: { op: 'touch', page: 0, pages: 1 } },
      read(),
    ],
  },
  {
    name: 'two hits before a read: HINT cleared, or the union with HINT_UNION',
    features: FEATURE_QUERY,
    arenaPages: 16,
    steps: [
      reg(0, 16, 1),
      { op: 'lab', lab: { op: 'madvise', page: 2, pages: 1, advice: 'DONTNEED' } },
      { op: 'lab', lab: { op: 'madvise', page: 9, pages: 2, advice: 'DONTNEED' } },
      query,
      read(),
    ],
  },
  {
    name: 'hint union',
    features: FEATURE_HINT_UNION | FEATURE_QUERY | FEATURE_REASON,
    arenaPages: 16,
    steps: [
      reg(0, 16, 1),
      reg(8, 8, 2),
      { op: 'lab', lab: { op: 'madvise', page: 2, pages: 1, advice: 'DONTNEED' } },
      { op: 'lab', lab: { op: 'munmap', page: 9, pages: 2 } },
      query,
      read(),
    ],
  },
  {
    name: 'filters: an ignored reason neither queues nor counts',
    features: FEATURE_FILTER | FEATURE_REASON | FEATURE_QUERY,
    arenaPages: 8,
    steps: [
      reg(0, 8, 1, 1 << Reason.CLEAR),
      reg(0, 8, 2, 1 << Reason.PROTECTION_PAGE),
      { op: 'lab', lab: { op: 'madvise', page: 0, pages: 8, advice: 'DONTNEED' } },
      query,
      read(),
      { op: 'lab', lab: { op: 'touch', page: 0, pages: 8 } },
      { op: 'lab', lab: { op: 'fork', page: 0, pages: 8 } },
      query,
      read(),
    ],
  },
  {
    name: 'unregister drops a queued report; reads with small buffers',
    features: 0,
    arenaPages: 8,
    steps: [
      reg(0, 2, 1),
      reg(2, 2, 2),
      reg(4, 2, 3),
      { op: 'lab', lab: { op: 'madvise', page: 0, pages: 8, advice: 'DONTNEED' } },
      { op: 'unregister', cookie: 2 },
      read(1),
      read(1),
      read(1),
      read(1),
      { op: 'unregister', cookie: 2 },
      reg(0, 2, 1),
    ],
  },
  {
    name: 'mremap: grow in place, shrink, move to a hole, move to a given page',
    features: FEATURE_REASON | FEATURE_QUERY,
    arenaPages: 24,
    steps: [
      reg(0, 24, 1),
      { op: 'lab', lab: { op: 'munmap', page: 4, pages: 4 } },
      read(),
      { op: 'lab', lab: { op: 'mremap', page: 2, pages: 2, newPages: 4 } },
      read(),
      { op: 'lab', lab: { op: 'mremap', page: 0, pages: 6, newPages: 3 } },
      read(),
      { op: 'lab', lab: { op: 'mremap', page: 8, pages: 2, newPages: 5 } },
      query,
      read(),
      { op: 'lab', lab: { op: 'mremap', page: 12, pages: 4, newPages: 2, newPage: 20 } },
      query,
      read(),
      { op: 'lab', lab: { op: 'touch', page: 20, pages: 2 } },
      { op: 'lab', lab: { op: 'fork', page: 0, pages: 1 } },
      read(),
    ],
  },
  {
    name: 'every feature: PROT_NONE, a touch refused with EFAULT, reads of two events',
    features: FEATURES_ALL,
    arenaPages: 8,
    steps: [reg(0, 8, 1), { op: 'lab', lab: { op: 'mprotect', page: 0, pages: 8, prot: 'none' } }, { op: 'lab', lab: { op: 'touch', page: 0, pages: 1 } }, query, read(2), read(2)],
  },
  {
    name: 'one invalidation over registrations with the same start reports them in registration order',
    features: FEATURE_QUERY,
    arenaPages: 32,
    steps: [reg(30, 1, 16), reg(30, 1, 11), reg(28, 3, 12), { op: 'unregister', cookie: 16 }, reg(30, 1, 16), { op: 'lab', lab: { op: 'mmap', page: 27, pages: 5 } }, query, read()],
  },
  {
    name: 'a VMA with an anon_vma does not merge into a never-written neighbour: DONTNEED per VMA',
    features: FEATURE_REASON,
    arenaPages: 16,
    steps: [
      reg(4, 2, 7),
      { op: 'lab', lab: { op: 'munmap', page: 1, pages: 2 } },
      { op: 'lab', lab: { op: 'madvise', page: 3, pages: 5, advice: 'DONTFORK' } },
      { op: 'lab', lab: { op: 'mmap', page: 2, pages: 3 } },
      { op: 'lab', lab: { op: 'madvise', page: 5, pages: 2, advice: 'DOFORK' } },
      read(),
      { op: 'lab', lab: { op: 'madvise', page: 4, pages: 2, advice: 'DONTNEED' } },
      read(),
    ],
  },
  {
    name: 'mprotect read-only of a never-written VMA: VM_ACCOUNT decides the merge (6.12 drops it, 6.1 keeps it)',
    features: FEATURE_REASON,
    arenaPages: 16,
    steps: [
      { op: 'lab', lab: { op: 'madvise', page: 0, pages: 1, advice: 'DONTFORK' } },
      { op: 'lab', lab: { op: 'munmap', page: 8, pages: 1 } },
      reg(0, 6, 10),
      { op: 'lab', lab: { op: 'mmap', page: 1, pages: 7 } },
      { op: 'lab', lab: { op: 'mprotect', page: 0, pages: 6, prot: 'r' } },
      { op: 'lab', lab: { op: 'madvise', page: 0, pages: 6, advice: 'DONTFORK' } },
      read(),
      { op: 'lab', lab: { op: 'mprotect', page: 0, pages: 4, prot: 'none' } },
      read(),
    ],
  },
  {
    name: 'a moved never-written mapping takes the offset of its new address and merges there',
    features: FEATURE_REASON,
    arenaPages: 16,
    steps: [
      { op: 'lab', lab: { op: 'munmap', page: 4, pages: 12 } },
      { op: 'lab', lab: { op: 'mmap', page: 10, pages: 2 } },
      { op: 'lab', lab: { op: 'mremap', page: 10, pages: 2, newPages: 2, newPage: 4 } },
      { op: 'lab', lab: { op: 'mmap', page: 6, pages: 2 } },
      { op: 'lab', lab: { op: 'touch', page: 0, pages: 8 } },
      reg(0, 8, 1),
      { op: 'lab', lab: { op: 'madvise', page: 0, pages: 8, advice: 'DONTNEED' } },
      read(),
    ],
  },
];

/** Only meaningful with swap configured: reclaim of anonymous pages needs somewhere to put them. */
export const NEEDS_SWAP: Script[] = [
  {
    name: 'madvise PAGEOUT: one CLEAR per resident page',
    features: FEATURE_REASON | FEATURE_QUERY,
    arenaPages: 8,
    steps: [reg(0, 8, 1), reg(2, 1, 2), { op: 'lab', lab: { op: 'madvise', page: 0, pages: 4, advice: 'PAGEOUT' } }, query, read()],
  },
];
