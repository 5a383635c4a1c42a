// The QUERY snapshot as it crosses the wire (hex strings) back into domain
// values, once per pushed snapshot, so the views work on bigints.

import type { QuerySnapshot } from '../../shared/domain';
import type { WireQuerySnapshot } from '../../shared/messages';
import { hexToU64 } from '../../shared/u64';

export function snapshotFromWire(s: WireQuerySnapshot): QuerySnapshot {
  return {
    counter: hexToU64(s.counter, 'counter'),
    flags: s.flags,
    registrations: s.registrations.map((r) => ({
      start: hexToU64(r.start, 'start'),
      end: hexToU64(r.end, 'end'),
      cookie: hexToU64(r.cookie, 'cookie'),
      hintStart: hexToU64(r.hintStart, 'hintStart'),
      hintEnd: hexToU64(r.hintEnd, 'hintEnd'),
      state: r.state,
      reasonFlags: r.reasonFlags,
      filter: r.filter,
    })),
    queue: s.queue.map((c) => hexToU64(c, 'queue')),
  };
}
