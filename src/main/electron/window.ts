// The app window: sandboxed, context-isolated, no Node in the renderer, no
// navigation away from the app, no new windows.

import { BrowserWindow, shell } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface AppWindow {
  window: BrowserWindow;
  /** True for URLs of the app's own page (the built file, or the dev server in `npm start`). */
  isAppUrl(url: string): boolean;
}

export function createAppWindow(): AppWindow {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  const pageFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
  const pageUrl = devServer ?? pathToFileURL(pageFile).href;
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
  const isAppUrl = (url: string): boolean => {
    const target = new URL(url);
    const app = new URL(pageUrl);
    return devServer ? target.origin === app.origin : target.protocol === 'file:' && target.pathname === app.pathname;
  };
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  void (devServer ? window.loadURL(devServer) : window.loadFile(pageFile));
  return { window, isAppUrl };
}
