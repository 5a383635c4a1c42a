// End to end: serve mode in Debian's Chromium, over HTTP, driven by
// playwright-core; the whole pipeline from a click to the model backend
// and back through the WebSocket.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { ensureBuilt, root, startServe, type ServeProcess } from './serve-process';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let serve: ServeProcess;
let context: BrowserContext | undefined;
let profile: string;
let page: Page;

const haveChromium = existsSync(CHROMIUM);

beforeAll(async () => {
  ensureBuilt();
  serve = await startServe(['--backend', 'model']);
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await serve?.stop();
});

/** Opens a WebSocket to `url`; resolves with the HTTP status of a refusal, or 101 when accepted. */
function wsStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (err) => reject(err));
  });
}

describe('the WebSocket requires the token', () => {
  const wsUrl = (query: string): string => `ws://${serve.url.host}/ws${query}`;

  test('with the printed token it is accepted', async () => {
    expect(await wsStatus(wsUrl(serve.url.search))).toBe(101);
  });

  test('without a token it is refused', async () => {
    expect(await wsStatus(wsUrl(''))).toBe(401);
  });

  test('with a wrong token it is refused', async () => {
    expect(await wsStatus(wsUrl('?token=0123'))).toBe(401);
  });

  test('from another web origin it is refused even with the token', async () => {
    expect(await wsStatus(wsUrl(serve.url.search), 'http://evil.example')).toBe(403);
  });
});

describe('static files', () => {
  test('the renderer is served with a Content-Security-Policy', async () => {
    const response = await fetch(new URL('/', serve.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  test('nothing outside the built renderer is served', async () => {
    const response = await fetch(new URL('/..%2f..%2fpackage.json', serve.url));
    expect(response.status).not.toBe(200);
  });
});

describe.skipIf(!haveChromium)('the renderer in Chromium', () => {
  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'ummunotify-e2e-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => console.error('page error:', err));
    await page.goto(serve.url.href);
  });

  const text = (id: string) => page.getByTestId(id);

  test('shows the backend and why it was chosen', async () => {
    await expect.poll(() => text('backend-kind').textContent()).toBe('model');
    expect(await text('backend-selection').textContent()).toBe('model: chosen by the user');
  });

  test('register, invalidate, see the queue, read, see it drain and LAST arrive with the counter', async () => {
    await text('register-page').fill('0');
    await text('register-pages').fill('4');
    await text('register-cookie').fill('42');
    await text('register-submit').click();
    await expect.poll(() => page.getByTestId('registration-row').count()).toBe(1);
    expect(await page.getByTestId('registration-row').getAttribute('data-cookie')).toBe('42');

    await text('lab-op').selectOption('munmap');
    await text('lab-page').fill('2');
    await text('lab-pages').fill('1');
    await text('lab-submit').click();
    await expect.poll(() => page.getByTestId('queue-item').allTextContents()).toEqual(['cookie 42']);
    expect(await text('counter').textContent()).toBe('1');
    expect(await text('registration-state').textContent()).toBe('queued (hint)');

    await text('read-size').fill('8');
    await text('read-submit').click();
    await expect.poll(() => page.getByTestId('queue-item').count()).toBe(0);
    await expect.poll(() => page.getByTestId('event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')))).toEqual([
      'INVAL',
      'LAST',
    ]);
    expect(await text('last-counter').textContent()).toBe('1');
    expect(await text('fast-path').textContent()).toMatch(/^unchanged/);

    mkdirSync(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results/serve-e2e.png'), fullPage: true });
  });

  test('a bad recording is reported with its line and problem', async () => {
    await text('open-recording').setInputFiles({ name: 'broken.ummutrace', mimeType: 'application/x-ndjson', buffer: Buffer.from('garbage\n') });
    await expect.poll(() => text('error').getAttribute('data-code')).toBe('RecordingError');
    expect(await text('error').textContent()).toMatch(/line 1:/);
  });
});
