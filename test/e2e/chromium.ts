// Debian's Chromium, headless, driven by playwright-core: how every
// end-to-end suite opens the workbench.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile; `close` removes it. */
export async function launchChromium(options: { width?: number; height?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'ummunotify-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenBrowser extends Browser {
  page: Page;
}

/** A page of the browser (its first unused one, else a new tab) whose errors go to the test log. */
export async function newPage(browser: Browser, reuseFirst = false): Promise<Page> {
  const page = (reuseFirst ? browser.context.pages()[0] : undefined) ?? (await browser.context.newPage());
  page.on('pageerror', (err) => console.error('page error:', err));
  return page;
}

/** A fresh profile with its first page open. */
export async function openBrowser(viewport: { width: number; height: number }): Promise<OpenBrowser> {
  const browser = await launchChromium(viewport);
  return { ...browser, page: await newPage(browser, true) };
}
