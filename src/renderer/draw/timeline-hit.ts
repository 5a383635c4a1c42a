// What is under a point of the timeline, for its hover tooltip: a
// registration lane (the registration, and the marks of the pixel column
// under the pointer), the reads of a column, or the counter and queue depth
// at a time. Works on the scene as drawn, so it answers for what is on
// screen.

import type { QueryRegistration } from '../../shared/domain';
import { lowerBound, sumBetween, upperBound, type TimelineBuffer } from '../view-state/timeline-buffer';
import { TIMELINE_LAYOUT, type TimelineLane, type TimelineScene } from './timeline';
import type { TimeScale } from './time-scale';

/** Marks are a few pixels wide: the pointer snaps to a mark column this close. */
export const MARK_SLOP = 3;

/** Marks of one kind in one pixel column. */
export interface ColumnMarks {
  count: number;
  /** Times of the first and the last of them (equal for one mark). */
  first: number;
  last: number;
}

export interface RegistrationHit {
  kind: 'registration';
  cookie: bigint;
  /** Null when neither the recording nor the current registrations know it. */
  range: { start: bigint; end: bigint } | null;
  /** Null: registered before the recording began. */
  registeredAt: number | null;
  /** Null: still registered. */
  unregisteredAt: number | null;
  /** The mark column under the pointer (null: none there); a kind absent from it is null. */
  column: { invalidations: ColumnMarks | null; deliveries: ColumnMarks | null } | null;
}

export interface ReadsHit {
  kind: 'reads';
  reads: ColumnMarks;
  /** Events the reads returned, LAST included. */
  events: number;
  /** Reads that ended with LAST (drained the queue). */
  drained: number;
}

export interface CounterHit {
  kind: 'counter';
  t: number;
  counter: number;
  depth: number;
}

export type TimelineHit = RegistrationHit | ReadsHit | CounterHit;

/** The times drawn as marks in pixel column px, among times[lo, hi). */
function columnMarks(times: ArrayLike<number>, scale: TimeScale, px: number, lo: number, hi: number): { from: number; to: number } {
  return {
    from: Math.max(lowerBound(times, scale.invert(px - 0.5)), lo),
    to: Math.min(lowerBound(times, scale.invert(px + 0.5)), hi),
  };
}

/** The pixel column of the mark nearest x, if within MARK_SLOP, among times[lo, hi). */
function nearestMarkColumn(times: ArrayLike<number>, scale: TimeScale, x: number, lo: number, hi: number): number | null {
  const i = lowerBound(times, scale.invert(x));
  let best: number | null = null;
  for (const j of [Math.min(i, hi) - 1, Math.max(i, lo)]) {
    if (j < lo || j >= hi) continue;
    const px = Math.round(scale(times[j] as number));
    if (Math.abs(px - x) <= MARK_SLOP && (best === null || Math.abs(px - x) < Math.abs(best - x))) best = px;
  }
  return best;
}

/** The indexes of the times drawn between `from` and `to` (inclusive) that the domain shows. */
function drawnWindow(times: ArrayLike<number>, scale: TimeScale, from: number, to: number): { lo: number; hi: number } {
  const [start, end] = scale.domain() as [number, number];
  return { lo: lowerBound(times, Math.max(from, start)), hi: upperBound(times, Math.min(to, end)) };
}

function marksIn(times: ArrayLike<number>, from: number, to: number): ColumnMarks | null {
  return to > from ? { count: to - from, first: times[from] as number, last: times[to - 1] as number } : null;
}

function registrationHit(
  lane: TimelineLane,
  cookie: bigint,
  scene: TimelineScene,
  buffer: TimelineBuffer,
  registrations: readonly QueryRegistration[],
  x: number,
): RegistrationHit {
  const recorded = lane.recorded;
  const current = recorded ? undefined : registrations.find((r) => r.cookie === cookie);
  const range = recorded ?? current;
  const hit: RegistrationHit = {
    kind: 'registration',
    cookie,
    range: range ? { start: range.start, end: range.end } : null,
    registeredAt: recorded?.registeredAt ?? null,
    unregisteredAt: recorded?.unregisteredAt ?? null,
    column: null,
  };
  if (x < TIMELINE_LAYOUT.labelWidth) return hit;
  const from = recorded?.registeredAt ?? -Infinity;
  const to = recorded?.unregisteredAt ?? Infinity;
  const hits = buffer.hitTimes(cookie);
  const deliveries = buffer.deliveryTimes(cookie);
  const hitWindow = drawnWindow(hits, scene.scale, from, to);
  const deliveryWindow = drawnWindow(deliveries, scene.scale, from, to);
  const nearHit = nearestMarkColumn(hits, scene.scale, x, hitWindow.lo, hitWindow.hi);
  const nearDelivery = nearestMarkColumn(deliveries, scene.scale, x, deliveryWindow.lo, deliveryWindow.hi);
  const px = nearHit === null ? nearDelivery : nearDelivery === null || Math.abs(nearHit - x) <= Math.abs(nearDelivery - x) ? nearHit : nearDelivery;
  if (px === null) return hit;
  const h = columnMarks(hits, scene.scale, px, hitWindow.lo, hitWindow.hi);
  const d = columnMarks(deliveries, scene.scale, px, deliveryWindow.lo, deliveryWindow.hi);
  return { ...hit, column: { invalidations: marksIn(hits, h.from, h.to), deliveries: marksIn(deliveries, d.from, d.to) } };
}

function readsHit(scene: TimelineScene, buffer: TimelineBuffer, x: number): ReadsHit | null {
  const marks = buffer.reads();
  const { lo, hi } = drawnWindow(marks.times, scene.scale, -Infinity, Infinity);
  const px = nearestMarkColumn(marks.times, scene.scale, x, lo, hi);
  if (px === null) return null;
  const { from, to } = columnMarks(marks.times, scene.scale, px, lo, hi);
  const reads = marksIn(marks.times, from, to);
  if (!reads) return null;
  return {
    kind: 'reads',
    reads,
    events: sumBetween(marks.eventTotals, from, to),
    drained: sumBetween(marks.drainTotals, from, to),
  };
}

function counterHit(scene: TimelineScene, buffer: TimelineBuffer, x: number): CounterHit | null {
  const t = scene.scale.invert(x);
  const i = buffer.indexAtTime(t) - 1;
  return i < 0 ? null : { kind: 'counter', t, counter: buffer.counterAt(i), depth: buffer.queueDepthAt(i) };
}

/**
 * What the timeline shows at (x, y) in scene pixels, or null for nothing
 * there. `registrations` are the current ones, for the ranges of
 * registrations made before the recording began.
 */
export function hitTestTimeline(
  scene: TimelineScene,
  buffer: TimelineBuffer,
  registrations: readonly QueryRegistration[],
  x: number,
  y: number,
): TimelineHit | null {
  const L = TIMELINE_LAYOUT;
  if (x < 0 || x > scene.width || y < L.axisHeight || y >= scene.height) return null;
  const lane = scene.lanes.find((l) => y >= l.y && y < l.y + L.laneHeight);
  if (lane) return lane.cookie === null ? null : registrationHit(lane, lane.cookie, scene, buffer, registrations, x);
  if (x < L.labelWidth) return null;
  if (y >= scene.readsY && y < scene.readsY + L.laneHeight) return readsHit(scene, buffer, x);
  if (y >= scene.counterY && y < scene.counterY + 2 * L.laneHeight) return counterHit(scene, buffer, x);
  return null;
}
