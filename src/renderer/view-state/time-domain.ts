// The time range the timeline shows, from the view state and the recording:
// the whole recording until the user zooms; while following live, the
// chosen width slides so that it ends at the newest record, but never starts
// before the recording does (no stretch of negative times while a recording
// is still shorter than the window).

import { spanEndingAt, type Span } from './ranges';
import type { TimelineBuffer } from './timeline-buffer';
import type { ViewStateData } from './view-store';

export function recordingSpan(buffer: TimelineBuffer): Span {
  const start = buffer.firstTime ?? 0;
  const end = buffer.lastTime ?? start;
  return { start, end: Math.max(end, start + 1) };
}

export function effectiveTimeDomain(state: Pick<ViewStateData, 'timeDomain' | 'followLive'>, buffer: TimelineBuffer): Span {
  const full = recordingSpan(buffer);
  if (!state.timeDomain) return full;
  if (!state.followLive) return state.timeDomain;
  const live = spanEndingAt(state.timeDomain, full.end);
  return live.start >= full.start ? live : { start: full.start, end: full.start + (live.end - live.start) };
}
