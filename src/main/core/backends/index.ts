// Which backend a new session gets, and why (the UI shows the reason):
// the kernel when /dev/ummunotify exists and the kernel backend opens it,
// else the model. The kernel backend is imported lazily (a plain dynamic
// import, which Node and the bundler both understand), so a missing or
// broken native addon never breaks the model path.

import { existsSync } from 'node:fs';
import { platform, release } from 'node:os';
import type { Backend } from '../backend';
import type { DeviceProcessLauncher } from './kernel/launcher';
import { createModelBackend } from './model/index';
import type { BackendChoice } from '../../../shared/messages';
import { DEVICE_PATH } from '../discovery';

export { DEVICE_PATH } from '../discovery';

export interface BackendEnvironment {
  /** Starts the device-session process (utilityProcess in the app, fork in serve mode). */
  launcher: DeviceProcessLauncher;
  /** The built device-session entry (out/main/device-session.js). */
  deviceSessionEntry: string;
  devicePath?: string;
  modelPages?: number;
}

export interface BackendSelection {
  backend: Backend;
  /** "kernel: /dev/ummunotify opened", "model: /dev/ummunotify not present (module not loaded)". */
  reason: string;
}

async function openKernel(env: BackendEnvironment, devicePath: string): Promise<Backend> {
  const { createKernelBackend } = await import('./kernel/index');
  return createKernelBackend(env.launcher, { devicePath, entryScript: env.deviceSessionEntry });
}

// On Linux the model follows the running kernel's VMA rules (they differ
// between 6.1 and 6.12); elsewhere it takes its default.
const modelKernelRelease = (): { kernelRelease?: string } => (platform() === 'linux' ? { kernelRelease: release() } : {});

const model = (env: BackendEnvironment, reason: string): BackendSelection => ({
  backend: createModelBackend({
    ...modelKernelRelease(),
    ...(env.modelPages === undefined ? {} : { pages: env.modelPages }),
  }),
  reason: `model: ${reason}`,
});

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function selectBackend(choice: BackendChoice, env: BackendEnvironment): Promise<BackendSelection> {
  const devicePath = env.devicePath ?? DEVICE_PATH;
  if (choice === 'model') return model(env, 'chosen by the user');
  if (choice === 'kernel') {
    return { backend: await openKernel(env, devicePath), reason: `kernel: ${devicePath} opened (chosen by the user)` };
  }
  if (!existsSync(devicePath)) return model(env, `${devicePath} not present (module not loaded)`);
  try {
    return { backend: await openKernel(env, devicePath), reason: `kernel: ${devicePath} opened` };
  } catch (err) {
    return model(env, `kernel backend unavailable: ${describe(err)}`);
  }
}
