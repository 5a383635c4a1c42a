// What the timeline's follow button said while a lab stream ran, and how
// far behind the drawn timeline truly was at each moment, by the driver's
// clock: sampled while the stream runs and until the page has drawn its
// last record (catching up is where a slow page is behind longest).

import { launchChromium, newPage } from './chromium';
import { LabStream, epochNow, type StreamResult } from './lab-stream';
import { call } from './page-probes';
import { helloState, type ServeSuite } from './serve-process';
import { WorkbenchPage } from './workbench-page';

/** The app's page at 1440x900 in the suite's browser, and a driver with 32 registrations and auto-read on, its clock related to the server's. */
export async function openStreamingPage(suite: ServeSuite): Promise<{ wb: WorkbenchPage; stream: LabStream; offset: number }> {
  const browser = (suite.browser = await launchChromium({ width: 1440, height: 900 }));
  const wb = await WorkbenchPage.open(await newPage(browser, true), suite.serve.url);
  await wb.byTestId('follow-live').waitFor();
  const stream = await LabStream.connect(suite.serve.url, (await helloState(suite.serve.url)).arena.pages);
  await stream.prepare(32);
  return { wb, stream, offset: (await stream.clockOffset()).offset };
}

/** Behind by more than this (well past what the page calls live, 0.5 s) must never read "Following live". */
export const CLEARLY_BEHIND_MS = 2000;

/** `() => [status text, journal record the timeline last drew through]`. */
const STATUS_AND_DRAWN = `() => {
  const through = document.querySelector('[data-testid="timeline-canvas"]')?.dataset.drawnThrough;
  return [document.querySelector('[data-testid="follow-live"]')?.textContent ?? '', through ? Number(through) : null];
}`;

export interface StatusSample {
  status: string;
  /** How long the oldest record not drawn yet had existed (0: all drawn; null: nothing drawn yet). */
  behindMs: number | null;
}

export interface FollowedStream {
  result: StreamResult;
  seen: StatusSample[];
  /** The last record the timeline had drawn through when sampling stopped. */
  drawnLast: number | null;
}

/**
 * Streams `perSecond` lab operations for `seconds` and samples the page every
 * 100 ms until it has drawn the stream's last record (or `timeoutMs`);
 * `duringStream` runs after a sample while the stream is still going.
 */
export async function followStream(
  wb: WorkbenchPage,
  stream: LabStream,
  offset: number,
  { perSecond, seconds, timeoutMs, duringStream }: { perSecond: number; seconds: number; timeoutMs: number; duringStream?: (seen: readonly StatusSample[]) => Promise<void> },
): Promise<FollowedStream> {
  let done: StreamResult | null = null;
  const streaming = stream.stream(perSecond, seconds).then((result) => (done = result));
  const seen: StatusSample[] = [];
  let drawnLast: number | null = null;
  const caughtUp = (): boolean => {
    const last = (done as StreamResult | null)?.lastRecord ?? null;
    return last !== null && drawnLast !== null && drawnLast >= last;
  };
  const deadline = Date.now() + timeoutMs;
  while (!caughtUp() && Date.now() < deadline) {
    // Timed before the page is read, so the lag is a lower bound.
    const asked = epochNow();
    const latest = stream.latestRecord;
    const [status, drawn] = await wb.page.evaluate<[string, number | null]>(call(STATUS_AND_DRAWN));
    drawnLast = drawn;
    const oldestUndrawn = drawn === null || latest === null || drawn >= latest ? undefined : stream.recordTimes.get(drawn + 1);
    seen.push({ status, behindMs: drawn === null ? null : oldestUndrawn === undefined ? 0 : asked - (oldestUndrawn + offset) });
    if (done === null) await duringStream?.(seen);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const result = await streaming;
  return { result, seen, drawnLast };
}

/** Samples that said "Following live" while the page was clearly behind. */
export const claimedLiveWhileBehind = (seen: readonly StatusSample[]): StatusSample[] =>
  seen.filter((s) => s.behindMs !== null && s.behindMs > CLEARLY_BEHIND_MS && s.status === 'Following live');
