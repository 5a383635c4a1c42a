// End to end in the Electron app itself: the sandboxed window, the preload
// bridge and IPC. Needs an Electron binary, which npm does not always
// provide here: point ELECTRON_OVERRIDE_DIST_PATH at the folder holding
// one, or the suite is reported as skipped.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, root } from '../e2e/serve-process';

const distPath = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const binary = distPath ? join(distPath, 'electron') : undefined;
const available = binary !== undefined && existsSync(binary);

describe.skipIf(!available)('the Electron app', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    app = await electron.launch({
      executablePath: binary,
      args: [join(root, 'out/main/index.js'), '--no-sandbox'],
      cwd: root,
    });
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
  });

  test('the renderer has the bridge and no Node', async () => {
    const exposed = await page.evaluate(() => {
      const page = globalThis as unknown as Record<string, unknown>;
      return { bridge: typeof page.ummunotify, require: typeof page.require, process: typeof page.process };
    });
    expect(exposed).toEqual({ bridge: 'object', require: 'undefined', process: 'undefined' });
  });

  test('register, invalidate, read through IPC', async () => {
    await expect.poll(() => page.getByTestId('backend-kind').textContent()).toMatch(/model|kernel/);
    await page.getByTestId('register-page').fill('0');
    await page.getByTestId('register-pages').fill('4');
    await page.getByTestId('register-submit').click();
    await expect.poll(() => page.getByTestId('registration-row').count()).toBe(1);
    await page.getByTestId('lab-op').selectOption('munmap');
    await page.getByTestId('lab-page').fill('1');
    await page.getByTestId('lab-submit').click();
    await expect.poll(() => page.getByTestId('queue-item').count()).toBe(1);
    await page.getByTestId('read-submit').click();
    await expect.poll(() => page.getByTestId('queue-item').count()).toBe(0);
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(2);
    mkdirSync(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results/electron-e2e.png') });
  });
});
