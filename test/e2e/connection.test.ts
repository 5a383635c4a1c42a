// End to end in Chromium against serve mode: the connection survives bad
// input, a reload shows the same history, two tabs show the same session,
// and a page without the right token says how to get the right address.

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { haveChromium, launchChromium, newPage, type Browser } from './chromium';
import { serveForSuite } from './serve-process';
import { WorkbenchPage } from './workbench-page';

const suite = serveForSuite(['--backend', 'model']);
let browser: Browser | undefined;

async function openWorkbench(): Promise<WorkbenchPage> {
  if (!browser) throw new Error('no browser');
  const wb = await WorkbenchPage.open(await newPage(browser), suite.serve.url);
  await expect.poll(() => wb.byTestId('backend-kind').textContent()).toBe('model');
  return wb;
}

/** What the event log lists, row by row. */
const logRows = (page: Page): Promise<string[]> => page.locator('[data-testid="log-row"]').allTextContents();

describe.skipIf(!haveChromium)('the connection in Chromium', () => {
  let wb: WorkbenchPage;

  beforeAll(async () => {
    browser = suite.browser = await launchChromium();
  });

  test('a cookie of 2^64 is refused in the form, and a read() buffer of 1.5 too, saying why', async () => {
    wb = await openWorkbench();
    await wb.selectPages(0, 3);
    await wb.byTestId('register-cookie').fill('18446744073709551616');
    expect(await wb.byTestId('register-button').isDisabled()).toBe(true);
    expect(await wb.byTestId('register-cookie-problem').textContent()).toMatch(/64 bits: at most 18446744073709551615/);
    await wb.byTestId('register-cookie').fill('18446744073709551615');
    expect(await wb.byTestId('register-cookie-problem').count()).toBe(0);
    expect(await wb.byTestId('register-button').isDisabled()).toBe(false);

    await wb.byTestId('read-buffer-events').fill('1.5');
    expect(await wb.byTestId('read-button').isDisabled()).toBe(true);
    expect(await wb.byTestId('read-buffer-problem').textContent()).toMatch(/whole number from 1 to 128/);
    await wb.byTestId('read-buffer-events').fill('4');
    expect(await wb.byTestId('read-button').isDisabled()).toBe(false);
  });

  test('sent raw over the WebSocket, a cookie of 2^64 is answered with an error and the connection stays up', async () => {
    // Run in the page (its origin, its token), as a page script would: a string, so nothing of this module leaks in.
    const answer = await wb.page.evaluate<{ refused: unknown; hello: { id?: number; ok?: boolean }; open: boolean }>(`(async () => {
      const url = new URL(${JSON.stringify(suite.serve.url.href)});
      const ws = new WebSocket('ws://' + url.host + '/ws' + url.search);
      await new Promise((resolve) => ws.addEventListener('open', resolve));
      const answers = [];
      const waiting = [];
      ws.addEventListener('message', (m) => {
        const frame = JSON.parse(String(m.data));
        if (frame.type === 'push') return;
        const wake = waiting.shift();
        if (wake) wake(frame); else answers.push(frame);
      });
      const next = () => new Promise((resolve) => (answers.length ? resolve(answers.shift()) : waiting.push(resolve)));
      const op = { op: 'register', start: '0x0', end: '0x1000', cookie: '0x10000000000000000', flags: 0 };
      ws.send(JSON.stringify({ id: 1, request: { kind: 'op', op } }));
      const refused = await next();
      ws.send(JSON.stringify({ id: 2, request: { kind: 'hello' } }));
      const hello = await next();
      const open = ws.readyState === WebSocket.OPEN;
      ws.close();
      return { refused, hello: { id: hello.id, ok: hello.response.ok }, open };
    })()`);
    expect(answer.refused).toEqual({
      type: 'response',
      id: 1,
      response: { ok: false, error: { code: 'CodecError', message: 'frame.request.op.cookie: expected a 0x-prefixed hex u64' } },
    });
    expect(answer.hello).toEqual({ id: 2, ok: true });
    expect(answer.open).toBe(true);
    // The page's own connection did not notice anything.
    expect(await wb.byTestId('connection-status').count()).toBe(0);
  });

  test('a reload shows the same history and the same counter', async () => {
    await wb.selectPages(0, 3);
    await wb.byTestId('register-cookie').fill('42');
    await wb.byTestId('register-button').click();
    await wb.selectPages(1, 1);
    await wb.byTestId('lab-munmap').click();
    await expect.poll(() => wb.queueCookies()).toEqual(['0x2a']);
    await wb.byTestId('read-button').click();
    await expect.poll(() => wb.byTestId('queue-empty').count()).toBe(1);
    await wb.selectPages(2, 2);
    await wb.byTestId('lab-munmap').click();
    await expect.poll(() => wb.byTestId('counter-value').textContent()).toBe('2');
    await expect.poll(() => wb.logKinds()).toEqual(['register', 'invalidation', 'lab', 'read', 'invalidation', 'lab']);
    const before = { rows: await logRows(wb.page), count: await wb.byTestId('log-count').textContent(), counter: await wb.byTestId('counter-value').textContent() };

    await wb.page.reload();
    await expect.poll(() => wb.logKinds()).toEqual(['register', 'invalidation', 'lab', 'read', 'invalidation', 'lab']);
    expect(await logRows(wb.page)).toEqual(before.rows);
    expect(await wb.byTestId('log-count').textContent()).toBe(before.count);
    expect(await wb.byTestId('counter-value').textContent()).toBe(before.counter);
    expect(await wb.queueCookies()).toEqual(['0x2a']);
  });

  test('two tabs agree: what one does, and a new session opened in the other, show in both', async () => {
    const a = wb;
    const b = await openWorkbench();
    await expect.poll(() => logRows(b.page)).toEqual(await logRows(a.page));

    await b.byTestId('new-session-model').click();
    await expect.poll(() => a.byTestId('session-mode').textContent()).toBe('not negotiated yet');
    await expect.poll(() => a.logKinds()).toEqual([]);
    expect(await a.byTestId('queue-empty').count()).toBe(1);

    await b.selectPages(4, 5);
    await b.byTestId('register-cookie').fill('0x77');
    await b.byTestId('register-button').click();
    await a.selectPages(4, 4);
    await a.byTestId('lab-munmap').click();
    await expect.poll(() => b.logKinds()).toEqual(['register', 'invalidation', 'lab']);
    await expect.poll(() => a.logKinds()).toEqual(['register', 'invalidation', 'lab']);
    await expect.poll(() => b.queueCookies()).toEqual(['0x77']);
    expect(await a.queueCookies()).toEqual(['0x77']);
    expect(await logRows(a.page)).toEqual(await logRows(b.page));
    await b.page.close();
  });

  test('a page without the token, or with a wrong one, says so and how to get the right address', async () => {
    const page = wb.page;
    for (const [search, problem] of [
      ['', 'missing'],
      ['?token=0123', 'wrong'],
    ] as const) {
      const response = await page.goto(`${suite.serve.url.origin}/${search}`);
      expect(response?.status()).toBe(401);
      expect(await page.getByTestId('token-refused').getAttribute('data-problem')).toBe(problem);
      expect(await page.locator('h1').textContent()).toBe(`ummunotify: access token ${problem}`);
      expect(await page.locator('body').textContent()).toContain('npm run serve');
    }
  });
});
