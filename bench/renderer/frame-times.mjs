// Renderer benchmark: the workbench in Debian's Chromium (playwright-core),
// production build (--dev: Vite dev server), with 100k registrations and 1M
// recorded events.
// Prints frame-time percentiles of pan and zoom animations and their ratio
// to idle frames, from this one run. Usage:
//   node bench/renderer/frame-times.mjs [registrations] [events] [screenshot.png] [--dev]

import { benchArgs, percentile, withBenchPage } from './bench-page.mjs';

const { positional: args, dev } = benchArgs();

const registrations = Number(args[0] ?? 100000);
const events = Number(args[1] ?? 1000000);
const screenshot = args[2];

await withBenchPage({ registrations, events, dev }, async (page) => {
  const idle = await page.evaluate(() => window.bench.idle());
  const idleP50 = percentile(idle, 50);
  console.log(`idle frame: p50 ${idleP50.toFixed(1)} ms`);
  for (const [name, run] of [
    ['timeline pan (1/20 of the recording)', () => page.evaluate(() => window.bench.panTimeline(0.05))],
    ['timeline zoom (whole recording inward)', () => page.evaluate(() => window.bench.zoomTimeline())],
    ['address map pan (2048 pages)', () => page.evaluate(() => window.bench.panMap(2048))],
    ['address map zoom (whole arena inward)', () => page.evaluate(() => window.bench.zoomMap())],
  ]) {
    await page.evaluate(() => window.bench.reset());
    const times = await run();
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    console.log(`${name}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${(p95 / idleP50).toFixed(1)}x an idle frame)`);
  }
  if (screenshot) {
    await page.evaluate(() => window.bench.reset());
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshot });
    console.log(`screenshot: ${screenshot}`);
  }
});
