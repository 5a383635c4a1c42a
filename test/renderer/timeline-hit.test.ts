import { describe, expect, it } from 'vitest';
import { buildTimelineScene, TIMELINE_LAYOUT } from '../../src/renderer/draw/timeline';
import { hitTestTimeline, MARK_SLOP } from '../../src/renderer/draw/timeline-hit';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';
import type { TimelineRecord } from '../../src/shared/timeline-record';
import { EVENT_FLAG_HINT, EVENT_TYPE_INVAL, EVENT_TYPE_LAST, type QueryRegistration } from '../../src/shared/domain';
import { page, reg } from './fixtures';

const inval = (cookie: bigint) => ({ type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT, hintStart: page(2), hintEnd: page(3), cookieOrCounter: cookie }) as const;
const last = (counter: bigint) => ({ type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: counter }) as const;

// 1110 px wide over 100 ms after 110 px of labels: x = 110 + 10 t.
const xAt = (t: number) => TIMELINE_LAYOUT.labelWidth + 10 * t;
const READS_Y = TIMELINE_LAYOUT.axisHeight + 8;
const COUNTER_Y = TIMELINE_LAYOUT.axisHeight + TIMELINE_LAYOUT.laneHeight + 8;
const laneY = (lane: number) => TIMELINE_LAYOUT.axisHeight + TIMELINE_LAYOUT.laneHeight * 3 + lane * TIMELINE_LAYOUT.laneHeight + 8;

function hitTester(records: TimelineRecord[], registrations: QueryRegistration[] = []) {
  const buffer = new TimelineBuffer(64);
  buffer.appendAll(records);
  const scene = buildTimelineScene({
    buffer,
    registrations,
    domain: { start: 0, end: 100 },
    origin: 0,
    now: 100,
    width: 1110,
    height: 200,
    laneOffset: 0,
    selection: null,
    highlightCookie: null,
  });
  return (x: number, y: number) => hitTestTimeline(scene, buffer, registrations, x, y);
}

// Lanes: cookie 9 (registered before the recording), then cookies 1 and 2.
const hitAt = hitTester(
  [
    { kind: 'register', t: 0, cookie: 1n, start: page(0), end: page(4), flags: 0 },
    { kind: 'register', t: 10, cookie: 2n, start: page(2), end: page(6), flags: 0 },
    { kind: 'invalidation', t: 20, start: page(2), end: page(3), reason: 0, hits: [1n, 2n] },
    { kind: 'invalidation', t: 20.04, start: page(3), end: page(4), reason: 0, hits: [1n] },
    { kind: 'read', t: 30, maxEvents: 2, events: [inval(1n), inval(2n)] },
    { kind: 'read', t: 30.02, maxEvents: 2, events: [last(2n)] },
    { kind: 'unregister', t: 40, cookie: 2n },
    { kind: 'invalidation', t: 50, start: page(0), end: page(1), reason: 1, hits: [1n] },
  ],
  [reg(9n, 8, 12)],
);

describe('timeline hit test', () => {
  it('over a lane label, tells the registration: range, registered and unregistered times', () => {
    expect(hitAt(40, laneY(1))).toEqual({
      kind: 'registration',
      cookie: 1n,
      range: { start: page(0), end: page(4) },
      registeredAt: 0,
      unregisteredAt: null,
      column: null,
    });
    expect(hitAt(40, laneY(2))).toMatchObject({ cookie: 2n, range: { start: page(2), end: page(6) }, registeredAt: 10, unregisteredAt: 40 });
  });

  it('takes the range of a registration made before the recording from the current registrations', () => {
    expect(hitAt(xAt(70), laneY(0))).toEqual({
      kind: 'registration',
      cookie: 9n,
      range: { start: page(8), end: page(12) },
      registeredAt: null,
      unregisteredAt: null,
      column: null,
    });
  });

  it('over a mark column, counts the invalidations and deliveries drawn in it, with their times', () => {
    expect(hitAt(xAt(20), laneY(1))).toMatchObject({
      column: { invalidations: { count: 2, first: 20, last: 20.04 }, deliveries: null },
    });
    expect(hitAt(xAt(20), laneY(2))).toMatchObject({ column: { invalidations: { count: 1, first: 20, last: 20 }, deliveries: null } });
    expect(hitAt(xAt(30), laneY(1))).toMatchObject({ column: { invalidations: null, deliveries: { count: 1, first: 30, last: 30 } } });
  });

  it('snaps to a mark a few pixels away, not further', () => {
    expect(hitAt(xAt(20) + MARK_SLOP, laneY(1))).toMatchObject({ column: { invalidations: { count: 2 } } });
    expect(hitAt(xAt(20) + MARK_SLOP + 1, laneY(1))).toMatchObject({ cookie: 1n, column: null });
    expect(hitAt(xAt(25), laneY(1))).toMatchObject({ cookie: 1n, column: null });
  });

  it('keeps the marks of a reused cookie in the lane of the lifetime they hit', () => {
    const reused = hitTester([
      { kind: 'register', t: 0, cookie: 5n, start: page(0), end: page(1), flags: 0 },
      { kind: 'invalidation', t: 10, start: page(0), end: page(1), reason: 0, hits: [5n] },
      { kind: 'unregister', t: 20, cookie: 5n },
      { kind: 'register', t: 30, cookie: 5n, start: page(4), end: page(8), flags: 0 },
      { kind: 'invalidation', t: 40, start: page(4), end: page(5), reason: 0, hits: [5n] },
    ]);
    expect(reused(xAt(10), laneY(0))).toMatchObject({ range: { start: page(0), end: page(1) }, column: { invalidations: { count: 1, first: 10 } } });
    expect(reused(xAt(40), laneY(0))).toMatchObject({ column: null });
    expect(reused(xAt(10), laneY(1))).toMatchObject({ range: { start: page(4), end: page(8) }, registeredAt: 30, column: null });
    expect(reused(xAt(40), laneY(1))).toMatchObject({ column: { invalidations: { count: 1, first: 40 } } });
  });

  it('tells the reads of a column: how many, the events they returned and how many ended with LAST', () => {
    expect(hitAt(xAt(30), READS_Y)).toEqual({ kind: 'reads', reads: { count: 2, first: 30, last: 30.02 }, events: 3, drained: 1 });
    expect(hitAt(xAt(20), READS_Y)).toBeNull();
    expect(hitAt(40, READS_Y)).toBeNull();
  });

  it('tells the counter and the queue depth at the time under the pointer', () => {
    expect(hitAt(xAt(15), COUNTER_Y)).toMatchObject({ kind: 'counter', counter: 0, depth: 0 });
    expect(hitAt(xAt(25), COUNTER_Y)).toMatchObject({ kind: 'counter', counter: 2, depth: 2 });
    expect(hitAt(xAt(35), COUNTER_Y + TIMELINE_LAYOUT.laneHeight)).toMatchObject({ kind: 'counter', counter: 2, depth: 0 });
    const later = hitAt(xAt(55), COUNTER_Y);
    expect(later).toMatchObject({ kind: 'counter', counter: 3, depth: 1 });
    expect(later?.kind === 'counter' && later.t).toBeCloseTo(55);
  });

  it('finds nothing on the axis, below the last lane or outside the canvas', () => {
    expect(hitAt(xAt(20), 10)).toBeNull();
    expect(hitAt(xAt(20), laneY(3))).toBeNull();
    expect(hitAt(1200, laneY(1))).toBeNull();
  });
});
