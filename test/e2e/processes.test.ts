// The Processes view end to end in Chromium against serve mode: a recorded
// three-rank job (test/fixtures/monitor-job/, three monitor recordings)
// opened at once shows every process with the counts its file holds, the
// job overview draws a line per process, and the timeline has a lane group
// per process, drawn through its last record. Attaching to a real process
// on this host (no module here) shows what is wrong in words and the
// connection stays up; the workbench tab is the workbench as before.

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { haveChromium, launchChromium, newPage } from './chromium';
import { expected } from './recorded-process';
import { root, serveForSuite } from './serve-process';
import { WorkbenchPage } from './workbench-page';

const suite = serveForSuite(['--backend', 'model']);
const FIXTURE = join(root, 'test/fixtures/monitor-job');
const FILES = ['rank0.ummutrace', 'rank1.ummutrace', 'rank2.ummutrace'].map((name) => join(FIXTURE, name));

/** Three recordings replayed, decoded and drawn take a while on a loaded machine. */
const SLOW = { timeout: 20_000 };

const groups = (page: Page) => page.locator('[data-testid="process-lane-group"]');
/** The one shown: the workbench, hidden under the Processes tab, has its own banner and tabs. */
const visible = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]:visible`);
const visibleError = (page: Page) => visible(page, 'error');

describe.skipIf(!haveChromium)('the Processes view in Chromium', () => {
  let page: Page;

  beforeAll(async () => {
    const browser = (suite.browser = await launchChromium({ width: 1400, height: 900 }));
    page = (await WorkbenchPage.open(await newPage(browser), suite.serve.url)).page;
    await page.getByTestId('backend-kind').waitFor();
    await visible(page, 'tab-processes').click();
    await page.getByTestId('processes').waitFor();
  });

  test('three monitor recordings opened at once: every process with its counts, a lane group each, a line each in the job overview', async () => {
    await page.getByTestId('open-process-recordings').setInputFiles(FILES);
    await expect.poll(() => groups(page).count(), SLOW).toBe(3);
    const want = FILES.map(expected);
    const shown = await groups(page).evaluateAll((els) =>
      els.map((el) => ({
        pid: Number(el.getAttribute('data-pid')),
        registrations: Number(el.getAttribute('data-registrations')),
        events: Number(el.getAttribute('data-events')),
        canvases: el.querySelectorAll('[data-testid="timeline-canvas"]').length,
        text: el.querySelector('[data-testid="process-counts"]')?.textContent ?? '',
        heading: el.querySelector('[data-testid="process-heading"]')?.textContent ?? '',
      })),
    );
    expect(shown.map(({ pid, registrations, events, canvases }) => ({ pid, registrations, events, canvases }))).toEqual(
      want.map(({ pid, registrations, events }) => ({ pid, registrations, events, canvases: 1 })),
    );
    for (const [i, s] of shown.entries()) {
      expect(s.heading).toBe(`PID ${want[i]?.pid} · rank ${i} · node7 (${i === 2 ? 'replayed' : 'replayed, ended'})`);
      expect(s.text).toContain(`${want[i]?.registrations} registrations`);
      expect(s.text).toContain(`${want[i]?.events} events read`);
    }
    // Rank 2's monitor lost records: said, not hidden.
    expect(await groups(page).nth(2).getByTestId('process-gaps').textContent()).toMatch(/records lost by the monitor in 1 gaps/);
    // Each process's timeline drew through its last journal record.
    for (const [i, w] of want.entries()) {
      await expect.poll(() => groups(page).nth(i).getByTestId('timeline-canvas').getAttribute('data-drawn-through'), SLOW).toBe(String(w.lastRecord));
    }
    // The job overview: one line per process in each of its three charts.
    for (const chart of ['registrations', 'invalidationsPerSecond', 'queueDepth']) {
      expect(await page.getByTestId(`job-chart-${chart}`).locator('path').count()).toBe(3);
    }
  });

  test('attaching to a process of this host without the module: a readable message, and the connection stays up', async () => {
    const pid = suite.serve.child.pid as number;
    await page.getByTestId('attach-target').fill('not a pid');
    await page.getByTestId('attach').click();
    expect(await page.getByText('expected PID or PID:FD, got "not a pid"').count()).toBe(1);
    await page.getByTestId('attach-target').fill(String(pid));
    await page.getByTestId('attach').click();
    await visibleError(page).waitFor();
    expect(await visibleError(page).getAttribute('data-code')).toBe('ENODEV');
    expect(await visibleError(page).textContent()).toMatch(
      new RegExp(`^The ummunotify module is not loaded on this host: /dev/ummunotify does not exist \\(the ummunotify module is not loaded\\), so PID ${pid} \\(.*serve\\.js.*\\) cannot have it open\\. Load it \\(modprobe ummunotify\\) and start the process again\\.dismiss$`),
    );
    // Still connected: no connection banner, and the next requests are answered.
    expect(await page.locator('[data-testid="connection-status"]:visible').count()).toBe(0);
    await page.getByTestId('processes-refresh').click();
    await page.getByTestId('processes-none').waitFor();
    expect(await groups(page).count()).toBe(3);
    await visibleError(page).getByRole('button', { name: 'dismiss' }).click();
    expect(await visibleError(page).count()).toBe(0);
  });

  test('closing a replayed process removes its group; the workbench tab is the workbench as before', async () => {
    await groups(page).first().getByTestId('detach').click();
    await expect.poll(() => groups(page).count(), SLOW).toBe(2);
    expect(await groups(page).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-pid'))))).toEqual([31002, 31003]);
    await visible(page, 'tab-workbench').click();
    await page.getByTestId('workbench').waitFor({ state: 'visible' });
    expect(await page.getByTestId('processes').count()).toBe(0);
    expect(await page.getByTestId('backend-kind').textContent()).toBe('model');
    expect(await visible(page, 'tab-processes').textContent()).toBe('Processes (2 watched)');
  });
});
