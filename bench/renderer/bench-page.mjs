// Opens the benchmark page (index.html + main.tsx) in Debian's Chromium
// (playwright-core) over a Vite dev server, with a generated session of the
// given size loaded, and gives the drivers the page and a percentile helper.

import { fileURLToPath } from 'node:url';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/** The p-th percentile of xs (nearest rank); 0 for no samples. */
export const percentile = (xs, p) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : 0);

/** Runs use(page) on the loaded page, then closes the browser and the server. */
export async function withBenchPage({ registrations, events }, use) {
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
    return await use(page);
  } finally {
    await browser.close();
    await server.close();
  }
}
