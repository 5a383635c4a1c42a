// End to end in Chromium against serve mode with its default summary rate:
// a stream far denser than that (lab operations through the app's own
// WebSocket, 32 registrations, auto-read on) is shown counted. The timeline
// says "aggregated" while it is, never "Following live" while it is well
// behind, draws through the stream's last record, and says "Following live"
// once the stream has stopped. The event log shows the summaries' counts.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { haveChromium } from './chromium';
import { claimedLiveWhileBehind, followStream, openStreamingPage } from './follow-status';
import { LabStream } from './lab-stream';
import { serveForSuite } from './serve-process';
import type { WorkbenchPage } from './workbench-page';

const suite = serveForSuite(['--backend', 'model']);

describe.skipIf(!haveChromium)('a stream too dense to show record by record, in Chromium', () => {
  let wb: WorkbenchPage;
  let stream: LabStream;
  let offset = 0;

  beforeAll(async () => {
    ({ wb, stream, offset } = await openStreamingPage(suite));
  });

  afterAll(() => stream?.close());

  test('the timeline says it shows the stream aggregated, draws through its last record, and follows live once it stops', async () => {
    const { result, seen, drawnLast } = await followStream(wb, stream, offset, { perSecond: 20000, seconds: 3, timeoutMs: 60_000 });
    expect(result.lastRecord).not.toBeNull();
    expect(drawnLast).toBeGreaterThanOrEqual(result.lastRecord as number);
    expect(seen.some((s) => /^Following live, aggregated: [\d,]+ records\/s$/.test(s.status))).toBe(true);
    expect(claimedLiveWhileBehind(seen)).toEqual([]);
    await expect.poll(() => wb.byTestId('follow-live').textContent(), { timeout: 10_000 }).toBe('Following live');

    // The event log lists the summaries with their counts.
    await wb.byTestId('log-filter-kind').selectOption('summary');
    await expect.poll(() => wb.page.getByText(/records over .*, counted \(the stream was too dense/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
  }, 120_000);
});
