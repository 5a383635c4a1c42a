// End to end in Chromium against serve mode: a process busier than the
// page can follow. Lab operations stream in through the app's own
// WebSocket (32 registrations, auto-read on) while the page's CPU is
// slowed down (DevTools' CPU throttling), so that it falls behind on any
// machine. The timeline must say how far behind it is, never "Following
// live" while it is well behind, and "Following live" again once it has
// caught up; a click must still be answered during the stream. Timings
// are measured by bench/app, not asserted here.

import type { CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { haveChromium } from './chromium';
import { claimedLiveWhileBehind, followStream, openStreamingPage } from './follow-status';
import { LabStream } from './lab-stream';
import { serveForSuite } from './serve-process';
import type { WorkbenchPage } from './workbench-page';

// Summaries off: this page must fall behind, and say so (aggregated.test.ts covers a stream shown counted).
const suite = serveForSuite(['--backend', 'model', '--summarize-above', '0']);

/** The page's CPU runs this many times slower than the machine's. */
const CPU_SLOWDOWN = 10;

describe.skipIf(!haveChromium)('keeping up with a fast process in Chromium', () => {
  let wb: WorkbenchPage;
  let stream: LabStream;
  let cdp: CDPSession;
  let offset = 0;

  beforeAll(async () => {
    ({ wb, stream, offset } = await openStreamingPage(suite));
    cdp = await wb.page.context().newCDPSession(wb.page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  });

  afterAll(async () => {
    stream?.close();
    await cdp?.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  });

  test('behind, the timeline says by how much and not "Following live"; caught up, it follows live again; clicks are answered meanwhile', async () => {
    let themeClicks = 0;
    // 3 s at up to 20k ops/s: a 10x slowed page falls behind on any machine, and a fast server does not bury it.
    const { result, seen, drawnLast } = await followStream(wb, stream, offset, {
      perSecond: 20000,
      seconds: 3,
      timeoutMs: 150_000,
      duringStream: async (samples) => {
        if (samples.length % 10 !== 1) return;
        // A real click on a control while the page is busy: its answer is the control's text changing.
        const before = await wb.byTestId('theme-toggle').textContent();
        await wb.byTestId('theme-toggle').click();
        await expect.poll(() => wb.byTestId('theme-toggle').textContent(), { timeout: 10_000 }).not.toBe(before);
        themeClicks++;
      },
    });
    expect(result.lastRecord).not.toBeNull();
    // Once everything is drawn, it follows live again.
    expect(drawnLast).toBeGreaterThanOrEqual(result.lastRecord as number);
    await expect.poll(() => wb.byTestId('follow-live').textContent(), { timeout: 10_000 }).toBe('Following live');
    expect(themeClicks).toBeGreaterThan(0);
    // The stream did put the page behind (or this test shows nothing)...
    expect(seen.some((s) => /^Behind live by \d+\.\d s$/.test(s.status))).toBe(true);
    // ...and while it was clearly behind, it never claimed to follow live.
    expect(claimedLiveWhileBehind(seen)).toEqual([]);
  }, 240_000);
});
