// The window's page and the IPC trust that follows from it.

import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { chooseAppPage, isAppPageUrl } from '../../../src/main/electron/app-page';

const pageFile = '/opt/ummu|notify^ä/out/renderer/index.html';

describe('chooseAppPage', () => {
  test('a development build run unpackaged follows the dev server', () => {
    expect(chooseAppPage({ devServerUrl: 'http://localhost:5173', development: true, pageFile })).toEqual({
      kind: 'devServer',
      url: 'http://localhost:5173',
    });
  });

  test('any other run shows the built file, whatever ELECTRON_RENDERER_URL says', () => {
    expect(chooseAppPage({ devServerUrl: 'https://evil.example', development: false, pageFile })).toEqual({ kind: 'file', file: pageFile });
    expect(chooseAppPage({ devServerUrl: undefined, development: true, pageFile })).toEqual({ kind: 'file', file: pageFile });
  });
});

describe('isAppPageUrl for the built file', () => {
  const page = { kind: 'file', file: pageFile } as const;

  test('the page file is recognised however its URL is encoded', () => {
    expect(isAppPageUrl(page, pathToFileURL(pageFile).href)).toBe(true);
    // Node's pathToFileURL escapes | and ^; the URL standard (and so Chromium's frame.url) leaves them as they are.
    expect(isAppPageUrl(page, 'file:///opt/ummu|notify^%C3%A4/out/renderer/index.html')).toBe(true);
    expect(isAppPageUrl(page, 'file:///opt/ummu%7Cnotify%5E%C3%A4/out/renderer/index.html')).toBe(true);
    expect(isAppPageUrl(page, `${pathToFileURL(pageFile).href}#/lessons`)).toBe(true);
  });

  test('other files, other hosts, other schemes and non-URLs are not the app', () => {
    expect(isAppPageUrl(page, pathToFileURL('/opt/ummu|notify^ä/out/renderer/other.html').href)).toBe(false);
    expect(isAppPageUrl(page, 'file://server/opt/ummu%7Cnotify%5E%C3%A4/out/renderer/index.html')).toBe(false);
    expect(isAppPageUrl(page, 'file:///opt/ummu%7Cnotify%5E%C3%A4/out%2Frenderer/index.html')).toBe(false);
    expect(isAppPageUrl(page, 'https://evil.example/opt/ummu%7Cnotify%5E%C3%A4/out/renderer/index.html')).toBe(false);
    expect(isAppPageUrl(page, 'not a url')).toBe(false);
  });
});

describe('isAppPageUrl for the dev server', () => {
  const page = { kind: 'devServer', url: 'http://localhost:5173/' } as const;

  test('any path of the dev server origin is the app, another port or host is not', () => {
    expect(isAppPageUrl(page, 'http://localhost:5173/index.html?x=1')).toBe(true);
    expect(isAppPageUrl(page, 'http://localhost:5174/')).toBe(false);
    expect(isAppPageUrl(page, 'http://127.0.0.1:5173/')).toBe(false);
    expect(isAppPageUrl(page, 'file:///opt/index.html')).toBe(false);
  });
});
