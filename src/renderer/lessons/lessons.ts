// The guided scenarios. Each starts from freshly mapped, written pages with
// nothing queued, uses its own cookies, and unregisters them at the end, so
// lessons run in any order on any backend.

import { FEATURE_FILTER, FEATURE_GENERATIONS, FEATURE_HINT_UNION, FEATURE_REASON, Reason } from '../../shared/domain';
import type { Lesson, LessonStep } from './lesson';

/** Fresh pages [0, pages), written, and an empty queue. */
function freshPages(pages: number): LessonStep[] {
  return [
    {
      action: { do: 'lab', lab: { op: 'mmap', page: 0, pages } },
      explain: `Map pages 0-${pages - 1} afresh (mmap MAP_FIXED), so the lesson starts from a known arena.`,
      see: 'The pages turn mapped in the address map.',
    },
    {
      action: { do: 'lab', lab: { op: 'touch', page: 0, pages } },
      explain: 'Write every page once: the lab populates pages before registering, as an RDMA library would pin them.',
      see: 'The pages turn present. Writing a never-touched page causes no invalidation.',
    },
    {
      action: { do: 'read', maxEvents: 128 },
      explain: 'Drain anything left over from earlier experiments.',
      see: 'The invalid queue is empty.',
      expect: { queue: [] },
    },
  ];
}

const unregister = (...cookies: bigint[]): LessonStep[] =>
  cookies.map((cookie) => ({
    action: { do: 'unregister', cookie },
    explain: `Clean up: unregister cookie 0x${cookie.toString(16)}.`,
    see: 'Its bar leaves the address map.',
  }));

export const LESSONS: readonly Lesson[] = [
  {
    id: 'partial-munmap-hint',
    title: 'A partial munmap gives an exact HINT',
    summary: 'Unmapping one page inside a registration queues one report whose hint is exactly that page.',
    needs: 0,
    pages: 8,
    steps: [
      ...freshPages(8),
      {
        action: { do: 'register', page: 0, pages: 8, cookie: 0x101n },
        explain: 'Register pages 0-7 under cookie 0x101.',
        see: 'A clean (green) bar over pages 0-7.',
        expect: { queue: [], pending: false },
      },
      {
        action: { do: 'lab', lab: { op: 'munmap', page: 3, pages: 1 } },
        explain: 'munmap page 3 only. The kernel calls the notifier for [page 3, page 4) with reason UNMAP.',
        see: 'The bar turns queued with HINT; the hint sub-range covers page 3 only. The counter went up by one.',
        expect: { queue: [{ cookie: 0x101n, report: 'HINT', pages: [3, 4] }], pending: true },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() with room for 8 events.',
        see: 'One INVAL event for 0x101 with HINT and hint_start/hint_end = page 3, then LAST carrying the counter.',
        expect: { queue: [], pending: false, returns: 'INVAL 0x101 HINT pages 3-4, LAST counter' },
      },
      ...unregister(0x101n),
    ],
  },
  {
    id: 'second-hit-clears-hint',
    title: 'A second hit before read() clears HINT',
    summary: 'Two invalidations of one registration before it is read: the report carries the whole registered range.',
    needs: 0,
    conflicts: FEATURE_HINT_UNION,
    pages: 8,
    steps: [
      ...freshPages(8),
      {
        action: { do: 'register', page: 0, pages: 8, cookie: 0x201n },
        explain: 'Register pages 0-7 under cookie 0x201.',
        see: 'A clean bar.',
        expect: { queue: [] },
      },
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' } },
        explain: 'madvise(DONTNEED) page 1: its page is zapped (reason CLEAR).',
        see: 'Queued with HINT over page 1.',
        expect: { queue: [{ cookie: 0x201n, report: 'HINT', pages: [1, 2] }] },
      },
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 5, pages: 1, advice: 'DONTNEED' } },
        explain: 'madvise(DONTNEED) page 5 before anyone read the first report. One report per registration: the 2010 driver cannot describe two ranges, so it drops HINT.',
        see: 'Still one report, now over the whole range (no HINT). The counter went up again. (With FEATURE_HINT_UNION the report would be the union, pages 1-5.)',
        expect: { queue: [{ cookie: 0x201n, report: 'whole range', pages: [0, 8] }] },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() the report.',
        see: 'INVAL 0x201 without HINT, hint fields = the whole registration, then LAST.',
        expect: { queue: [], pending: false, returns: 'INVAL 0x201 whole range, LAST counter' },
      },
      ...unregister(0x201n),
    ],
  },
  {
    id: 'overlapping-registrations',
    title: 'Overlapping registrations each get a report',
    summary: 'One invalidation over three overlapping registrations queues three reports, in the order they were first hit.',
    needs: 0,
    conflicts: FEATURE_HINT_UNION,
    pages: 8,
    steps: [
      ...freshPages(8),
      {
        action: { do: 'register', page: 0, pages: 6, cookie: 0x301n },
        explain: 'Register pages 0-5 (0x301)...',
        see: 'One bar.',
      },
      {
        action: { do: 'register', page: 3, pages: 5, cookie: 0x302n },
        explain: '...pages 3-7 (0x302)...',
        see: 'A second bar, stacked in a second lane where it overlaps.',
      },
      {
        action: { do: 'register', page: 4, pages: 1, cookie: 0x303n },
        explain: '...and page 4 alone (0x303). Overlapping and identical ranges are fine under different cookies.',
        see: 'Three lanes over page 4.',
        expect: { queue: [] },
      },
      {
        action: { do: 'lab', lab: { op: 'munmap', page: 4, pages: 1 } },
        explain: 'munmap page 4: one notifier call overlapping all three registrations.',
        see: 'Three reports, each with HINT over page 4; the counter went up by one only.',
        expect: {
          queue: [
            { cookie: 0x301n, report: 'HINT', pages: [4, 5] },
            { cookie: 0x302n, report: 'HINT', pages: [4, 5] },
            { cookie: 0x303n, report: 'HINT', pages: [4, 5] },
          ],
        },
      },
      {
        action: { do: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } },
        explain: 'munmap page 1: only 0x301 covers it, and it is already queued.',
        see: '0x301 keeps its place in the queue but loses HINT (second hit); the others are unchanged.',
        expect: {
          queue: [
            { cookie: 0x301n, report: 'whole range', pages: [0, 6] },
            { cookie: 0x302n, report: 'HINT', pages: [4, 5] },
            { cookie: 0x303n, report: 'HINT', pages: [4, 5] },
          ],
        },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() everything.',
        see: 'Three INVAL events in queue order, then LAST.',
        expect: { queue: [], pending: false },
      },
      ...unregister(0x301n, 0x302n, 0x303n),
    ],
  },
  {
    id: 'unregister-drops-report',
    title: 'Unregister drops a queued report',
    summary: 'After UNREGISTER no event for that cookie is ever delivered, even one already queued.',
    needs: 0,
    pages: 8,
    steps: [
      ...freshPages(8),
      { action: { do: 'register', page: 0, pages: 4, cookie: 0x401n }, explain: 'Register pages 0-3 (0x401).', see: 'One bar.' },
      { action: { do: 'register', page: 4, pages: 4, cookie: 0x402n }, explain: 'Register pages 4-7 (0x402).', see: 'Two bars side by side, one lane.' },
      {
        action: { do: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } },
        explain: 'munmap page 1.',
        see: '0x401 queued.',
        expect: { queue: [{ cookie: 0x401n, report: 'HINT', pages: [1, 2] }] },
      },
      {
        action: { do: 'lab', lab: { op: 'munmap', page: 5, pages: 1 } },
        explain: 'munmap page 5.',
        see: '0x402 queued behind it.',
        expect: {
          queue: [
            { cookie: 0x401n, report: 'HINT', pages: [1, 2] },
            { cookie: 0x402n, report: 'HINT', pages: [5, 6] },
          ],
        },
      },
      {
        action: { do: 'unregister', cookie: 0x401n },
        explain: 'Unregister 0x401 while its report is queued: the library no longer caches that range, so the report would be stale.',
        see: 'Its report leaves the queue. The counter does not go back: the fast path stays conservative.',
        expect: { queue: [{ cookie: 0x402n, report: 'HINT', pages: [5, 6] }], pending: true },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read().',
        see: 'Only INVAL 0x402, then LAST.',
        expect: { queue: [], pending: false, returns: 'INVAL 0x402 HINT pages 5-6, LAST counter' },
      },
      ...unregister(0x402n),
    ],
  },
  {
    id: 'last-and-counter',
    title: 'LAST and the counter fast path',
    summary: 'The mmapped counter says with one load whether anything happened since the last LAST event.',
    needs: 0,
    pages: 8,
    steps: [
      ...freshPages(8),
      {
        action: { do: 'register', page: 0, pages: 8, cookie: 0x501n },
        explain: 'Register pages 0-7 (0x501).',
        see: 'The counter equals the counter of the last LAST: "nothing queued: no read() needed".',
        expect: { queue: [], pending: false },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() anyway.',
        see: 'Nothing: the file is not readable (EAGAIN; a blocking read would wait). This is the system call the fast path saves.',
        expect: { queue: [], pending: false, returns: 'nothing (EAGAIN)' },
      },
      {
        action: { do: 'lab', lab: { op: 'munmap', page: 2, pages: 1 } },
        explain: 'munmap page 2.',
        see: 'The counter moved past the last LAST counter: "events pending".',
        expect: { queue: [{ cookie: 0x501n, report: 'HINT', pages: [2, 3] }], pending: true },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() with room for the report and LAST.',
        see: 'INVAL 0x501, then LAST whose value is the counter now; remembering it makes the fast path say "no read() needed" again.',
        expect: { queue: [], pending: false },
      },
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 6, pages: 1, advice: 'DONTNEED' } },
        explain: 'madvise(DONTNEED) page 6.',
        see: '"events pending" again, without any system call.',
        expect: { queue: [{ cookie: 0x501n, report: 'HINT', pages: [6, 7] }], pending: true },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'Drain it.',
        see: 'INVAL and LAST.',
        expect: { queue: [], pending: false },
      },
      ...unregister(0x501n),
    ],
  },
  {
    id: 'small-read-buffer',
    title: 'A small read buffer and partial reads',
    summary: 'read() returns whole events, as many as fit; LAST comes only when the queue is drained and there is room for it.',
    needs: 0,
    pages: 4,
    steps: [
      ...freshPages(4),
      { action: { do: 'register', page: 0, pages: 1, cookie: 0x601n }, explain: 'Register page 0 (0x601)...', see: 'One-page bars...' },
      { action: { do: 'register', page: 1, pages: 1, cookie: 0x602n }, explain: '...page 1 (0x602)...', see: '...' },
      { action: { do: 'register', page: 2, pages: 1, cookie: 0x603n }, explain: '...page 2 (0x603)...', see: '...' },
      { action: { do: 'register', page: 3, pages: 1, cookie: 0x604n }, explain: '...and page 3 (0x604).', see: 'Four one-page bars in one lane.' },
      {
        action: { do: 'lab', lab: { op: 'munmap', page: 0, pages: 4 } },
        explain: 'munmap all four pages at once.',
        see: 'Four reports, each with HINT over its own page.',
        expect: {
          queue: [
            { cookie: 0x601n, report: 'HINT', pages: [0, 1] },
            { cookie: 0x602n, report: 'HINT', pages: [1, 2] },
            { cookie: 0x603n, report: 'HINT', pages: [2, 3] },
            { cookie: 0x604n, report: 'HINT', pages: [3, 4] },
          ],
        },
      },
      {
        action: { do: 'read', maxEvents: 1 },
        explain: 'read() with a 32-byte buffer: room for one event.',
        see: 'INVAL 0x601 only, no LAST: more is queued.',
        expect: {
          queue: [
            { cookie: 0x602n, report: 'HINT', pages: [1, 2] },
            { cookie: 0x603n, report: 'HINT', pages: [2, 3] },
            { cookie: 0x604n, report: 'HINT', pages: [3, 4] },
          ],
          returns: 'INVAL 0x601',
        },
      },
      {
        action: { do: 'read', maxEvents: 2 },
        explain: 'read() with room for two.',
        see: 'INVAL 0x602 and 0x603.',
        expect: { queue: [{ cookie: 0x604n, report: 'HINT', pages: [3, 4] }], returns: 'INVAL 0x602, INVAL 0x603' },
      },
      {
        action: { do: 'read', maxEvents: 1 },
        explain: 'read() with room for one: the last report fits, LAST does not.',
        see: 'INVAL 0x604; the queue is empty but the counter still says "events pending": LAST is owed.',
        expect: { queue: [], pending: true, returns: 'INVAL 0x604' },
      },
      {
        action: { do: 'read', maxEvents: 1 },
        explain: 'read() again: a file whose only pending item is LAST is readable.',
        see: 'Just LAST with the counter; now "no read() needed".',
        expect: { queue: [], pending: false, returns: 'LAST counter' },
      },
      ...unregister(0x601n, 0x602n, 0x603n, 0x604n),
    ],
  },
  {
    id: 'fork-cow',
    title: 'fork() copy-on-write invalidates the parent',
    summary: "fork write-protects the parent's private pages so they can be shared copy-on-write: an invalidation although the parent changed nothing.",
    needs: FEATURE_REASON,
    pages: 12,
    steps: [
      ...freshPages(12),
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 8, pages: 4, advice: 'DONTFORK' } },
        explain: 'madvise(DONTFORK) pages 8-11: a child will not get them, so fork leaves them alone.',
        see: 'No invalidation (DONTFORK only changes the VMA flags).',
        expect: { queue: [] },
      },
      { action: { do: 'register', page: 2, pages: 2, cookie: 0x701n }, explain: 'Register pages 2-3 (0x701).', see: 'A clean bar.' },
      { action: { do: 'register', page: 8, pages: 2, cookie: 0x702n }, explain: 'Register pages 8-9 (0x702), inside the DONTFORK range.', see: 'A second clean bar.' },
      {
        action: { do: 'lab', lab: { op: 'fork', page: 2, pages: 2 } },
        explain: 'fork(); the child writes the pages and exits. In the parent, copy_page_range write-protects every private VMA that has pages (reason PROTECTION_PAGE, over the whole VMA).',
        see: '0x701 queued with reason PROTECTION_PAGE; 0x702 (DONTFORK) stays clean. This is the false positive FEATURE_FILTER lets a library ignore.',
        expect: { queue: [{ cookie: 0x701n, report: 'HINT', pages: [2, 4] }] },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() it.',
        see: 'INVAL 0x701 with reason PROTECTION_PAGE, then LAST.',
        expect: { queue: [], pending: false },
      },
      ...unregister(0x701n, 0x702n),
    ],
  },
  {
    id: 'reasons',
    title: 'mprotect, madvise and mremap, and their reasons',
    summary: 'With FEATURE_REASON every report says why: PROTECTION_VMA, CLEAR, UNMAP.',
    needs: FEATURE_REASON,
    pages: 12,
    steps: [
      ...freshPages(12),
      { action: { do: 'register', page: 0, pages: 4, cookie: 0x801n }, explain: 'Register pages 0-3 (0x801)...', see: '' },
      { action: { do: 'register', page: 4, pages: 4, cookie: 0x802n }, explain: '...pages 4-7 (0x802)...', see: '' },
      { action: { do: 'register', page: 8, pages: 4, cookie: 0x803n }, explain: '...and pages 8-11 (0x803).', see: 'Three clean bars.', expect: { queue: [] } },
      {
        action: { do: 'lab', lab: { op: 'mprotect', page: 1, pages: 1, prot: 'r' } },
        explain: 'mprotect page 1 read-only (the same happens for an upgrade): reason PROTECTION_VMA.',
        see: '0x801 queued over page 1, reason PROTECTION_VMA; page 1 shows protected.',
        expect: { queue: [{ cookie: 0x801n, report: 'HINT', pages: [1, 2] }] },
      },
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 5, pages: 1, advice: 'DONTNEED' } },
        explain: 'madvise(DONTNEED) page 5: reason CLEAR.',
        see: '0x802 queued over page 5, reason CLEAR.',
        expect: {
          queue: [
            { cookie: 0x801n, report: 'HINT', pages: [1, 2] },
            { cookie: 0x802n, report: 'HINT', pages: [5, 6] },
          ],
        },
      },
      {
        action: { do: 'lab', lab: { op: 'mremap', page: 8, pages: 4, newPages: 2 } },
        explain: 'mremap pages 8-11 down to 2 pages: the tail is unmapped, reason UNMAP.',
        see: '0x803 queued over pages 10-11, reason UNMAP.',
        expect: {
          queue: [
            { cookie: 0x801n, report: 'HINT', pages: [1, 2] },
            { cookie: 0x802n, report: 'HINT', pages: [5, 6] },
            { cookie: 0x803n, report: 'HINT', pages: [10, 12] },
          ],
        },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() all three: the reason is in flags bits 8-15, the mask of every reason since the last read in bits 16-31.',
        see: 'Three INVAL events, each with its reason, then LAST.',
        expect: { queue: [], pending: false },
      },
      ...unregister(0x801n, 0x802n, 0x803n),
    ],
  },
  {
    id: 'filter',
    title: 'FILTER: ignoring a reason',
    summary: 'A registration may ignore invalidations it knows are harmless; an ignored one neither queues nor counts.',
    needs: FEATURE_FILTER,
    pages: 8,
    steps: [
      ...freshPages(8),
      {
        action: { do: 'register', page: 0, pages: 8, cookie: 0x901n, filter: 1 << Reason.PROTECTION_VMA },
        explain: 'Register pages 0-7 (0x901) with flags = 1 << PROTECTION_VMA: ignore protection changes.',
        see: 'A clean bar; its tooltip shows what it ignores.',
        expect: { queue: [], pending: false },
      },
      {
        action: { do: 'lab', lab: { op: 'mprotect', page: 2, pages: 1, prot: 'r' } },
        explain: 'mprotect page 2 read-only.',
        see: 'Nothing queued, and the counter did not move: the fast path still says "no read() needed".',
        expect: { queue: [], pending: false },
      },
      {
        action: { do: 'lab', lab: { op: 'munmap', page: 3, pages: 1 } },
        explain: 'munmap page 3: UNMAP is not filtered.',
        see: 'Queued with HINT over page 3; "events pending".',
        expect: { queue: [{ cookie: 0x901n, report: 'HINT', pages: [3, 4] }], pending: true },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() it.',
        see: 'INVAL 0x901, then LAST.',
        expect: { queue: [], pending: false },
      },
      ...unregister(0x901n),
    ],
  },
  {
    id: 'hint-union',
    title: 'HINT_UNION: a tight range after several hits',
    summary: 'With FEATURE_HINT_UNION a second hit widens the hint to the union of the hits instead of dropping it.',
    needs: FEATURE_HINT_UNION,
    pages: 8,
    steps: [
      ...freshPages(8),
      { action: { do: 'register', page: 0, pages: 8, cookie: 0xa01n }, explain: 'Register pages 0-7 (0xa01).', see: 'A clean bar.', expect: { queue: [] } },
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' } },
        explain: 'madvise(DONTNEED) page 1.',
        see: 'HINT over page 1.',
        expect: { queue: [{ cookie: 0xa01n, report: 'HINT', pages: [1, 2] }] },
      },
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 5, pages: 1, advice: 'DONTNEED' } },
        explain: 'madvise(DONTNEED) page 5 before reading.',
        see: 'HINT union over pages 1-5: a safe superset, much tighter than the whole range.',
        expect: { queue: [{ cookie: 0xa01n, report: 'HINT union', pages: [1, 6] }] },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() it.',
        see: 'INVAL 0xa01 with HINT and HINT_UNION set, then LAST.',
        expect: { queue: [], pending: false },
      },
      ...unregister(0xa01n),
    ],
  },
  {
    id: 'generations',
    title: 'GENERATIONS: one registration checked with one load',
    summary:
      "With FEATURE_GENERATIONS a registration made with REGISTER_SLOT gets a word of its own that counts its hits, so a cache checks one entry without the global counter, which any hit anywhere moves.",
    needs: FEATURE_GENERATIONS,
    pages: 8,
    steps: [
      ...freshPages(8),
      {
        action: { do: 'register', page: 0, pages: 4, cookie: 0xb01n, slot: true },
        explain: 'Register pages 0-3 (0xb01) with a generation slot.',
        see: 'A clean bar marked g0: its word is 0 (slot 0).',
        expect: { queue: [], generations: [{ cookie: 0xb01n, generation: 0n }] },
      },
      {
        action: { do: 'register', page: 4, pages: 4, cookie: 0xb02n, slot: true },
        explain: 'Register pages 4-7 (0xb02) with another slot.',
        see: 'A second bar marked g0 (slot 1).',
        expect: { generations: [{ cookie: 0xb02n, generation: 0n }] },
      },
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' } },
        explain: 'madvise(DONTNEED) page 1, inside 0xb01 only.',
        see: "0xb01 shows g1, 0xb02 still g0: a cache keeps 0xb02 without a read(), though the counter moved.",
        expect: {
          queue: [{ cookie: 0xb01n, report: 'HINT', pages: [1, 2] }],
          generations: [
            { cookie: 0xb01n, generation: 1n },
            { cookie: 0xb02n, generation: 0n },
          ],
        },
      },
      {
        action: { do: 'lab', lab: { op: 'madvise', page: 2, pages: 1, advice: 'DONTNEED' } },
        explain: 'madvise(DONTNEED) page 2 before reading.',
        see: 'Still one report, but the word counts every hit: g2.',
        expect: { generations: [{ cookie: 0xb01n, generation: 2n }] },
      },
      {
        action: { do: 'read', maxEvents: 8 },
        explain: 'read() the report.',
        see: 'The queue drains; reading does not move the words (g2, g0).',
        expect: {
          queue: [],
          pending: false,
          generations: [
            { cookie: 0xb01n, generation: 2n },
            { cookie: 0xb02n, generation: 0n },
          ],
        },
      },
      ...unregister(0xb01n, 0xb02n),
    ],
  },
];

