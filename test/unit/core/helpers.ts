// Sessions and hosts over the real model backend, for the core's tests.

import { SessionHost, type SessionHostOptions } from '../../../src/main/core/session-host';
import { PAGE_SIZE as PAGE } from '../../../src/shared/domain';

export { PAGE };
export { harness, type Harness } from '../../fixtures/model-session';

/** A SessionHost on a machine without the device: its sessions are the model's (or replays, or monitors). */
export function hostWithoutDevice(options: Partial<SessionHostOptions> = {}): SessionHost {
  return new SessionHost({
    launcher: () => {
      throw new Error('no device session here');
    },
    deviceSessionEntry: '/nonexistent',
    devicePath: '/nonexistent/ummunotify',
    ...options,
  });
}
