// Starts the built main bundle (out/main/index.js) against a fresh Electron
// stand-in, the way Electron loads it: as an ES module whose 'electron'
// import is the stand-in. One app per test file (vitest gives each file
// its own process).

import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ElectronStandIn } from './electron-stand-in';

export const root = join(import.meta.dirname, '../..');
export const outFile = (path: string): string => join(root, 'out', path);

export async function importBuiltMain(configure: (world: ElectronStandIn) => void = () => undefined): Promise<ElectronStandIn> {
  register('./electron-resolve-hooks.mjs', import.meta.url);
  const world = new ElectronStandIn();
  configure(world);
  world.install();
  await import(pathToFileURL(outFile('main/index.js')).href);
  return world;
}

export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
