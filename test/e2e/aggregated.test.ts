// End to end in Chromium against serve mode with its default summary rate:
// a stream far denser than that (lab operations through the app's own
// WebSocket, 32 registrations, auto-read on) is shown counted. The timeline
// says "aggregated" while it is, never "Following live" while it is well
// behind, draws through the stream's last record, and says "Following live"
// once the stream has stopped. The event log shows the summaries' counts.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { haveChromium, launchChromium, newPage } from './chromium';
import { LabStream, epochNow, type StreamResult } from './lab-stream';
import { call } from './page-probes';
import { helloState, serveForSuite } from './serve-process';
import { WorkbenchPage } from './workbench-page';

const suite = serveForSuite(['--backend', 'model']);

/** Behind by more than this must never read "Following live". */
const CLEARLY_BEHIND_MS = 2000;

const STATUS_AND_DRAWN = `() => {
  const through = document.querySelector('[data-testid="timeline-canvas"]')?.dataset.drawnThrough;
  return [document.querySelector('[data-testid="follow-live"]')?.textContent ?? '', through ? Number(through) : null];
}`;

describe.skipIf(!haveChromium)('a stream too dense to show record by record, in Chromium', () => {
  let wb: WorkbenchPage;
  let stream: LabStream;
  let offset = 0;

  beforeAll(async () => {
    const browser = (suite.browser = await launchChromium({ width: 1440, height: 900 }));
    wb = await WorkbenchPage.open(await newPage(browser, true), suite.serve.url);
    await wb.byTestId('follow-live').waitFor();
    stream = await LabStream.connect(suite.serve.url, (await helloState(suite.serve.url)).arena.pages);
    await stream.prepare(32);
    offset = (await stream.clockOffset()).offset;
  });

  afterAll(() => stream?.close());

  test('the timeline says it shows the stream aggregated, draws through its last record, and follows live once it stops', async () => {
    let done: StreamResult | null = null;
    const streaming = stream.stream(20000, 3).then((result) => (done = result));
    const seen: { status: string; behindMs: number | null }[] = [];
    let drawnLast: number | null = null;
    const caughtUp = (): boolean => {
      const last = (done as StreamResult | null)?.lastRecord ?? null;
      return last !== null && drawnLast !== null && drawnLast >= last;
    };
    const deadline = Date.now() + 60_000;
    while (!caughtUp() && Date.now() < deadline) {
      const asked = epochNow();
      const latest = stream.latestRecord;
      const [status, drawn] = await wb.page.evaluate<[string, number | null]>(call(STATUS_AND_DRAWN));
      drawnLast = drawn;
      const oldestUndrawn = drawn === null || latest === null || drawn >= latest ? undefined : stream.recordTimes.get(drawn + 1);
      seen.push({ status, behindMs: drawn === null ? null : oldestUndrawn === undefined ? 0 : asked - (oldestUndrawn + offset) });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await streaming;
    const result = done as StreamResult | null;
    expect(result?.lastRecord ?? null).not.toBeNull();
    expect(drawnLast).toBeGreaterThanOrEqual(result?.lastRecord as number);
    expect(seen.some((s) => /^Following live, aggregated: [\d,]+ records\/s$/.test(s.status))).toBe(true);
    expect(seen.filter((s) => s.behindMs !== null && s.behindMs > CLEARLY_BEHIND_MS && s.status === 'Following live')).toEqual([]);
    await expect.poll(() => wb.byTestId('follow-live').textContent(), { timeout: 10_000 }).toBe('Following live');

    // The event log lists the summaries with their counts.
    await wb.byTestId('log-filter-kind').selectOption('summary');
    await expect.poll(() => wb.page.getByText(/records over .*, counted \(the stream was too dense/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
  }, 120_000);
});
