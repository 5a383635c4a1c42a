// End to end, in Chromium against serve mode: what makes the workbench
// legible to someone seeing it for the first time. Legends on the map, the
// timeline and exported pictures (read back as pixels); flashes that leave
// a bar's colour alone; nothing clipped in the side panels from 1280 to
// 1920 px; no text under 12 px; every input labelled; a replay that opens
// at its first event with a scrubber, a speed and read-only lab controls;
// export errors in the dismissable banner.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { haveChromium, openBrowser } from './chromium';
import { ADDRESS_MAP_LAYOUT, ADDRESS_MAP_LEGEND, layoutLegend, PALETTES, TIMELINE_LEGEND } from './renderer-modules';
import { call, CANVAS_PIXELS, CLIPPED_TEXT, EXPORT_LEGENDS, SMALL_TEXT, UNLABELLED } from './page-probes';
import { helloState, root, serveForSuite } from './serve-process';
import { WorkbenchPage } from './workbench-page';

const RESULTS = join(root, 'test-results', 'legibility');
const MAX_COOKIE = '0xffffffffffffffff';

const suite = serveForSuite(['--backend', 'model']);
let page: Page;
let wb: WorkbenchPage;

const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** The colours of a canvas's pixels at CSS-pixel points. */
const canvasPixels = (testId: string, points: readonly { x: number; y: number }[]): Promise<number[][]> =>
  page.evaluate<number[][]>(call(CANVAS_PIXELS, testId, points));

/** Inside each legend swatch, clear of its border: where its colour is. */
const swatchPoint = (item: { x: number; y: number }, top: number) => ({ x: item.x + 6, y: top + item.y + 5 });

async function expectLegendDrawn(testId: string, entries: readonly unknown[]): Promise<void> {
  const size = await page.getByTestId(testId).evaluate((c) => ({ width: c.clientWidth, height: c.clientHeight }));
  const legend = layoutLegend(entries, size.width);
  const top = size.height - legend.height;
  const theme = ((await page.getByTestId('workbench').getAttribute('data-theme')) ?? 'light') as 'light' | 'dark';
  const drawn = await canvasPixels(testId, legend.items.map((item) => swatchPoint(item, top)));
  expect(drawn).toEqual(legend.items.map((item) => rgb(PALETTES[theme][item.colour] ?? '')));
}

const clippedText = (scope: string): Promise<string[]> => page.evaluate<string[]>(call(CLIPPED_TEXT, scope));
const smallText = (): Promise<string[]> => page.evaluate<string[]>(call(SMALL_TEXT));
const unlabelled = (): Promise<string[]> => page.evaluate<string[]>(call(UNLABELLED));

describe.skipIf(!haveChromium)('legible views in Chromium', () => {
  beforeAll(async () => {
    const browser = (suite.browser = await openBrowser({ width: 1440, height: 900 }));
    page = browser.page;
    wb = await WorkbenchPage.open(page, suite.serve.url);
    mkdirSync(RESULTS, { recursive: true });
  });

  const id = (testId: string) => page.getByTestId(testId);
  const labButton = (name: string) => id('lab-controls').getByRole('button', { name, exact: true });

  test('a session with long content: a 64-bit cookie reported whole-range with reasons, and a second one', async () => {
    await id('new-session-model').click();
    await expect.poll(() => id('session-mode').textContent()).toBe('not negotiated yet');
    await id('feature-REASON').check();
    await id('feature-FILTER').check();
    await id('exchange-features').click();
    await expect.poll(() => id('session-mode').textContent()).toBe('extended');
    await wb.selectPages(0, 7);
    await id('register-cookie').fill(MAX_COOKIE);
    await id('register-button').click();
    await labButton('touch').click();
    await wb.selectPages(2, 3);
    await id('register-cookie').fill('0x52');
    await id('register-button').click();
    await wb.selectPages(1, 1);
    await id('lab-advice').selectOption('DONTNEED');
    await labButton('madvise').click();
    await wb.selectPages(5, 5);
    await labButton('madvise').click();
    await wb.selectPages(2, 2);
    await id('lab-prot').selectOption('r');
    await labButton('mprotect').click();
    await expect.poll(() => wb.queueCookies()).toEqual([MAX_COOKIE, '0x52']);
    expect(await id('queue-row').first().locator('td').nth(2).textContent()).toBe('whole range');
  });

  test('the map and the timeline draw their legends', async () => {
    await wb.clearSelection();
    await expectLegendDrawn('address-map-canvas', ADDRESS_MAP_LEGEND);
    await expectLegendDrawn('timeline-canvas', TIMELINE_LEGEND);
    expect(await id('address-map-canvas').getAttribute('aria-label')).toContain('queued whole range');
    expect(await id('timeline-canvas').getAttribute('aria-label')).toContain('invalidation');
  });

  test("a flash (fork) leaves the whole-range bar's colour as it was, and shows in its own strip", async () => {
    const box = await id('address-map-canvas').boundingBox();
    if (!box) throw new Error('address map not laid out');
    const pages = (await helloState(suite.serve.url)).arena.pages;
    // Page 6 of the 64-bit cookie's bar (lane 0), on its top row, clear of its label.
    const x = ((6.5 * box.width) / pages) | 0;
    const bar = { x, y: ADDRESS_MAP_LAYOUT.laneTop + 1 };
    const strip = { x, y: ADDRESS_MAP_LAYOUT.flashTop + ADDRESS_MAP_LAYOUT.flashHeight / 2 };
    const [quiet, quietStrip] = await canvasPixels('address-map-canvas', [bar, strip]);
    expect(quiet).toEqual(rgb(PALETTES.light.queuedWhole ?? ''));
    await wb.selectPages(0, 7);
    await labButton('fork + write').click();
    await wb.clearSelection();
    // While the flash shows in the strip, the bar under it keeps its colour (read in one frame: the
    // selection just cleared may still be drawn over the bar in the frame that brings the flash).
    const whole = rgb(PALETTES.light.queuedWhole ?? '');
    await expect
      .poll(
        async () => {
          const [during, duringStrip] = await canvasPixels('address-map-canvas', [bar, strip]);
          return { flashing: JSON.stringify(duringStrip) !== JSON.stringify(quietStrip), bar: during };
        },
        { interval: 20, timeout: 1000 },
      )
      .toEqual({ flashing: true, bar: whole });
    await page.screenshot({ path: join(RESULTS, 'flash.png') });
  });

  for (const width of [1280, 1440, 1920]) {
    test(`at ${width}x900: no text clipped in the side panels and the event log, none under 12 px, every input labelled`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await wb.mapResized();
      await wb.selectPages(1, 2);
      await page.waitForTimeout(100);
      await page.screenshot({ path: join(RESULTS, `workbench-${width}x900.png`), fullPage: true });
      for (const scope of ['.um-side', '.um-lab', '.app-session', '.um-log-viewport']) expect(await clippedText(scope), scope).toEqual([]);
      expect(await smallText()).toEqual([]);
      expect(await unlabelled()).toEqual([]);
    });
  }

  test('exported SVG and PNG carry both legends and say where and when they were made', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await wb.mapResized();
    await wb.clearSelection();
    const svgDownload = await wb.download('export-svg');
    const svg = readFileSync((await svgDownload.path()) ?? '', 'utf8');
    const pngDownload = await wb.download('export-png');
    const png = readFileSync((await pngDownload.path()) ?? '');
    writeFileSync(join(RESULTS, 'export.png'), png);
    // The SVG says where each swatch is; the PNG must have its colour there.
    const found = await page.evaluate<{ swatches: { label: string; fill: string; x: number; y: number }[]; corner: string; pixels: number[][] }>(
      call(EXPORT_LEGENDS, svg, png.toString('base64')),
    );
    const labels = (entries: readonly unknown[]) => (entries as { label: string }[]).map((e) => e.label);
    expect(found.swatches.map((s) => s.label)).toEqual([...labels(ADDRESS_MAP_LEGEND), ...labels(TIMELINE_LEGEND)]);
    expect(found.pixels).toEqual(found.swatches.map((s) => rgb(s.fill)));
    expect(found.corner).toMatch(/^model backend, features REASON FILTER QUERY, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  });

  test('an export that fails is reported in the dismissable banner', async () => {
    await id('export-open').setInputFiles({ name: 'not-an-export.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
    await expect.poll(() => id('error').getAttribute('data-code')).toBe('ExportError');
    expect(await id('error').textContent()).toContain('carries no ummunotify view');
    await id('error').getByRole('button', { name: 'dismiss' }).click();
    expect(await id('error').count()).toBe(0);
  });

  test('a replay opens at its first event, with a scrubber and a speed, and the lab controls disabled', async () => {
    await wb.recordAndReplay();
    const position = () => wb.replayPosition();
    // It opens at its first event: the registration is on the map and in the log.
    await expect.poll(() => wb.logKinds()).toEqual(['register']);
    const [at = 0, total = 0] = await position();
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(total);
    expect(await id('replay-scrubber').getAttribute('max')).toBe(String(total));
    expect(await id('replay-scrubber').inputValue()).toBe(String(at));

    await wb.selectPages(2, 3);
    expect(await id('lab-read-only').textContent()).toContain('read-only');
    for (const control of ['register-button', 'lab-munmap', 'read-button', 'lesson-start']) expect(await id(control).isDisabled(), control).toBe(true);

    await id('replay-scrubber').fill(String(total));
    await expect.poll(position).toEqual([total, total]);
    await expect.poll(() => wb.queueCookies()).toEqual(['0x5']);
    await id('replay-scrubber').fill('0');
    await expect.poll(position).toEqual([0, total]);
    await expect.poll(() => id('queue-empty').count()).toBe(1);

    await id('replay-speed').selectOption('4');
    await expect.poll(() => id('replay-speed').inputValue()).toBe('4');
    await page.screenshot({ path: join(RESULTS, 'replay.png') });
  });
});
