// How the kernel backend starts the device-session process. The backend
// stays free of Electron and of child_process: the shell passes a launcher
// built on Electron's utilityProcess (app) or child_process.fork (serve
// mode, tests).

/** A message channel to one device-session process. */
export interface DeviceChannel {
  postMessage(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): void;
  /** Called once when the process ends; code is null when it was killed by a signal. */
  onExit(cb: (code: number | null) => void): void;
  kill(): void;
}

/** Starts `entryScript` (the built device-session entry) as a separate process. */
export type DeviceProcessLauncher = (entryScript: string) => DeviceChannel;
