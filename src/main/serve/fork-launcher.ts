// Serve mode starts the device-session process with child_process.fork:
// a plain Node process whose memory map is the one the device watches.

import { fork } from 'node:child_process';
import type { DeviceChannel, DeviceProcessLauncher } from '../core/backends/kernel/launcher';

export const forkLauncher: DeviceProcessLauncher = (entryScript: string): DeviceChannel => {
  const child = fork(entryScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  return {
    postMessage: (msg) => {
      if (child.connected) child.send(msg as object);
    },
    onMessage: (cb) => child.on('message', (msg: unknown) => cb(msg)),
    onExit: (cb) => child.once('exit', (code) => cb(code)),
    kill: () => child.kill(),
  };
};
