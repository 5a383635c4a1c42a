// Opens the benchmark page (index.html + main.tsx) in Debian's Chromium
// (playwright-core), with a generated session of the given size loaded, and
// gives the drivers the page and a percentile helper. The page is a
// production build (what users run) served by Vite's preview server, or with
// --dev the Vite dev server (React's development build: slower, but with
// readable profiles).

import { fileURLToPath } from 'node:url';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { build, createServer, preview } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/** The p-th percentile of xs (nearest rank); 0 for no samples. */
export const percentile = (xs, p) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : 0);

/** Positional arguments and whether --dev was given. */
export function benchArgs(argv = process.argv.slice(2)) {
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--dev');
  if (unknown.length) throw new Error(`unknown option ${unknown[0]} (the only option is --dev)`);
  return { positional: argv.filter((a) => !a.startsWith('--')), dev: argv.includes('--dev') };
}

async function startServer(dev) {
  const common = { configFile: false, root: here, logLevel: 'error', plugins: [react()] };
  if (dev) {
    const server = await createServer({ ...common, server: { host: '127.0.0.1', port: 0, fs: { allow: [repo] } } });
    await server.listen();
    return { port: server.httpServer.address().port, close: () => server.close() };
  }
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'ummu-bench-'));
  await build({ ...common, mode: 'production', build: { outDir, emptyOutDir: true, reportCompressedSize: false } });
  const server = await preview({ ...common, build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
  return {
    port: server.httpServer.address().port,
    close: async () => {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** Runs use(page) on the loaded page, then closes the browser and the server. */
export async function withBenchPage({ registrations, events, dev = false }, use) {
  const server = await startServer(dev);
  const { port } = server;
  console.log(`page: ${dev ? 'development (Vite dev server)' : 'production build (Vite preview)'}`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
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
