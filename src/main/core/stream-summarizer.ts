// Watches a session's pushed batches and, while its records come faster
// than `summarizeAbove` a second, makes each batch's summarized form: its
// runs of high-volume records counted as summaries (shared/stream-summary.ts),
// everything else as it was. Viewers that greeted with `summaries` are sent
// that form (summarizedFor); the batch itself, which the journal's other
// consumers and every other viewer get, is untouched. Every record goes
// through the report fold, so each summary ends in the counter and the
// queued reports the records themselves would give.

import type { PushBatch, PushItem } from '../../shared/messages';
import { ReportFold, SummaryBuilder, isSummarizable } from '../../shared/stream-summary';
import { timelineRecordsOf } from '../../shared/timeline-records-of';

/** Records a second past which a session's stream is summarized for the viewers that take summaries (the default). */
export const SUMMARIZE_ABOVE = 4000;
/**
 * A stream becomes dense as soon as its rate over the last ENTER_WINDOW_MS
 * passes summarizeAbove (a burst is counted within a few batches, before
 * thousands of records go out one by one) and stays dense until its rate
 * over the last LEAVE_WINDOW_MS falls under half of that.
 */
const ENTER_WINDOW_MS = 100;
const LEAVE_WINDOW_MS = 500;

const summarized = new WeakMap<PushBatch, PushBatch>();

/** What a viewer is sent for `batch`: its summarized form when it takes summaries and the session made one. */
export const summarizedFor = (batch: PushBatch, takesSummaries: boolean): PushBatch => (takesSummaries ? (summarized.get(batch) ?? batch) : batch);

export class StreamSummarizer {
  private readonly fold = new ReportFold();
  private readonly builder = new SummaryBuilder();
  /** (time, records) of recent batches, oldest first. */
  private readonly recent: { at: number; records: number }[] = [];
  private recentRecords = 0;
  private dense = false;

  /** @param summarizeAbove records a second; 0 never summarizes. */
  constructor(private readonly summarizeAbove: number) {}

  /** Takes a batch about to be delivered (batches in order); attaches its summarized form when the stream is dense. */
  observe(batch: PushBatch, now: number): void {
    const records = batch.items.reduce((n, item) => (item.kind === 'record' ? n + 1 : n), 0);
    const dense = this.summarizeAbove > 0 && this.measure(records, now);
    if (!dense) {
      for (const item of batch.items) if (item.kind === 'record') for (const r of timelineRecordsOf(item.record)) this.fold.take(r);
      return;
    }
    const items: PushItem[] = [];
    const close = (): void => {
      if (this.builder.size > 0) items.push({ kind: 'summary', summary: this.builder.take(this.fold) });
    };
    for (const item of batch.items) {
      if (item.kind !== 'record') {
        items.push(item);
        continue;
      }
      const timeline = timelineRecordsOf(item.record);
      for (const r of timeline) this.fold.take(r);
      if (isSummarizable(item.record)) this.builder.add(item.n, item.record, timeline);
      else {
        close();
        items.push(item);
      }
    }
    close();
    summarized.set(batch, { ...batch, items });
  }

  /** Whether the stream is dense after a batch of `records` at `now` (see ENTER_WINDOW_MS). */
  private measure(records: number, now: number): boolean {
    this.recent.push({ at: now, records });
    this.recentRecords += records;
    while ((this.recent[0]?.at ?? now) < now - LEAVE_WINDOW_MS) this.recentRecords -= this.recent.shift()?.records ?? 0;
    if (this.dense) {
      this.dense = (this.recentRecords * 1000) / LEAVE_WINDOW_MS >= this.summarizeAbove / 2;
    } else {
      let latest = 0;
      for (let i = this.recent.length - 1; i >= 0 && (this.recent[i]?.at ?? 0) >= now - ENTER_WINDOW_MS; i--) latest += this.recent[i]?.records ?? 0;
      this.dense = (latest * 1000) / ENTER_WINDOW_MS >= this.summarizeAbove;
    }
    return this.dense;
  }
}
