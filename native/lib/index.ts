// The native addon: the Device binding, the Monitor binding and the lab Arena.
export type {
  FeatureNegotiation,
  MonitorOptions,
  MonitorRecord,
  MonitorRecordType,
  MonitorSnapshot,
  NativeAddon,
  NativeArena,
  NativeDevice,
  NativeError,
  NativeMonitor,
  WatchEnd,
  WatchOptions,
} from './types';
export * from './monitor-records';
export { AddonNotBuiltError, addonCandidates, loadAddon } from './loader';

import { loadAddon } from './loader';
import type { MonitorOptions, NativeArena, NativeDevice, NativeMonitor } from './types';

export const DEFAULT_DEVICE_PATH = '/dev/ummunotify';

/** Opens the device (default /dev/ummunotify) read-only and non-blocking. */
export function openDevice(path: string = DEFAULT_DEVICE_PATH): NativeDevice {
  return new (loadAddon().Device)(path);
}

/**
 * Attaches a monitor to descriptor `fd` of process `pid` (pidfd_open +
 * pidfd_getfd + UMMUNOTIFY_MONITOR_OPEN); the process need not cooperate.
 */
export function attachMonitor(pid: number, fd: number, options?: MonitorOptions): NativeMonitor {
  return new (loadAddon().Monitor)(pid, fd, options);
}

/** Maps a lab arena of `pages` pages. */
export function createArena(pages: number): NativeArena {
  return new (loadAddon().Arena)(pages);
}
