// End to end: serve mode in Debian's Chromium, over HTTP, driven by
// playwright-core; the whole pipeline from a click in the workbench to the
// model backend and back through the WebSocket: every lesson, the
// keyboard, every export and opening one again.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { haveChromium, openBrowser } from './chromium';
import { decodePng } from './png-decode';
import { EXPORT_KEYWORD, LESSONS, type LessonData } from './renderer-modules';
import { helloState, root, serveForSuite } from './serve-process';
import { FEATURE_QUERY, FEATURE_REASON } from '../../src/shared/domain';
import { traceProblems } from './trace-format';
import { LESSON_SHOWN, WorkbenchPage } from './workbench-page';

const suite = serveForSuite(['--backend', 'model']);
let page: Page;
let wb: WorkbenchPage;

const RESULTS = join(root, 'test-results');

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
  const wsUrl = (query: string): string => `ws://${suite.serve.url.host}/ws${query}`;

  test('with the printed token it is accepted', async () => {
    expect(await wsStatus(wsUrl(suite.serve.url.search))).toBe(101);
  });

  test('without a token it is refused', async () => {
    expect(await wsStatus(wsUrl(''))).toBe(401);
  });

  test('with a wrong token it is refused', async () => {
    expect(await wsStatus(wsUrl('?token=0123'))).toBe(401);
  });

  test('from another web origin it is refused even with the token', async () => {
    expect(await wsStatus(wsUrl(suite.serve.url.search), 'http://evil.example')).toBe(403);
  });
});

describe('static files', () => {
  test('the renderer is served with a Content-Security-Policy', async () => {
    const response = await fetch(suite.serve.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  test('nothing outside the built renderer is served', async () => {
    const response = await fetch(new URL('/..%2f..%2fpackage.json', suite.serve.url));
    expect(response.status).not.toBe(200);
  });
});

describe.skipIf(!haveChromium)('the workbench in Chromium', () => {
  beforeAll(async () => {
    const browser = (suite.browser = await openBrowser({ width: 1280, height: 800 }));
    page = browser.page;
    wb = await WorkbenchPage.open(page, suite.serve.url);
    mkdirSync(join(RESULTS, 'lessons'), { recursive: true });
  });

  const text = (id: string) => page.getByTestId(id);

  test('shows the backend and why it was chosen', async () => {
    await expect.poll(() => text('backend-kind').textContent()).toBe('model');
    expect(await text('backend-selection').textContent()).toBe('model: chosen by the user');
    expect(await text('workbench').isVisible()).toBe(true);
  });

  test('register, invalidate, see the queue, read, see it drain and LAST arrive with the counter', async () => {
    await wb.selectPages(0, 3);
    await text('register-cookie').fill('42');
    await text('register-button').click();
    await expect.poll(() => page.locator('[data-testid="log-row"]', { hasText: 'register' }).count()).toBe(1);
    expect(await page.locator('[data-testid="log-row"]', { hasText: 'register' }).textContent()).toContain('0x2a');

    await wb.selectPages(2, 2);
    await text('lab-munmap').click();
    await expect.poll(() => wb.queueCookies()).toEqual(['0x2a']);
    expect(await text('queue-row').locator('td').nth(2).textContent()).toBe('HINT');
    expect(await text('counter-value').textContent()).toBe('1');
    expect(await text('counter-verdict').textContent()).toBe('events pending');
    expect(await text('read-preview-event').allTextContents()).toEqual([expect.stringMatching(/^INVAL 0x2a HINT /), 'LAST counter 1']);

    await text('read-buffer-events').fill('8');
    await text('read-button').click();
    await expect.poll(() => text('queue-empty').count()).toBe(1);
    expect(await text('counter-last-last').textContent()).toBe('1');
    expect(await text('counter-verdict').textContent()).toBe('nothing queued: no read() needed');
    expect(await text('read-preview-eagain').count()).toBe(1);
    await expect.poll(() => wb.logKinds()).toEqual(['register', 'invalidation', 'lab', 'read']);
    expect(await page.locator('[data-testid="log-row"]', { hasText: 'buffer 8' }).textContent()).toMatch(/INVAL 0x2a HINT .*; LAST counter=1/);

    await page.screenshot({ path: join(RESULTS, 'serve-e2e.png') });
  });

  test('hovering a timeline lane tells its registration, beside the pointer and inside the timeline', async () => {
    const canvas = await text('timeline-canvas').boundingBox();
    if (!canvas) throw new Error('timeline not laid out');
    // The first registration lane, under the axis, the read() lane and the two counter lanes.
    const laneY = canvas.y + 20 + 16 * 3 + 8;
    for (const x of [canvas.x + 40, canvas.x + canvas.width - 4]) {
      await page.mouse.move(x, laneY);
      await expect.poll(() => text('timeline-tooltip').count()).toBe(1);
      const tip = await text('timeline-tooltip').textContent();
      expect(tip).toContain('cookie 0x2a');
      expect(tip).toContain('(4 pages)');
      expect(tip).toContain('still registered');
      const box = await text('timeline-tooltip').boundingBox();
      expect(box && box.x >= canvas.x && box.x + box.width <= canvas.x + canvas.width).toBe(true);
    }
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y - 40);
    await expect.poll(() => text('timeline-tooltip').count()).toBe(0);
  });

  test('a bad recording is reported with its line and problem', async () => {
    await text('open-recording').setInputFiles({ name: 'broken.ummutrace', mimeType: 'application/x-ndjson', buffer: Buffer.from('garbage\n') });
    await expect.poll(() => text('error').getAttribute('data-code')).toBe('RecordingError');
    expect(await text('error').textContent()).toMatch(/line 1:/);
    await text('error').getByRole('button').click();
  });

  describe('every lesson, step by step, on a fresh model session', () => {
    for (const lesson of LESSONS) {
      test(lesson.id, async () => {
        await wb.startLesson(lesson);
        for (const [i, step] of lesson.steps.entries()) {
          if (step.explain.startsWith('Clean up') && !lesson.steps[i - 1]?.explain.startsWith('Clean up')) {
            await page.screenshot({ path: join(RESULTS, 'lessons', `${lesson.id}.png`) });
          }
          expect(await text('lesson-next').textContent()).toContain(`Step ${i + 1}/${lesson.steps.length}`);
          await wb.doLessonStep(i + 1);
          const expected = step.expect;
          if (!expected) continue;
          await expect.poll(() => text('lesson-check').textContent(), { timeout: 5000 }).toBe(LESSON_SHOWN);
          if (expected.queue) {
            expect(await wb.queueCookies()).toEqual(expected.queue.map((r) => `0x${r.cookie.toString(16)}`));
            expect(await text('queue-row').evaluateAll((rows) => rows.map((r) => r.children[2]?.textContent))).toEqual(
              expected.queue.map((r) => r.report),
            );
          }
          if (expected.pending !== undefined) {
            expect(await text('counter-verdict').textContent()).toBe(expected.pending ? 'events pending' : 'nothing queued: no read() needed');
          }
        }
        await expect.poll(() => text('lesson-finished').count()).toBe(1);
        if (!existsSync(join(RESULTS, 'lessons', `${lesson.id}.png`))) await page.screenshot({ path: join(RESULTS, 'lessons', `${lesson.id}.png`) });
      });
    }
  });

  describe('lessons track what happened', () => {
    const lessonById = (id: string): LessonData => {
      const lesson = LESSONS.find((l) => l.id === id);
      if (!lesson) throw new Error(`no lesson ${id}`);
      return lesson;
    };

    test('starting a lesson gives a new session with its features, and the map on its pages', async () => {
      const lesson = LESSONS.find((l) => l.needs === FEATURE_REASON);
      if (!lesson) throw new Error('no lesson needs REASON alone');
      await text('lesson-select').selectOption(lesson.id);
      expect(await text('lesson-features').textContent()).toContain('Needs REASON');
      await wb.startLesson(lesson);
      const state = await helloState(suite.serve.url);
      expect((state.features?.granted ?? 0) & (FEATURE_REASON | FEATURE_QUERY)).toBe(FEATURE_REASON | FEATURE_QUERY);
      expect(await text('features-granted').textContent()).toBe('REASON QUERY');
      expect(await text('lesson-missing').count()).toBe(0);
      expect(await text('lessons').textContent()).not.toMatch(/Needs features 0x/);
      const base = BigInt(state.arena.base);
      const end = base + BigInt(lesson.pages * state.arena.pageSize);
      expect((await wb.viewState()).addressDomain).toEqual({ start: `0x${base.toString(16)}`, end: `0x${end.toString(16)}` });
      expect(await text('lesson-do').isDisabled()).toBe(false);
    });

    test('a step that fails does not advance and says why; a finished step keeps its verdict', async () => {
      const lesson = lessonById('partial-munmap-hint');
      await wb.startLesson(lesson);
      for (let i = 1; i <= 3; i++) await wb.doLessonStep(i);
      expect(await text('lesson-check').textContent()).toBe(LESSON_SHOWN);
      // Register the lesson's next cookie by hand: its own register must fail with the session's answer.
      await wb.fitAddressMap();
      await wb.selectPages(6, 6);
      await text('register-cookie').fill('0x101');
      await text('register-button').click();
      await expect.poll(() => page.locator('[data-testid="log-row"]', { hasText: 'register' }).count()).toBe(1);
      await text('lesson-do').click();
      await expect.poll(() => text('lesson-error').count()).toBe(1);
      expect(await text('lesson-error').textContent()).toMatch(/^Step 4 failed: EINVAL: register: cookie 0x101 is already registered/);
      expect(await text('lesson-next').textContent()).toMatch(/^Step 4\//);
      expect(await text('lesson-check').textContent()).toBe(LESSON_SHOWN);

      // A finished step: the drain left the queue empty, as step 3 says. A later munmap queues a report;
      // step 3's kept verdict stays green.
      await wb.selectPages(6, 6);
      await text('lab-munmap').click();
      await expect.poll(() => wb.queueCookies()).toEqual(['0x101']);
      expect(await text('lesson-check').textContent()).toBe(LESSON_SHOWN);
      expect(await text('lesson-previous').textContent()).toContain('Step 3:');
    });
  });

    test('keyboard: ? shows the shortcuts, W/S zoom and A/D pan the timeline, T switches the theme', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    expect(await text('shortcuts-overlay').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await text('shortcuts-overlay').count()).toBe(0);

    await page.keyboard.press('0');
    const width = (d: { start: number; end: number } | null) => (d ? d.end - d.start : NaN);
    await page.keyboard.press('w');
    const zoomed = (await wb.viewState()).timeDomain;
    expect((await wb.viewState()).followLive).toBe(false);
    await page.keyboard.press('s');
    await page.keyboard.press('s');
    const out = (await wb.viewState()).timeDomain;
    expect(width(out)).toBeGreaterThan(width(zoomed));
    await page.keyboard.press('d');
    const later = (await wb.viewState()).timeDomain;
    expect(later?.start).toBeGreaterThan(out?.start ?? Infinity);
    await page.keyboard.press('a');
    await page.keyboard.press('a');
    expect((await wb.viewState()).timeDomain?.start).toBeLessThan(later?.start ?? -Infinity);
    await page.keyboard.press('f');
    expect((await wb.viewState()).followLive).toBe(true);

    const theme = await text('workbench').getAttribute('data-theme');
    await page.keyboard.press('t');
    expect(await text('workbench').getAttribute('data-theme')).toBe(theme === 'light' ? 'dark' : 'light');
    await text('theme-toggle').click();
    expect(await text('workbench').getAttribute('data-theme')).toBe(theme);
  });

  test('light and dark at 1280x720: nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    for (const theme of ['light', 'dark']) {
      if ((await text('workbench').getAttribute('data-theme')) !== theme) await text('theme-toggle').click();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
      const colours = await page.evaluate<string[]>(
        `(() => { const style = getComputedStyle(document.querySelector('[data-testid="workbench"]')); return [style.backgroundColor, style.color]; })()`,
      );
      expect(colours[0]).not.toBe(colours[1]);
      await page.screenshot({ path: join(RESULTS, `workbench-1280x720-${theme}.png`) });
    }
    if ((await text('workbench').getAttribute('data-theme')) !== 'light') await text('theme-toggle').click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  describe('exports', () => {
    test('on a fresh session, one registration hit', async () => {
      await text('new-session-model').click();
      await expect.poll(() => text('session-mode').textContent()).toBe('not negotiated yet');
      await wb.fitAddressMap();
      await wb.selectPages(1, 6);
      await text('register-cookie').fill('0x77');
      await text('register-button').click();
      await wb.selectPages(3, 3);
      await text('lab-munmap').click();
      await expect.poll(() => wb.queueCookies()).toEqual(['0x77']);
    });

    test('PNG decodes, carries the view, and opening it restores the exact view and its records', async () => {
      await page.keyboard.press('t');
      await wb.selectPages(2, 4);
      const exported = await wb.viewState();
      expect(exported.theme).toBe('dark');
      const download = await wb.download('export-png');
      const file = readFileSync((await download.path()) ?? '');
      const png = decodePng(file);
      expect(png.width).toBeGreaterThan(600);
      expect(png.height).toBeGreaterThan(100);
      const payload = JSON.parse(png.text.get(EXPORT_KEYWORD) ?? 'null') as { view: unknown; records: unknown[] };
      expect(payload.view).toEqual(exported);
      expect(payload.records.length).toBeGreaterThan(0);

      await page.keyboard.press('t');
      await page.keyboard.press('Escape');
      expect(await wb.viewState()).not.toEqual(exported);
      await text('export-open').setInputFiles({ name: 'view.png', mimeType: 'image/png', buffer: file });
      await expect.poll(() => text('opened-export').count()).toBe(1);
      expect(await wb.viewState()).toEqual(exported);
      expect(await text('workbench').getAttribute('data-theme')).toBe('dark');
      expect(await wb.queueCookies()).toEqual(['0x77']);
      expect(await text('opened-export').textContent()).toContain(`${payload.records.length} records`);
      await page.screenshot({ path: join(RESULTS, 'opened-export.png') });
      await text('back-to-live').click();
      expect(await text('opened-export').count()).toBe(0);
      await page.keyboard.press('t');
    });

    test('SVG parses as SVG and round-trips into the app', async () => {
      const download = await wb.download('export-svg');
      const svg = readFileSync((await download.path()) ?? '', 'utf8');
      // The browser's own XML parser, as the file's users will open it.
      const parsed = await page.evaluate<{ error: number; root: string; width: string | null }>(
        `(() => { const doc = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml');
          return { error: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.localName, width: doc.documentElement.getAttribute('width') }; })()`,
      );
      expect(parsed).toEqual({ error: 0, root: 'svg', width: expect.stringMatching(/^\d+/) });
      const exported = await wb.viewState();
      await page.keyboard.press('t');
      await text('export-open').setInputFiles({ name: 'view.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
      await expect.poll(() => text('opened-export').count()).toBe(1);
      expect(await wb.viewState()).toEqual(exported);
      await text('back-to-live').click();
    });

    test('the trace JSON follows the Trace Event format', async () => {
      const download = await wb.download('export-trace');
      const trace = JSON.parse(readFileSync((await download.path()) ?? '', 'utf8')) as unknown;
      expect(traceProblems(trace)).toEqual([]);
      const events = (Array.isArray(trace) ? trace : (trace as { traceEvents: { ph: string; name: string }[] }).traceEvents) as { ph: string; name: string }[];
      expect(new Set(events.map((e) => e.ph))).toEqual(new Set(['M', 'b', 'e', 'i', 'C']));
      expect(events.some((e) => e.ph === 'b' && e.name === 'registration 0x77')).toBe(true);
    });

    test('the selection summary names the selected pages and the registration over them', async () => {
      await wb.selectPages(2, 4);
      await text('export-summary').click();
      const summary = await text('summary-text').inputValue();
      expect(summary).toMatch(/^Pages 2-4: 0x[0-9a-f]+-0x[0-9a-f]+ \(3 pages\)$/m);
      expect(summary).toMatch(/^ {2}cookie 0x77: .*reports /m);
      await text('summary-overlay').click({ position: { x: 5, y: 5 } });
      expect(await text('summary-overlay').count()).toBe(0);
    });
  });

  test('record a session, open the recording, and step the replay to the same queue', async () => {
    const name = await wb.recordAndReplay();
    expect(await text('backend-selection').textContent()).toBe(`replay: opened ${name}`);
    const position = () => wb.replayPosition();
    // It opens showing its first event, the registration, before the munmap.
    await expect.poll(() => wb.logKinds()).toEqual(['register']);
    const [at = 0, total = 0] = await position();
    expect(await text('queue-empty').count()).toBe(1);
    for (let i = at; i < total; i++) await text('replay-step').click();
    await expect.poll(position).toEqual([total, total]);
    await expect.poll(() => wb.queueCookies()).toEqual(['0x5']);
    await expect.poll(() => wb.logKinds()).toEqual(['register', 'invalidation', 'lab']);
  });

  test('a lesson as the README shows it', async () => {
    const lesson = LESSONS.find((l) => l.id === 'overlapping-registrations');
    if (!lesson) throw new Error('lesson missing');
    // A replay is open (read-only, lessons disabled): back to a live session first.
    for (const button of await page.locator('[data-testid="lessons"] button').all()) expect(await button.isDisabled()).toBe(true);
    await text('new-session-model').click();
    await wb.startLesson(lesson);
    // Up to the step that leaves three reports queued, one of them whole-range.
    for (const [i, step] of lesson.steps.entries()) {
      await wb.doLessonStep(i + 1);
      if (step.expect) await expect.poll(() => text('lesson-check').textContent()).toBe(LESSON_SHOWN);
      if (step.expect?.queue?.some((r) => r.report === 'whole range')) break;
    }
    expect(await wb.queueCookies()).toEqual(['0x301', '0x302', '0x303']);
    await page.keyboard.press('Escape');
    expect((await wb.viewState()).addressDomain).not.toBeNull();
    // The whole page: both legends, the map's and the timeline's, are in the README's picture.
    await page.screenshot({ path: join(RESULTS, 'workbench.png'), fullPage: true });
  });
});
