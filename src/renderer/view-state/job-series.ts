// The job overview's numbers: for each process, over one shared time span
// cut into bins, the registrations alive at the end of each bin, the
// invalidations per second within it, and the queue depth at its end. All
// from the process's timeline buffer (its records and columns), so the
// overview and the process's own timeline never disagree.

import type { QueryRegistration } from '../../shared/domain';
import type { Span } from './ranges';
import type { TimelineBuffer } from './timeline-buffer';

export interface ProcessSeries {
  /** Bin end times. */
  times: number[];
  registrations: number[];
  invalidationsPerSecond: number[];
  queueDepth: number[];
}

/** The span every process's records fall in; null when none has any. */
export function jobSpan(buffers: readonly TimelineBuffer[]): Span | null {
  let start = Infinity;
  let end = -Infinity;
  for (const buffer of buffers) {
    if (buffer.firstTime !== undefined) start = Math.min(start, buffer.firstTime);
    if (buffer.lastTime !== undefined) end = Math.max(end, buffer.lastTime);
  }
  if (start > end) return null;
  return { start, end: end > start ? end : start + 1 };
}

/**
 * `bins` bins over `span`. `current` are the registrations the process has
 * now: those registered before its records began count from the start.
 */
export function processSeries(buffer: TimelineBuffer, current: readonly QueryRegistration[], span: Span, bins: number): ProcessSeries {
  const width = (span.end - span.start) / bins;
  const times = Array.from({ length: bins }, (_, i) => span.start + (i + 1) * width);
  const lifetimes = buffer.lifetimes();
  const recorded = new Set(lifetimes.map((l) => l.cookie));
  const before = current.filter((r) => !recorded.has(r.cookie)).length;
  const registrations = times.map((t) => before + lifetimes.filter((l) => l.registeredAt <= t && (l.unregisteredAt === undefined || l.unregisteredAt > t)).length);
  const invalidations = new Array<number>(bins).fill(0);
  // The depth after the last record of each bin; a bin without records keeps the one before.
  const depthAt = new Array<number | undefined>(bins).fill(undefined);
  for (let i = 0; i < buffer.length; i++) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((buffer.timeAt(i) - span.start) / width)));
    depthAt[bin] = buffer.queueDepthAt(i);
    const kind = buffer.kindAt(i);
    if (kind === 'invalidation') invalidations[bin] = (invalidations[bin] ?? 0) + 1;
    else if (kind === 'summary') {
      const record = buffer.get(i);
      if (record.kind === 'summary') invalidations[bin] = (invalidations[bin] ?? 0) + record.summary.invalidations;
    }
  }
  let depth = 0;
  const queueDepth = depthAt.map((d) => (depth = d ?? depth));
  const seconds = width / 1000;
  return { times, registrations, invalidationsPerSecond: invalidations.map((n) => n / seconds), queueDepth };
}
