// Which page the app window shows, and which URLs are that page. Pure (no
// Electron), because it decides what the IPC handler trusts.

import { fileURLToPath } from 'node:url';

export type AppPage = { kind: 'devServer'; url: string } | { kind: 'file'; file: string };

export interface AppPageInputs {
  /** ELECTRON_RENDERER_URL, set by electron-vite for `npm start`. */
  devServerUrl: string | undefined;
  /** True only for a development build run unpackaged; nothing else may point the window elsewhere. */
  development: boolean;
  /** The built page, out/renderer/index.html. */
  pageFile: string;
}

export function chooseAppPage({ devServerUrl, development, pageFile }: AppPageInputs): AppPage {
  return development && devServerUrl ? { kind: 'devServer', url: devServerUrl } : { kind: 'file', file: pageFile };
}

/** True for URLs of the app's own page: the dev server's origin, or exactly the built file. */
export function isAppPageUrl(page: AppPage, url: string): boolean {
  try {
    const target = new URL(url);
    if (page.kind === 'devServer') return target.origin === new URL(page.url).origin;
    // Compare decoded paths: two encoders can spell one path differently (|, ^, non-ASCII).
    return target.protocol === 'file:' && fileURLToPath(target) === page.file;
  } catch {
    // Not a URL, or a file URL that names no local path (a host, an encoded '/').
    return false;
  }
}

export function describeAppPage(page: AppPage): string {
  return page.kind === 'devServer' ? page.url : page.file;
}
