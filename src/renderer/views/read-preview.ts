// What read() would return now for a buffer of n events, from a QUERY
// snapshot, following the driver: INVAL events in queue order while they
// fit, then LAST (with the counter) if the read drained the queue and
// there is room for it; EAGAIN when the file is not readable.

import { EVENT_TYPE_LAST, type QueryRegistration, type UmmuEvent } from '../../shared/domain';
import { queuedEvent } from '../draw/registration-state';

/** read() returns at most one page of 32-byte events. */
export const MAX_EVENTS_PER_READ = 4096 / 32;

export type ReadPreview = { readable: false } | { readable: true; events: UmmuEvent[]; drains: boolean };

export function previewRead(
  queue: readonly bigint[],
  registrations: readonly QueryRegistration[],
  counter: bigint,
  needEmpty: boolean,
  maxEvents: number,
): ReadPreview {
  if (queue.length === 0 && !needEmpty) return { readable: false };
  const max = Math.min(Math.max(1, Math.floor(maxEvents)), MAX_EVENTS_PER_READ);
  const byCookie = new Map(registrations.map((r) => [r.cookie, r]));
  const events: UmmuEvent[] = [];
  for (const cookie of queue.slice(0, max)) {
    const reg = byCookie.get(cookie);
    if (reg) events.push(queuedEvent(reg));
  }
  const drains = queue.length < max;
  if (drains) events.push({ type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: counter });
  return { readable: true, events, drains };
}

export type CounterVerdict = 'idle' | 'pending';

/** The fast path a registration cache takes: one load, one compare. */
export const counterVerdict = (counter: bigint, lastLastCounter: bigint): CounterVerdict => (counter === lastLastCounter ? 'idle' : 'pending');

export const COUNTER_VERDICT_TEXT: Record<CounterVerdict, string> = {
  idle: 'nothing queued: no read() needed',
  pending: 'events pending',
};
