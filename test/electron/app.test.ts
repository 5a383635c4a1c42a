// End to end in the Electron app itself: the sandboxed window, the preload
// bridge and IPC. Needs an Electron binary, which npm does not always
// provide here: point ELECTRON_OVERRIDE_DIST_PATH at the folder holding
// one, or the suite is reported as skipped.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, root } from '../e2e/serve-process';
import { WorkbenchPage } from '../e2e/workbench-page';

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
