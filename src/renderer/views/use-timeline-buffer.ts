// The workbench accepts either a TimelineBuffer (high rate: the app appends
// to it directly) or an array of records, which is copied into a buffer
// incrementally: only records after the last one copied are added, so a
// growing array or a sliding window of recent records both work. An array
// that no longer contains the last copied record starts a new recording.

import { useEffect, useRef, useState } from 'react';
import { TimelineBuffer } from '../view-state/timeline-buffer';
import type { TimelineRecord } from '../../shared/timeline-record';

export function useTimelineBuffer(events: readonly TimelineRecord[] | TimelineBuffer): TimelineBuffer {
  const [own] = useState(() => new TimelineBuffer());
  const lastCopied = useRef<TimelineRecord | null>(null);
  const buffer = events instanceof TimelineBuffer ? events : own;
  useEffect(() => {
    if (events instanceof TimelineBuffer) return;
    const at = lastCopied.current === null ? -1 : events.lastIndexOf(lastCopied.current);
    if (at < 0 && lastCopied.current !== null) own.clear();
    own.appendAll(events.slice(at + 1));
    lastCopied.current = events[events.length - 1] ?? lastCopied.current;
  }, [events, own]);
  return buffer;
}
