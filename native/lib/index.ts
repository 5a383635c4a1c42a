// The native addon: the Device binding and the lab Arena.
export type { FeatureNegotiation, NativeAddon, NativeArena, NativeDevice, NativeError, WatchEnd, WatchOptions } from './types';
export { AddonNotBuiltError, addonCandidates, loadAddon } from './loader';

import { loadAddon } from './loader';
import type { NativeArena, NativeDevice } from './types';

export const DEFAULT_DEVICE_PATH = '/dev/ummunotify';

/** Opens the device (default /dev/ummunotify) read-only and non-blocking. */
export function openDevice(path: string = DEFAULT_DEVICE_PATH): NativeDevice {
  return new (loadAddon().Device)(path);
}

/** Maps a lab arena of `pages` pages. */
export function createArena(pages: number): NativeArena {
  return new (loadAddon().Arena)(pages);
}
