// The kernel backend: the real /dev/ummunotify, driven through the native
// addon inside a separate device-session process. The watched memory map
// is that process's own (the lab arena lives there too), and a crash there
// becomes a 'dead' notice instead of taking the UI down. It reports only
// what the device reported: read() events, the counter, QUERY snapshots,
// the lab's results; the kernel does not say which notifier calls happened.

import type { Backend, BackendInfo, BackendNotice } from '../../backend';
import {
  UmmuError,
  type ArenaInfo,
  type ArenaPage,
  type LabOp,
  type LabResult,
  type QuerySnapshot,
  type SlotGeneration,
  type UmmuEvent,
} from '../../../../shared/domain';
import type { DeviceProcessLauncher } from './launcher';
import { DeviceSessionClient } from './client';
import { deviceSessionEntryFor } from './entry-script';

export type { DeviceChannel, DeviceProcessLauncher } from './launcher';

export const DEFAULT_DEVICE_PATH = '/dev/ummunotify';
export const DEFAULT_ARENA_PAGES = 64;

export interface KernelBackendOptions {
  devicePath?: string;
  arenaPages?: number;
  /** The device-session entry; defaults to out/main/device-session.js in the built app, src/main/device-session/index.ts in the source tree. */
  entryScript?: string;
}

/**
 * Opens the device in a new device-session process. Rejects with UmmuError
 * ('ENOENT' when the module is not loaded, 'EACCES' when the device node is
 * not accessible, ...) saying why the kernel backend is unavailable.
 */
export async function createKernelBackend(launcher: DeviceProcessLauncher, options: KernelBackendOptions = {}): Promise<Backend> {
  const client = new DeviceSessionClient(launcher(options.entryScript ?? deviceSessionEntryFor(import.meta.url)));
  let opened;
  try {
    opened = await client.request({
      kind: 'open',
      devicePath: options.devicePath ?? DEFAULT_DEVICE_PATH,
      arenaPages: options.arenaPages ?? DEFAULT_ARENA_PAGES,
    });
  } catch (err) {
    client.kill();
    throw err;
  }
  const { arena, pageSize, kernelRelease, supportedFeatures } = opened;
  const info: BackendInfo = { kind: 'kernel', description: `kernel ${kernelRelease}`, supportedFeatures, pageSize, kernelRelease };
  const listeners = new Set<(notice: BackendNotice) => void>();
  const readableListeners = new Set<() => void>();
  client.onReadable(() => {
    for (const listener of readableListeners) listener();
  });
  const emit = (notice: BackendNotice): void => {
    for (const listener of listeners) listener(notice);
  };
  client.onDead(() => emit({ kind: 'dead' }));

  return {
    info: () => info,
    negotiateFeatures: (requested: number) => client.request({ kind: 'op', op: { op: 'negotiateFeatures', requested } }),
    async register(start: bigint, end: bigint, cookie: bigint, flags = 0): Promise<void> {
      await client.request({ kind: 'op', op: { op: 'register', start, end, cookie, flags } });
    },
    async registerSlot(start: bigint, end: bigint, cookie: bigint, flags = 0): Promise<SlotGeneration> {
      const slot = await client.request({ kind: 'op', op: { op: 'register', start, end, cookie, flags, withSlot: true } });
      if (slot === null) throw new UmmuError('EINVAL', 'registerSlot: the device session answered without a slot');
      return slot;
    },
    async unregister(cookie: bigint): Promise<void> {
      await client.request({ kind: 'op', op: { op: 'unregister', cookie } });
    },
    read: (maxEvents: number): Promise<UmmuEvent[]> => client.request({ kind: 'op', op: { op: 'read', maxEvents } }),
    counter: () => client.counter,
    query: (): Promise<QuerySnapshot> => client.request({ kind: 'op', op: { op: 'query' } }),
    arena: (): ArenaInfo => arena,
    arenaPages: (): ArenaPage[] => client.pages,
    async lab(op: LabOp): Promise<LabResult> {
      const result = await client.request({ kind: 'op', op: { op: 'lab', lab: op } });
      emit({ kind: 'lab', result });
      return result;
    },
    onNotice(listener: (notice: BackendNotice) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onReadable(listener: () => void): () => void {
      readableListeners.add(listener);
      return () => readableListeners.delete(listener);
    },
    async close(): Promise<void> {
      if (client.exited) return;
      try {
        await client.request({ kind: 'close' });
      } catch (err) {
        if (!(err instanceof UmmuError && err.code === 'ENODEV')) throw err;
      } finally {
        client.kill();
      }
    },
  };
}
