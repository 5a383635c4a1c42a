// A deterministic large session for the benchmark: many registrations over
// a large arena and a long recording of invalidations and reads.

import { EVENT_FLAG_HINT, EVENT_TYPE_INVAL, EVENT_TYPE_LAST, QUERY_REG_HINT, QUERY_REG_QUEUED, type ArenaInfo, type QueryRegistration } from '../../src/shared/domain';
import type { ArenaPage } from '../../src/renderer/draw/address-map';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';

export interface Dataset {
  arena: ArenaInfo;
  pages: ArenaPage[];
  registrations: QueryRegistration[];
  queue: bigint[];
  buffer: TimelineBuffer;
}

export function makeDataset(registrationCount: number, eventCount: number): Dataset {
  // mulberry32: a small deterministic generator exact in 32-bit integer arithmetic.
  let seed = 12345;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pageCount = Math.max(64, registrationCount * 4);
  const arena: ArenaInfo = { base: 0x7f0000000000n, pages: pageCount, pageSize: 4096 };
  const at = (page: number) => arena.base + BigInt(page) * 4096n;
  const pages: ArenaPage[] = Array.from({ length: pageCount }, (_, i) => ({
    state: i % 97 === 0 ? 'unmapped' : i % 3 === 0 ? 'none' : 'present',
    prot: i % 101 === 0 ? 'r' : 'rw',
  }));
  const registrations: QueryRegistration[] = [];
  for (let i = 0; i < registrationCount; i++) {
    const first = Math.floor(rand() * (pageCount - 64));
    const length = 1 + Math.floor(rand() * 32);
    const queued = rand() < 0.05;
    registrations.push({
      start: at(first),
      end: at(first + length),
      cookie: BigInt(i + 1),
      hintStart: queued ? at(first) : 0n,
      hintEnd: queued ? at(first + 1) : 0n,
      state: queued ? QUERY_REG_QUEUED | (rand() < 0.5 ? QUERY_REG_HINT : 0) : 0,
      reasonFlags: 0,
      filter: 0,
    });
  }
  registrations.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : 1));
  const queue = registrations.filter((r) => r.state & QUERY_REG_QUEUED).map((r) => r.cookie);
  const buffer = new TimelineBuffer(Math.max(eventCount + registrationCount, 1));
  let t = 0;
  for (const r of registrations.slice(0, Math.min(registrationCount, 2000))) buffer.append({ kind: 'register', t: (t += 0.01), cookie: r.cookie, start: r.start, end: r.end, flags: 0 });
  let counter = 0n;
  const batch = [];
  for (let i = 0; i < eventCount; i++) {
    t += 0.05 + rand() * 0.1;
    if (i % 10 === 9) {
      batch.push({
        kind: 'read' as const,
        t,
        maxEvents: 4,
        events: [
          { type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT, hintStart: 0n, hintEnd: 0n, cookieOrCounter: BigInt(1 + Math.floor(rand() * 2000)) } as const,
          { type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: counter } as const,
        ],
      });
    } else {
      const page = Math.floor(rand() * pageCount);
      counter++;
      batch.push({ kind: 'invalidation' as const, t, start: at(page), end: at(page + 1), reason: 0, hits: [BigInt(1 + Math.floor(rand() * 2000))] });
    }
  }
  buffer.appendAll(batch);
  return { arena, pages, registrations, queue, buffer };
}
