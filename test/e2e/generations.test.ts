// End to end: FEATURE_GENERATIONS in Chromium against serve mode's model
// backend. A registration made with a generation slot shows its word beside
// its bar and in its tooltip, and the word moves when the registration is
// hit; without GENERATIONS negotiated, neither the form nor the map offers it.

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { haveChromium, openBrowser } from './chromium';
import { helloState, serveForSuite } from './serve-process';
import { WorkbenchPage } from './workbench-page';

/** A loaded CI machine answers a click in more than expect.poll's default second. */
const SETTLED = { timeout: 10_000 };

const suite = serveForSuite(['--backend', 'model']);
let page: Page;
let wb: WorkbenchPage;

/** Hovers down the address map's lanes over page `atPage` until a registration's tooltip shows; returns its text. */
async function hoverRegistration(atPage: number, arenaPages: number): Promise<string> {
  const box = await page.getByTestId('address-map-canvas').boundingBox();
  if (!box) throw new Error('address map not laid out');
  const x = box.x + ((atPage + 0.5) * box.width) / arenaPages;
  await page.mouse.move(box.x + box.width / 2, box.y - 30);
  for (let y = box.y + 30; y < box.y + box.height; y += 3) {
    await page.mouse.move(x, y);
    if ((await page.getByTestId('address-map-tooltip').count()) > 0) return (await page.getByTestId('address-map-tooltip').textContent()) ?? '';
  }
  throw new Error('no registration under the pointer');
}

/** The texts drawn on the address map, from an SVG export (the screen's own drawing function). */
async function mapTexts(): Promise<string[]> {
  const download = await wb.download('export-svg');
  const svg = readFileSync((await download.path()) ?? '', 'utf8');
  return page.evaluate<string[]>(
    `(() => [...new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml').querySelectorAll('text')].map((t) => t.textContent))()`,
  );
}

describe.skipIf(!haveChromium)('generations in Chromium', () => {
  let arenaPages = 0;
  beforeAll(async () => {
    const browser = (suite.browser = await openBrowser({ width: 1280, height: 800 }));
    page = browser.page;
    wb = await WorkbenchPage.open(page, suite.serve.url);
    arenaPages = (await helloState(suite.serve.url)).arena.pages;
  });

  test('without GENERATIONS negotiated the form offers no slot and the tooltip shows no generation', async () => {
    await wb.byTestId('new-session-model').click();
    await expect.poll(() => wb.byTestId('session-mode').textContent(), SETTLED).toBe('not negotiated yet');
    await wb.byTestId('exchange-features').click();
    await expect.poll(() => wb.byTestId('features-granted').textContent(), SETTLED).toBe('QUERY');
    expect(await wb.byTestId('register-with-slot').count()).toBe(0);
    await wb.selectPages(0, 7);
    await wb.byTestId('register-cookie').fill('0x50');
    await wb.byTestId('register-button').click();
    await expect.poll(() => page.locator('[data-testid="log-row"]', { hasText: 'register' }).count(), SETTLED).toBe(1);
    expect(await hoverRegistration(3, arenaPages)).not.toContain('generation');
  });

  test('a registration with a slot shows its generation beside its bar and in its tooltip, and the word moves on a hit', async () => {
    await wb.byTestId('new-session-model').click();
    await expect.poll(() => wb.byTestId('session-mode').textContent(), SETTLED).toBe('not negotiated yet');
    await wb.byTestId('feature-GENERATIONS').check();
    await wb.byTestId('exchange-features').click();
    await expect.poll(() => wb.byTestId('features-granted').textContent(), SETTLED).toBe('QUERY GENERATIONS');
    await wb.fitAddressMap();
    await wb.selectPages(0, 7);
    expect(await wb.byTestId('register-with-slot').isChecked()).toBe(true);
    await wb.byTestId('register-cookie').fill('0x51');
    await wb.byTestId('register-button').click();
    await expect.poll(() => hoverRegistration(3, arenaPages), SETTLED).toContain('generation 0 (slot 0)');
    expect(await mapTexts()).toContain('g0');

    await wb.selectPages(2, 2);
    await wb.byTestId('lab-munmap').click();
    await expect.poll(() => wb.queueCookies(), SETTLED).toEqual(['0x51']);
    await expect.poll(() => hoverRegistration(3, arenaPages), SETTLED).toContain('generation 1 (slot 0)');
    const texts = await mapTexts();
    expect(texts).toContain('g1');
    expect(texts).not.toContain('g0');
  });
});
