// Keeping up: the whole path at the rate a busy process produces. Serve
// mode (production build, model backend) with 32 registrations and
// auto-read on; lab operations sent through the app's own WebSocket at
// each rate (op -> backend -> session -> journal -> batcher -> WebSocket ->
// renderer store -> timeline) while the app's page in Debian's Chromium is
// measured: frame times, long tasks, the latency of real clicks on a
// control, and display lag (an op's record in the session to the timeline
// frame that draws it; the server's clock is related to the page's by a
// round-trip-corrected offset). One run: an idle baseline, then each rate;
// prints absolute figures and ratios to idle. Usage:
//   node bench/app/run.mjs [seconds per phase] [rates...] [--profile DIR] [--summarize-above N]

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, newPage } from '../../test/e2e/chromium';
import { call } from '../../test/e2e/page-probes';
import { LabStream, epochNow } from '../../test/e2e/lab-stream';
import { ensureBuilt, helloState, startServe } from '../../test/e2e/serve-process';
import { SUMMARIZE_ABOVE } from '../../src/main/core/stream-summarizer';
import { DRAWN_THROUGH, START_METER, STOP_METER, type PageMeasures } from './page-meter';

const argv = process.argv.slice(2);
/** The value of `--flag VALUE`, and the positions it takes. */
const option = (flag: string): { value: string | undefined; at: number[] } => {
  const at = argv.indexOf(flag);
  return at < 0 ? { value: undefined, at: [] } : { value: argv[at + 1], at: [at, at + 1] };
};
const profile = option('--profile');
const profileDir = profile.value;
// serve's own option: the records a second past which the page gets dense stretches counted (0: never).
const summarizeAbove = option('--summarize-above');
const positional = argv.filter((_, i) => !profile.at.includes(i) && !summarizeAbove.at.includes(i));
const seconds = Number(positional[0] ?? 8);
const rates = positional.length > 1 ? positional.slice(1).map(Number) : [5000, 20000];
const REGISTRATIONS = 32;
const CLICK_TARGET = 'theme-toggle';
/** How long the page may take to draw the last record once the stream stops. */
const CATCH_UP_MS = 30_000;

interface Phase {
  name: string;
  rate: number;
  opsPerSecond: number;
  page: PageMeasures;
  /** Display lag of each journal record of the stream, ms; records never drawn are counted apart. */
  lags: number[];
  undrawn: number;
  statusAtEnd: string;
  caughtUpMs: number | null;
  /** With --profile: the long tasks of the page's main thread in the trace, with the CPU time it ran in each. */
  tracedLongTasks: { wallMs: number; cpuMs: number }[] | null;
}

/** The p-th percentile of xs (nearest rank, as bench/renderer's); 0 for no samples. */
const percentile = (xs: number[], p: number): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0 : 0);
const max = (xs: number[]): number => xs.reduce((a, b) => Math.max(a, b), 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a');

async function drawnThrough(page: Page): Promise<number | null> {
  return page.evaluate(call(DRAWN_THROUGH)) as Promise<number | null>;
}

/** Clicks the control every `everyMs` until stopped (real input events, as a user's). */
function clicker(page: Page, everyMs: number): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await sleep(everyMs);
      const box = await page.getByTestId(CLICK_TARGET).boundingBox();
      if (box && running) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** For each record from first to last, the epoch time of the first draw that shows it minus its session time. */
function displayLags(stream: LabStream, offset: number, drawn: [number, number][], first: number, last: number): { lags: number[]; undrawn: number } {
  const lags: number[] = [];
  let undrawn = 0;
  let d = 0;
  for (let n = first; n <= last; n++) {
    const t = stream.recordTimes.get(n);
    if (t === undefined) continue;
    while (d < drawn.length && (drawn[d]?.[1] ?? -1) < n) d++;
    const mark = drawn[d];
    if (mark) lags.push(mark[0] - (t + offset));
    else undrawn++;
  }
  return { lags, undrawn };
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Tasks of 50 ms or more on the page's main thread (CrRendererMain) in a
 * trace: how long each took and how much of that the thread ran. The rest
 * it waited for a core (the server, the driver or anything else running).
 */
function longTasksInTrace(events: readonly TraceEvent[]): { wallMs: number; cpuMs: number }[] {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  return events
    .filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && (e.dur ?? 0) >= 50_000)
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
}

/**
 * With --profile DIR: the phase's JavaScript CPU profile (NAME.cpuprofile),
 * a Chromium trace (NAME.trace.json, for DevTools' Performance panel), and
 * the long tasks the trace holds with their CPU time; without, null.
 */
async function profiled<T>(page: Page, name: string, run: () => Promise<T>): Promise<{ result: T; longTasks: { wallMs: number; cpuMs: number }[] | null }> {
  if (!profileDir) return { result: await run(), longTasks: null };
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const traced = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,devtools.timeline.frame', transferMode: 'ReportEvents' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  let result: T;
  try {
    result = await run();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.send('Tracing.end');
    await traced;
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
    writeFileSync(join(profileDir, `${name}.trace.json`), JSON.stringify({ traceEvents: events }));
    await cdp.detach();
  }
  return { result, longTasks: longTasksInTrace(events) };
}

async function runPhase(page: Page, stream: LabStream, offset: number, rate: number): Promise<Phase> {
  const name = rate === 0 ? 'idle' : `${rate} ops/s`;
  const { result: phase, longTasks } = await profiled(page, name.replace(/[^a-z0-9]+/g, '-'), async () => {
    await page.evaluate(call(START_METER, CLICK_TARGET));
    const clicks = clicker(page, 700);
    const result = rate > 0 ? await stream.stream(rate, seconds) : (await sleep(seconds * 1000), null);
    await clicks.stop();
    const statusAtEnd = (await page.getByTestId('follow-live').textContent({ timeout: 60_000 })) ?? '';
    const stoppedAt = epochNow();
    let caughtUpMs: number | null = null;
    if (result?.lastRecord != null) {
      while (epochNow() - stoppedAt < CATCH_UP_MS) {
        if (((await drawnThrough(page)) ?? -1) >= result.lastRecord) {
          caughtUpMs = epochNow() - stoppedAt;
          break;
        }
        await sleep(50);
      }
    }
    const measures = (await page.evaluate(call(STOP_METER))) as PageMeasures;
    const { lags, undrawn } =
      result?.firstRecord != null && result.lastRecord != null
        ? displayLags(stream, offset, measures.drawn, result.firstRecord, result.lastRecord)
        : { lags: [], undrawn: 0 };
    const opsPerSecond = result ? (result.sent * 1000) / result.ms : 0;
    return { name, rate, opsPerSecond, page: measures, lags, undrawn, statusAtEnd, caughtUpMs, tracedLongTasks: null };
  });
  return { ...phase, tracedLongTasks: longTasks };
}

function report(phase: Phase, idle: Phase | undefined): void {
  const { frames, longTasks, clicks } = phase.page;
  const maxTask = max(longTasks);
  const maxClick = max(clicks);
  console.log(`\n${phase.name}${phase.rate ? ` (achieved ${phase.opsPerSecond.toFixed(0)} ops/s: sent, answered)` : ''}:`);
  console.log(`  frames: p50 ${fmt(percentile(frames, 50))} ms, p95 ${fmt(percentile(frames, 95))} ms (${frames.length} frames)`);
  console.log(`  long tasks: ${longTasks.length}, max ${fmt(maxTask)} ms`);
  const traced = phase.tracedLongTasks;
  if (traced?.length)
    console.log(
      `  in the trace (the whole phase, profiling's own start included): ${traced.length} tasks of 50 ms or more; the page's main thread ran in them ` +
        `at most ${fmt(max(traced.map((t) => t.cpuMs)))} ms (median ${fmt(percentile(traced.map((t) => t.cpuMs), 50))} ms), and waited for a core the rest of the time`,
    );
  console.log(`  click to visible response: ${clicks.length} clicks, p50 ${fmt(percentile(clicks, 50))} ms, max ${fmt(maxClick)} ms`);
  if (phase.rate) {
    const maxLag = max(phase.lags);
    console.log(
      `  display lag: p50 ${fmt(percentile(phase.lags, 50))} ms, p95 ${fmt(percentile(phase.lags, 95))} ms, max ${fmt(maxLag)} ms over ${phase.lags.length} records` +
        (phase.undrawn ? `; ${phase.undrawn} not drawn within ${CATCH_UP_MS / 1000} s` : ''),
    );
    console.log(
      `  when the stream stopped the timeline said "${phase.statusAtEnd}"; drawn through the last record ${phase.caughtUpMs === null ? `not within ${CATCH_UP_MS / 1000} s` : `${fmt(phase.caughtUpMs)} ms later`}`,
    );
  }
  if (idle && phase !== idle) {
    const idleFrames = idle.page.frames;
    console.log(
      `  vs idle: frame p50 ${ratio(percentile(frames, 50), percentile(idleFrames, 50))}, frame p95 ${ratio(percentile(frames, 95), percentile(idleFrames, 95))}, ` +
        `click p50 ${ratio(percentile(clicks, 50), percentile(idle.page.clicks, 50))}, long tasks ${longTasks.length} vs ${idle.page.longTasks.length}`,
    );
    const lagP95 = percentile(phase.lags, 95);
    const verdict = maxTask <= 50 && maxClick <= 100 && lagP95 <= 250 && phase.undrawn === 0;
    console.log(`  targets (no task > 50 ms, clicks <= 100 ms, lag p95 < 250 ms): ${verdict ? 'met' : 'not met'}`);
  }
}

ensureBuilt();
// With --profile, the server's CPU profile is written there too (when it exits).
const serveArgs = ['--backend', 'model', ...(summarizeAbove.value === undefined ? [] : ['--summarize-above', summarizeAbove.value])];
const serve = await startServe(serveArgs, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
const browser = await launchChromium({ width: 1440, height: 900 });
let stream: LabStream | undefined;
try {
  const page = await newPage(browser, true);
  await page.goto(serve.url.href);
  await page.getByTestId('follow-live').waitFor();
  const { arena } = await helloState(serve.url);
  stream = await LabStream.connect(serve.url, arena.pages);
  await stream.prepare(REGISTRATIONS);
  const { offset, errorMs } = await stream.clockOffset();
  console.log(`serve mode (model backend, production build), Chromium 1440x900; ${REGISTRATIONS} registrations, auto-read on; ${seconds} s per phase`);
  const { value } = summarizeAbove;
  console.log(`summaries: ${value === undefined ? `past ${SUMMARIZE_ABOVE} records/s (the default)` : value === '0' ? 'never (--summarize-above 0)' : `past ${value} records/s`}`);
  console.log(`server clock offset known to within ${errorMs.toFixed(2)} ms`);
  const load = () => `load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs`;
  console.log(`${load()} at the start (figures under load are upper bounds)`);
  const phases: Phase[] = [];
  for (const rate of [0, ...rates]) {
    phases.push(await runPhase(page, stream, offset, rate));
    report(phases[phases.length - 1] as Phase, phases[0]);
  }
  console.log(`\n${load()} at the end`);
} finally {
  stream?.close();
  await browser.close();
  await serve.stop();
}
