// A live stream for the benchmark: INVAL/read records appended to the
// recording at a given rate, pushed every 16-50 ms in messages of at most
// 256 records, each handled as its own task (as the app receives IPC or
// WebSocket messages), while main-thread long tasks and frame times are
// recorded.

import { EVENT_FLAG_HINT, EVENT_TYPE_INVAL, EVENT_TYPE_LAST, type ArenaInfo } from '../../src/shared/domain';
import type { TimelineRecord } from '../../src/shared/timeline-record';
import type { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';

/** Records per pushed message at most: the session's batcher flushes at 256 items (src/main/core/session.ts). */
const MESSAGE_RECORDS = 256;

export interface LiveRun {
  /** Durations of main-thread tasks over 50 ms (PerformanceObserver 'longtask'). */
  longTasks: number[];
  frames: number[];
  delivered: number;
  batches: number;
  /** The most records due at one push, and the longest appendAll of one message (with the views' listeners) in milliseconds. */
  largestBatch: number;
  slowestAppendMs: number;
  /** Milliseconds until the event log had examined every record (a search run), or null if it never caught up. */
  caughtUpAfter: number | null;
}

export interface LiveFeed {
  buffer: TimelineBuffer;
  arena: ArenaInfo;
  cookies: number;
  /** Records the event log has not examined yet. */
  logPending: () => number;
}

/** Streams recordsPerSecond records (0: none, a baseline) for seconds, measuring as it goes. */
export function runLiveStream(feed: LiveFeed, recordsPerSecond: number, seconds: number): Promise<LiveRun> {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  const frames: number[] = [];
  let seed = 777;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const pageSize = BigInt(feed.arena.pageSize);
  let counter = 0n;
  let delivered = 0;
  let batches = 0;
  let largestBatch = 0;
  let slowestAppendMs = 0;
  const started = performance.now();
  let lastBatchAt = started;
  let lastTime = Math.max(feed.buffer.lastTime ?? 0, 0);
  const record = (i: number, t: number): TimelineRecord => {
    const cookie = BigInt(1 + Math.floor(rand() * feed.cookies));
    if (i % 10 === 9) {
      return {
        kind: 'read',
        t,
        maxEvents: 4,
        events: [
          { type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT, hintStart: 0n, hintEnd: 0n, cookieOrCounter: cookie },
          { type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: counter },
        ],
      };
    }
    counter++;
    const start = feed.arena.base + BigInt(Math.floor(rand() * feed.arena.pages)) * pageSize;
    return { kind: 'invalidation', t, start, end: start + pageSize, reason: 0, hits: [cookie] };
  };
  // Each message is its own task, as IPC and WebSocket messages are.
  const messages: (() => TimelineRecord[])[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const decode = messages.shift();
    if (!decode) return;
    const batch = decode();
    const before = performance.now();
    feed.buffer.appendAll(batch);
    slowestAppendMs = Math.max(slowestAppendMs, performance.now() - before);
  };
  return new Promise((resolve) => {
    const pushBatch = () => {
      const now = performance.now();
      const due = Math.floor(((now - started) / 1000) * recordsPerSecond) - delivered;
      if (due > 0) {
        const span = now - lastBatchAt;
        const [base, from] = [delivered, lastTime];
        for (let first = 0; first < due; first += MESSAGE_RECORDS) {
          const last = Math.min(due, first + MESSAGE_RECORDS);
          messages.push(() => {
            const batch: TimelineRecord[] = [];
            for (let i = first; i < last; i++) batch.push(record(base + i, from + (span * (i + 1)) / due));
            return batch;
          });
          channel.port2.postMessage(null);
        }
        largestBatch = Math.max(largestBatch, due);
        lastTime += span;
        delivered += due;
        batches++;
      }
      lastBatchAt = now;
      if (now - started < seconds * 1000) setTimeout(pushBatch, 16 + rand() * 34);
    };
    if (recordsPerSecond > 0) setTimeout(pushBatch, 16);
    let last = started;
    let caughtUpAfter: number | null = null;
    const frame = (now: number) => {
      frames.push(now - last);
      last = now;
      if (caughtUpAfter === null && feed.logPending() === 0) caughtUpAfter = now - started;
      if (now - started < seconds * 1000) {
        requestAnimationFrame(frame);
        return;
      }
      // Let a last long task (if any) be reported before disconnecting.
      setTimeout(() => {
        for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
        observer.disconnect();
        channel.port1.close();
        resolve({ longTasks, frames: frames.slice(1), delivered, batches, largestBatch, slowestAppendMs, caughtUpAfter });
      }, 100);
    };
    requestAnimationFrame(frame);
  });
}
