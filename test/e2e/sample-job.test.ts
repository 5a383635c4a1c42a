// The sample the start screen offers (docs/samples/mpi-4-ranks: a real
// 4-rank MPI job recorded by the agent in the VM), end to end in Chromium
// against serve mode: one click on the workbench's header opens it in the
// Processes view, each rank with the rank number from its MPI environment
// and the counts its recording holds.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { haveChromium, launchChromium, newPage } from './chromium';
import { expected } from './recorded-process';
import { root, serveForSuite } from './serve-process';
import { WorkbenchPage } from './workbench-page';

const suite = serveForSuite(['--backend', 'model']);
const SAMPLE = join(root, 'docs/samples/mpi-4-ranks');
const FILES = readdirSync(SAMPLE)
  .filter((name) => name.endsWith('.ummutrace'))
  .sort()
  .map((name) => join(SAMPLE, name));

describe.skipIf(!haveChromium)('the sample MPI job in Chromium', () => {
  let page: Page;

  beforeAll(async () => {
    const browser = (suite.browser = await launchChromium({ width: 1440, height: 900 }));
    page = (await WorkbenchPage.open(await newPage(browser), suite.serve.url)).page;
    await page.getByTestId('backend-kind').waitFor();
  });

  test('one click on the start screen opens four ranks, each with the counts its recording holds', async () => {
    expect(FILES).toHaveLength(4);
    await page.locator('[data-testid="open-sample-job"]:visible').click();
    await page.getByTestId('processes').waitFor();
    const groups = page.locator('[data-testid="process-lane-group"]');
    await expect.poll(() => groups.count(), { timeout: 30_000 }).toBe(4);
    const want = FILES.map(expected);
    const shown = await groups.evaluateAll((els) =>
      els.map((el) => ({
        pid: Number(el.getAttribute('data-pid')),
        registrations: Number(el.getAttribute('data-registrations')),
        events: Number(el.getAttribute('data-events')),
        heading: el.querySelector('[data-testid="process-heading"]')?.textContent ?? '',
      })),
    );
    expect(shown.map(({ pid, registrations, events }) => ({ pid, registrations, events }))).toEqual(want.map(({ pid, registrations, events }) => ({ pid, registrations, events })));
    for (const [rank, s] of shown.entries()) expect(s.heading).toMatch(new RegExp(`^PID ${want[rank]?.pid} · rank ${rank} · ummunotify-vm \\(replayed, ended\\)$`));
    // A real job: every rank registered and read invalidations.
    for (const w of want) expect(w.events).toBeGreaterThan(0);
    for (const [i, w] of want.entries()) {
      await expect.poll(() => groups.nth(i).getByTestId('timeline-canvas').getAttribute('data-drawn-through'), { timeout: 30_000 }).toBe(String(w.lastRecord));
    }
  });
});
