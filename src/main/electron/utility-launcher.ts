// The app starts the device-session process as an Electron utilityProcess:
// a Node child of the app whose memory map is the one the device watches.

import { utilityProcess } from 'electron';
import type { DeviceChannel, DeviceProcessLauncher } from '../core/backends/kernel/launcher';

export const utilityLauncher: DeviceProcessLauncher = (entryScript: string): DeviceChannel => {
  const child = utilityProcess.fork(entryScript, [], { serviceName: 'ummunotify device session', stdio: 'inherit' });
  // A fatal V8 error in the child: without a listener the emitter would
  // throw in main. 'exit' follows, which the kernel backend already handles.
  child.on('error', (type, location) => {
    console.error(`device session: ${type} at ${location}`);
  });
  return {
    postMessage: (msg) => child.postMessage(msg),
    onMessage: (cb) => child.on('message', (msg: unknown) => cb(msg)),
    onExit: (cb) => child.once('exit', (code: number) => cb(code)),
    kill: () => {
      child.kill();
    },
  };
};
