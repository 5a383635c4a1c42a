// A dense stream as the viewers that take summaries get it: every journal
// record is either sent whole or counted in exactly one summary, in order;
// registrations come whole; and a timeline built from the summarized stream
// ends in the same counter, queue and mark counts as one built from every
// record.

import { afterEach, describe, expect, test } from 'vitest';
import { summarizedFor } from '../../../src/main/core/stream-summarizer';
import type { PushBatch, PushItem } from '../../../src/shared/messages';
import { timelineRecordsOf } from '../../../src/shared/timeline-records-of';
import { ProcessFeed } from '../../../src/renderer/app/process-feed';
import { TimelineBuffer } from '../../../src/renderer/view-state/timeline-buffer';
import { harness, type Harness } from '../../fixtures/model-session';

let h: Harness;
afterEach(async () => {
  await h.session.close();
});

const COOKIES = [11n, 12n, 13n, 14n];

/** Registrations on pages 0..3, auto-read on, then rounds of DONTNEED and touch over them, with an unregister and a register between. */
async function denseStream(options: { summarizeAbove: number; maxBatchItems?: number }): Promise<PushBatch[]> {
  h = harness(options);
  for (const [i, cookie] of COOKIES.entries()) await h.session.register(h.page(i), h.page(i + 1), cookie);
  h.session.setAutoRead(true, 3);
  for (let round = 0; round < 60; round++) {
    for (let page = 0; page < 4; page++) {
      await h.session.lab({ op: 'madvise', page, pages: 1, advice: 'DONTNEED' });
      await h.session.lab({ op: 'touch', page, pages: 1 });
    }
    if (round === 20) await h.session.unregister(13n);
    if (round === 40) await h.session.register(h.page(2), h.page(3), 13n);
  }
  await h.settle();
  return h.batches;
}

/** The journal numbers an item stands for. */
const numbersOf = (item: PushItem): number[] => {
  if (item.kind === 'record') return [item.n];
  if (item.kind === 'summary') return Array.from({ length: item.summary.last - item.summary.first + 1 }, (_, i) => item.summary.first + i);
  return [];
};

function timelineOf(batches: readonly PushBatch[]): TimelineBuffer {
  const buffer = new TimelineBuffer();
  for (const batch of batches)
    for (const item of batch.items) {
      if (item.kind === 'record') buffer.appendAll(timelineRecordsOf(item.record));
      else if (item.kind === 'summary') buffer.append({ kind: 'summary', t: item.summary.t1, summary: item.summary });
    }
  return buffer;
}

const marks = (buffer: TimelineBuffer) => ({
  counter: buffer.counterAt(buffer.length - 1),
  queueDepth: buffer.queueDepthAt(buffer.length - 1),
  hits: COOKIES.map((c) => buffer.hitTimes(c).length),
  deliveries: COOKIES.map((c) => buffer.deliveryTimes(c).length),
  reads: buffer.reads().times.length,
  events: Array.from(buffer.reads().eventTotals).at(-1),
  drains: Array.from(buffer.reads().drainTotals).at(-1),
  lifetimes: buffer.lifetimes().map((l) => [l.cookie, l.unregisteredAt === undefined]),
});

describe('summaries of a dense stream', () => {
  test('every record is sent whole or counted in one summary, in order; registrations and unregistrations come whole', async () => {
    const batches = await denseStream({ summarizeAbove: 1 });
    const full = batches.flatMap((b) => b.items.flatMap(numbersOf));
    const summarized = batches.map((b) => summarizedFor(b, true));
    expect(summarized.some((b, i) => b !== batches[i])).toBe(true);
    expect(summarized.flatMap((b) => b.items.flatMap(numbersOf))).toEqual(full);
    expect(full).toEqual(full.map((_, i) => (full[0] ?? 0) + i));
    const items = summarized.flatMap((b) => b.items);
    const wholeOps = items.flatMap((i) => (i.kind === 'record' && i.record.kind === 'op' ? [i.record.op.op] : []));
    expect(wholeOps.filter((op) => op === 'register')).toHaveLength(COOKIES.length + 1);
    expect(wholeOps.filter((op) => op === 'unregister')).toHaveLength(1);
    expect(wholeOps.filter((op) => op === 'lab')).toEqual([]);
    const summaries = items.flatMap((i) => (i.kind === 'summary' ? [i.summary] : []));
    expect(summaries.reduce((n, s) => n + s.labOps, 0)).toBe(60 * 8);
    // A viewer that does not take summaries gets the batch itself.
    expect(batches.every((b) => summarizedFor(b, false) === b)).toBe(true);
  });

  test('a timeline built from the summaries ends where one built from every record does', async () => {
    const batches = await denseStream({ summarizeAbove: 1, maxBatchItems: 40 });
    const fromRecords = timelineOf(batches);
    const fromSummaries = timelineOf(batches.map((b) => summarizedFor(b, true)));
    expect(fromSummaries.length).toBeLessThan(fromRecords.length / 4);
    expect(marks(fromSummaries)).toEqual(marks(fromRecords));
    expect(marks(fromRecords).hits.every((n) => n > 20)).toBe(true);
  });

  test("a watched process's feed counts the same from summaries as from every record", async () => {
    const batches = await denseStream({ summarizeAbove: 1, maxBatchItems: 40 });
    const feedOf = (stream: readonly PushBatch[]) => {
      const state = stream.flatMap((b) => b.items).find((i) => i.kind === 'state');
      if (state?.kind !== 'state') throw new Error('no state pushed');
      const feed = ProcessFeed.fromState(state.state);
      for (const batch of stream) expect(feed.applyItems(batch.items)).toBe(true);
      return feed;
    };
    const fromRecords = feedOf(batches);
    const fromSummaries = feedOf(batches.map((b) => summarizedFor(b, true)));
    expect(fromSummaries.view().counts).toEqual(fromRecords.view().counts);
    expect(fromRecords.view().counts.invalidations).toBeGreaterThan(100);
    expect(marks(fromSummaries.timeline)).toEqual(marks(fromRecords.timeline));
  });

  test('below the rate, or with summarizeAbove 0, nothing is summarized', async () => {
    const batches = await denseStream({ summarizeAbove: 0 });
    expect(batches.every((b) => summarizedFor(b, true) === b)).toBe(true);
    await h.session.close();
    const slow = await denseStream({ summarizeAbove: 1e9 });
    expect(slow.every((b) => summarizedFor(b, true) === b)).toBe(true);
  });
});
