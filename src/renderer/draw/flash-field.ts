// Live invalidation flashes as pixel columns. A stream brings a hundred
// thousand invalidations a second, each fading over `durationMs`: far more
// than there are pixels. Each arrival stamps the columns its range covers
// with its time (O(columns), usually one), and a frame turns the columns
// into fading spans in O(width), however many flashes are alive. Arrivals
// are also kept in address space so that a pan or zoom re-projects them.

import { SlidingColumn } from '../view-state/sliding-column';
import type { AddressScale } from './address-scale';

/** An invalidation still visible; `strength` fades from 1 to 0. */
export interface Flash {
  start: bigint;
  end: bigint;
  strength: number;
}

export interface FlashSpan {
  x: number;
  width: number;
  strength: number;
}

/** Strength steps: adjacent columns in the same step are drawn as one span. */
const LEVELS = 16;

export class FlashField {
  private readonly starts = new SlidingColumn(1024);
  private readonly ends = new SlidingColumn(1024);
  private readonly ats = new SlidingColumn(1024);
  private lastHit = new Float64Array(0);
  /** The address at pixel 0 of the projection. */
  private origin = 0;
  private k = 0;
  private width = 0;

  constructor(readonly durationMs: number) {}

  /** Maps flashes through `scale` onto `width` columns (re-stamping live ones when it changed). */
  project(scale: AddressScale, width: number): void {
    const [d0, d1] = scale.domain() as [number, number];
    const [r0, r1] = scale.range() as [number, number];
    const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
    const columns = Math.max(0, Math.ceil(width));
    const origin = d0 - r0 / (k || 1);
    if (origin === this.origin && k === this.k && columns === this.width) return;
    this.origin = origin;
    this.k = k;
    this.width = columns;
    this.lastHit = new Float64Array(columns).fill(-Infinity);
    for (let i = 0; i < this.ats.length; i++) this.stamp(this.starts.at(i), this.ends.at(i), this.ats.at(i));
  }

  add(start: number, end: number, at: number): void {
    this.starts.push(start);
    this.ends.push(end);
    this.ats.push(at);
    this.stamp(start, end, at);
  }

  /** True while some flash has not faded at `now`. */
  live(now: number): boolean {
    this.forgetFaded(now);
    return this.ats.length > 0;
  }

  spans(now: number): FlashSpan[] {
    this.forgetFaded(now);
    const spans: FlashSpan[] = [];
    let open: FlashSpan | null = null;
    for (let px = 0; px < this.width; px++) {
      const strength = 1 - (now - (this.lastHit[px] as number)) / this.durationMs;
      const level = strength > 0 ? Math.ceil(Math.min(1, strength) * LEVELS) / LEVELS : 0;
      if (open && open.strength === level && open.x + open.width === px) {
        open.width++;
        continue;
      }
      open = null;
      if (level > 0) spans.push((open = { x: px, width: 1, strength: level }));
    }
    return spans;
  }

  private stamp(start: number, end: number, at: number): void {
    if (this.width === 0) return;
    const x0 = (start - this.origin) * this.k;
    const x1 = (end - this.origin) * this.k;
    if (x1 < 0 || x0 >= this.width || x1 < x0) return;
    const first = Math.max(0, Math.floor(x0));
    const last = Math.min(this.width - 1, Math.max(first, Math.ceil(x1) - 1));
    for (let px = first; px <= last; px++) if ((this.lastHit[px] as number) < at) this.lastHit[px] = at;
  }

  private forgetFaded(now: number): void {
    const cutoff = now - this.durationMs;
    while (this.ats.length > 0 && this.ats.at(0) <= cutoff) {
      this.ats.shift();
      this.starts.shift();
      this.ends.shift();
    }
  }
}

/** Spans of flashes with given strengths (pictures, tests): each stamped as if it arrived (1 - strength) of a fade ago. */
export function flashSpansOf(scale: AddressScale, flashes: readonly Flash[], width: number): FlashSpan[] {
  const field = new FlashField(1);
  field.project(scale, width);
  for (const f of flashes) field.add(Number(f.start), Number(f.end), f.strength - 1);
  return field.spans(0);
}
