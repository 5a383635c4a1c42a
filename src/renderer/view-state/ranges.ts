// Zoom and pan of a one-dimensional view domain, shared by the time and
// address axes.

export interface Span {
  start: number;
  end: number;
}

const MIN_WIDTH = 1e-6;

/** Zoom by `factor` (>1 zooms in) keeping `anchor` at the same place. */
export function zoomSpan(span: Span, factor: number, anchor: number): Span {
  const width = Math.max((span.end - span.start) / factor, MIN_WIDTH);
  const ratio = span.end > span.start ? (anchor - span.start) / (span.end - span.start) : 0.5;
  const start = anchor - ratio * width;
  return { start, end: start + width };
}

/** Move by a fraction of the span's width (positive: later / higher). */
export function panSpan(span: Span, fraction: number): Span {
  const delta = (span.end - span.start) * fraction;
  return { start: span.start + delta, end: span.end + delta };
}

/** The span of the same width ending at `end`: what follow-live shows. */
export function spanEndingAt(span: Span, end: number): Span {
  return { start: end - (span.end - span.start), end };
}
