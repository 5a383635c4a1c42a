// The time axis: a d3 linear scale over record times (milliseconds) with
// labels relative to the start of the recording.

import { scaleLinear, type ScaleLinear } from 'd3';
import type { Span } from '../view-state/ranges';
import type { Tick } from './address-scale';

export type TimeScale = ScaleLinear<number, number>;

export function timeScale(domain: Span, x0: number, x1: number): TimeScale {
  const end = domain.end > domain.start ? domain.end : domain.start + 1;
  return scaleLinear().domain([domain.start, end]).range([x0, x1]);
}

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${+(ms / 1000).toFixed(3)} s`;
  if (abs >= 1 || abs === 0) return `${+ms.toFixed(2)} ms`;
  return `${+(ms * 1000).toFixed(1)} µs`;
}

/** Ticks at round durations since `origin`, not at round absolute times. */
export function timeTicks(scale: TimeScale, count: number, origin: number): Tick[] {
  const [start, end] = scale.domain() as [number, number];
  return scaleLinear()
    .domain([start - origin, end - origin])
    .ticks(count)
    .map((d) => ({ x: scale(d + origin), label: formatDuration(d) }));
}
