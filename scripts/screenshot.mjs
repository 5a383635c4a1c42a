// Regenerates the README screenshot: serve mode (model backend) in
// Debian's Chromium, after a short scripted session.
//   node scripts/screenshot.mjs [docs/screenshot.png]

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = process.argv[2] ?? join(root, 'docs/screenshot.png');

const serve = spawn(process.execPath, [join(root, 'out/main/serve.js'), '--port', '0', '--backend', 'model'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  serve.once('exit', (code) => reject(new Error(`serve exited with ${code}; run npm run build first`)));
  serve.stdout.on('data', (chunk) => {
    const match = /listening on (\S+)/.exec(chunk.toString());
    if (match) resolve(match[1]);
  });
});

const profile = mkdtempSync(join(tmpdir(), 'ummunotify-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  viewport: { width: 1280, height: 760 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  const id = (testId) => page.getByTestId(testId);
  await id('feature-REASON').check();
  await id('exchange-features').click();
  for (const [first, pages] of [
    [0, 4],
    [2, 6],
    [10, 4],
  ]) {
    await id('register-page').fill(String(first));
    await id('register-pages').fill(String(pages));
    await id('register-submit').click();
  }
  await id('lab-op').selectOption('munmap');
  await id('lab-page').fill('0');
  await id('lab-pages').fill('1');
  await id('lab-submit').click();
  await id('read-submit').click();
  await id('lab-op').selectOption('madvise');
  await id('lab-page').fill('3');
  await id('lab-submit').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="queue-item"]').length === 2);
  await page.screenshot({ path: output });
  console.log(`screenshot: ${output}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  serve.kill();
}
