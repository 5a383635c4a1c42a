// The app window: sandboxed, context-isolated, no Node in the renderer, no
// navigation away from the app, no new windows. A page that fails to load
// is reported in a dialog, never left as an invisible window.

/// <reference types="vite/client" />

import { app, BrowserWindow, dialog, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { chooseAppPage, describeAppPage, isAppPageUrl, type AppPage } from './app-page';

export interface AppWindow {
  window: BrowserWindow;
  /** True for URLs of the app's own page (the built file, or the dev server in `npm start`). */
  isAppUrl(url: string): boolean;
}

export function createAppWindow(): AppWindow {
  const page = chooseAppPage({
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    // import.meta.env.DEV is false in `electron-vite build` output, so a
    // stray ELECTRON_RENDERER_URL cannot point a built app (and the trust
    // of its IPC) at another origin.
    development: import.meta.env.DEV && !app.isPackaged,
    pageFile: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
  });
  const window = new BrowserWindow({
    width: 1280,
    height: 900,
    show: false,
    title: 'ummunotify',
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const isAppUrl = (url: string): boolean => isAppPageUrl(page, url);
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  loadAppPage(window, page).catch((err: unknown) => reportLoadFailure(page, err));
  return { window, isAppUrl };
}

function loadAppPage(window: BrowserWindow, page: AppPage): Promise<void> {
  return page.kind === 'devServer' ? window.loadURL(page.url) : window.loadFile(page.file);
}

function reportLoadFailure(page: AppPage, err: unknown): void {
  const reason = err instanceof Error ? err.message : String(err);
  const hint = page.kind === 'file' ? 'Build the app first: npm run build (npm start builds it for you).' : 'Is the dev server still running?';
  dialog.showErrorBox('ummunotify could not load its window', `${describeAppPage(page)}\n\n${reason}\n\n${hint}`);
  app.exit(1);
}
