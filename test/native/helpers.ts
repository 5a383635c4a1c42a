// Shared by the addon tests: where things are, a device-session launcher
// built on child_process.fork (running the TypeScript entry through
// ts-hooks.mjs), and small event helpers.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DeviceChannel, DeviceProcessLauncher } from '../../src/main/core/backends/kernel/launcher';
import { EVENT_TYPE_INVAL, eventReason, type UmmuEvent, PAGE_SIZE as PAGE } from '../../src/shared/domain';

export { PAGE };
export const REGISTER_TS = fileURLToPath(new URL('./register-ts.mjs', import.meta.url));
export const DEVICE_SESSION_ENTRY = fileURLToPath(new URL('../../src/main/device-session/index.ts', import.meta.url));
/** The device-session entry plus an mmap and munmap outside the lab on SIGUSR2 (inside/unmap-on-signal-entry.ts). */
export const UNMAP_ON_SIGNAL_ENTRY = fileURLToPath(new URL('./inside/unmap-on-signal-entry.ts', import.meta.url));

/** A launcher that also hands each process it starts to `onChild` (to signal it). */
export const forkLauncherWatching =
  (onChild: (child: ChildProcess) => void): DeviceProcessLauncher =>
  (entryScript: string): DeviceChannel => {
    const child = fork(entryScript, [], { execArgv: ['--import', REGISTER_TS], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    onChild(child);
    return {
      postMessage: (msg) => child.send(msg as object),
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) => child.on('exit', (code) => cb(code)),
      kill: () => child.kill(),
    };
  };

export const forkLauncher: DeviceProcessLauncher = forkLauncherWatching(() => {});

export const inVm = process.env.UMMUNOTIFY_VM === '1';

/** `promise`, or a rejection saying what never happened after `ms`: a guard against hangs, not a timing check. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Inval {
  cookie: bigint;
  flags: number;
  hint: [bigint, bigint];
}

export function invals(events: UmmuEvent[]): Inval[] {
  return events
    .filter((e) => e.type === EVENT_TYPE_INVAL)
    .map((e) => ({ cookie: e.cookieOrCounter, flags: e.flags, hint: [e.hintStart, e.hintEnd] }));
}

export const reasonOf = (e: Inval): number => eventReason(e.flags);
