// Errors as the banner shows them: a headline a person can act on, then the
// core's own message (which names the process and, for EPERM, the Yama
// hint). Attaching to a process fails for reasons the kernel names with an
// errno; the headline says what it means.

import type { WireError } from '../../shared/messages';

/** An error to show: `title` replaces the bare code as its headline. */
export interface ShownError extends WireError {
  title?: string;
}

const PTRACE_HINT =
  'Watching another process needs ptrace access to it: the same user, and where Yama restricts ptrace (/proc/sys/kernel/yama/ptrace_scope 1 or more) CAP_SYS_PTRACE or running the viewer as its parent.';

/** Why watching `target` ("PID 4242", "PID 4242 fd 5") failed, in words. */
export function attachError(error: WireError, target: string): ShownError {
  const shown = (title: string, message = error.message): ShownError => ({ ...error, title, message });
  switch (error.code) {
    case 'ESRCH':
      return shown(`Cannot watch ${target}: no such process`, `${error.message} (it may have exited: refresh the list).`);
    case 'EPERM':
    case 'EACCES':
      return shown(`Not allowed to watch ${target}`, /ptrace/.test(error.message) ? error.message : `${error.message}. ${PTRACE_HINT}`);
    case 'ENODEV':
      return /not loaded/.test(error.message)
        ? shown('The ummunotify module is not loaded on this host', `${error.message}. Load it (modprobe ummunotify) and start the process again.`)
        : shown(`Cannot watch ${target}: its ummunotify file is gone`);
    case 'ENOENT':
      return shown(`${target} does not have /dev/ummunotify open`);
    case 'ENOTTY':
      return shown(`${target}: that descriptor is not an ummunotify file`);
    case 'EBADF':
      return shown(`${target}: that descriptor is not /dev/ummunotify`);
    case 'EBUSY':
      return shown(`${target} is already watched by as many monitors as its file allows (8)`);
    default:
      return shown(`Cannot watch ${target}`);
  }
}
