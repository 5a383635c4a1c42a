// Renderer benchmark: the workbench in Debian's Chromium (playwright-core)
// over a Vite dev server, with 100k registrations and 1M recorded events.
// Prints frame-time percentiles of pan and zoom animations and their ratio
// to idle frames, from this one run. Usage:
//   node bench/renderer/frame-times.mjs [registrations] [events] [screenshot.png]

import { fileURLToPath } from 'node:url';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const registrations = Number(process.argv[2] ?? 100000);
const events = Number(process.argv[3] ?? 1000000);
const screenshot = process.argv[4];

const server = await createServer({
  configFile: false,
  root: here,
  logLevel: 'error',
  plugins: [react()],
  server: { host: '127.0.0.1', port: 0, fs: { allow: [repo] } },
});
await server.listen();
const { port } = server.httpServer.address();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${port}/index.html?registrations=${registrations}&events=${events}`);
  await page.waitForFunction(() => window.bench?.ready(), null, { timeout: 300000 });
  console.log(`loaded ${registrations} registrations and ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const idle = await page.evaluate(() => window.bench.idle());
  const idleP50 = pct(idle, 50);
  console.log(`idle frame: p50 ${idleP50.toFixed(1)} ms`);
  for (const [name, run] of [
    ['timeline pan (1/20 of the recording)', () => page.evaluate(() => window.bench.panTimeline(0.05))],
    ['timeline zoom (whole recording inward)', () => page.evaluate(() => window.bench.zoomTimeline())],
    ['address map pan (2048 pages)', () => page.evaluate(() => window.bench.panMap(2048))],
    ['address map zoom (whole arena inward)', () => page.evaluate(() => window.bench.zoomMap())],
  ]) {
    await page.evaluate(() => window.bench.reset());
    const times = await run();
    const p50 = pct(times, 50);
    const p95 = pct(times, 95);
    console.log(`${name}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${(p95 / idleP50).toFixed(1)}x an idle frame)`);
  }
  if (screenshot) {
    await page.evaluate(() => window.bench.reset());
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshot });
    console.log(`screenshot: ${screenshot}`);
  }
} finally {
  await browser.close();
  await server.close();
}
