// Finds and loads the built addon (native/build/Release/ummunotify.node)
// from the source tree, from the built app (out/main/*.js and its shared
// chunks), from a packaged app's resources, or from UMMUNOTIFY_ADDON.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeEvents } from './events';
import { decodeMonitorRecords } from './monitor-records';
import type { NativeAddon, NativeDevice, NativeMonitor, RawAddon, RawDevice, RawMonitor } from './types';

const ADDON_FILE = 'ummunotify.node';

export class AddonNotBuiltError extends Error {
  readonly code = 'ENOENT';
  constructor(readonly searched: string[]) {
    super(
      `the ummunotify native addon is not built (run: node native/scripts/build.mjs); looked for ${ADDON_FILE} in ${searched.join(', ')}`,
    );
    this.name = 'AddonNotBuiltError';
  }
}

export function addonCandidates(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const builds = (nativeDir: string): string[] => [join(nativeDir, 'build', 'Release', ADDON_FILE), join(nativeDir, 'build', 'Debug', ADDON_FILE)];
  const candidates: string[] = [];
  const explicit = process.env.UMMUNOTIFY_ADDON;
  if (explicit) candidates.push(resolve(explicit));
  candidates.push(...builds(resolve(here, '..')));
  candidates.push(...builds(resolve(here, '..', '..', 'native')));
  // A chunk the bundler shares between entries (out/main/chunks/*.js).
  candidates.push(...builds(resolve(here, '..', '..', '..', 'native')));
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, ADDON_FILE));
  candidates.push(...builds(resolve(process.cwd(), 'native')));
  return [...new Set(candidates)];
}

let loaded: NativeAddon | undefined;

export function loadAddon(): NativeAddon {
  if (loaded) return loaded;
  const candidates = addonCandidates();
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new AddonNotBuiltError(candidates);
  const raw = createRequire(import.meta.url)(found) as RawAddon;
  const watch: NativeDevice['watch'] = function (this: RawDevice, onBatch, options) {
    this.watchRaw((buffer, end) => onBatch(decodeEvents(buffer), end), options);
  };
  Object.defineProperty(raw.Device.prototype, 'watch', { value: watch });
  const watchMonitor: NativeMonitor['watch'] = function (this: RawMonitor, onBatch, options) {
    this.watchRaw((buffer, end) => onBatch(decodeMonitorRecords(buffer), end), options);
  };
  const readMonitor: NativeMonitor['read'] = function (this: RawMonitor, maxRecords) {
    const buffer = this.readRaw(maxRecords);
    return buffer === null ? null : decodeMonitorRecords(buffer);
  };
  Object.defineProperty(raw.Monitor.prototype, 'watch', { value: watchMonitor });
  Object.defineProperty(raw.Monitor.prototype, 'read', { value: readMonitor });
  loaded = raw as unknown as NativeAddon;
  return loaded;
}
