// End to end in the Electron app itself: the sandboxed window, the preload
// bridge and IPC. It runs the Electron that `npm start` runs, found the way
// electron-vite finds it (ELECTRON_EXEC_PATH, else the binary that
// electron's installer named in node_modules/electron/path.txt), started as
// electron-vite starts it (`electron .` in the project, so package.json's
// main). Without one the suite is reported as skipped;
// test/electron-contract/ checks the built bundles everywhere.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installedElectron } from '../../scripts/electron-binary.mjs';
import { ensureBuilt, root } from '../e2e/serve-process';
import { WorkbenchPage } from '../e2e/workbench-page';

const binary = installedElectron(root);

describe.skipIf(binary === undefined)('the Electron app', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    app = await electron.launch({
      executablePath: binary?.path,
      // CI runs as root, where Chromium's sandbox refuses to start.
      args: ['.', '--no-sandbox'],
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
    const hello = (await page.evaluate(() => (globalThis as unknown as { ummunotify: { request(r: unknown): Promise<unknown> } }).ummunotify.request({ kind: 'hello' }))) as {
      result: { state: { arena: { pages: number } } };
    };
    const wb = new WorkbenchPage(page, hello.result.state.arena.pages);
    await wb.selectPages(0, 3);
    await page.getByTestId('register-cookie').fill('42');
    await page.getByTestId('register-button').click();
    await wb.selectPages(1, 1);
    await page.getByTestId('lab-munmap').click();
    await expect.poll(() => wb.queueCookies()).toEqual(['0x2a']);
    await page.getByTestId('read-button').click();
    await expect.poll(() => page.getByTestId('queue-empty').count()).toBe(1);
    await expect.poll(() => wb.logKinds()).toEqual(['register', 'invalidation', 'lab', 'read']);
    mkdirSync(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results/electron-e2e.png') });
  });
});
