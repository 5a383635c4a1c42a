// Why an attach failed, as the banner says it: a headline in words for each
// errno the kernel, the addon or discovery give, the core's own message
// kept (it names the process), and the ptrace/Yama hint when it lacks one.

import { expect, test } from 'vitest';
import { attachError } from '../../../src/renderer/app/readable-error';

const YAMA = 'not allowed to take fd 5 of PID 7 (pidfd_getfd needs ptrace access: the same user, or CAP_SYS_PTRACE); Yama ptrace_scope is 1: only an ancestor of the process, a holder of CAP_SYS_PTRACE, or a process it named with prctl(PR_SET_PTRACER) may attach (or run: sysctl kernel.yama.ptrace_scope=0)';

test('each errno gets a headline; the message stays the core’s, with the Yama hint when it has none', () => {
  expect(attachError({ code: 'EPERM', message: YAMA }, 'PID 7')).toEqual({ code: 'EPERM', title: 'Not allowed to watch PID 7', message: YAMA });
  const other = attachError({ code: 'EACCES', message: 'PID 7: its descriptors cannot be read' }, 'PID 7');
  expect(other.title).toBe('Not allowed to watch PID 7');
  expect(other.message).toMatch(/^PID 7: its descriptors cannot be read\. Watching another process needs ptrace access to it: .*ptrace_scope/);
  expect(attachError({ code: 'ESRCH', message: 'no process with PID 7' }, 'PID 7')).toMatchObject({ title: 'Cannot watch PID 7: no such process', message: 'no process with PID 7 (it may have exited: refresh the list).' });
  expect(attachError({ code: 'ENODEV', message: '/dev/ummunotify does not exist (the ummunotify module is not loaded), so PID 7 (x) cannot have it open' }, 'PID 7').title).toBe(
    'The ummunotify module is not loaded on this host',
  );
  expect(attachError({ code: 'ENODEV', message: 'the watched file was closed' }, 'PID 7 fd 5').title).toBe('Cannot watch PID 7 fd 5: its ummunotify file is gone');
  expect(attachError({ code: 'ENOENT', message: 'PID 7 (x) has no /dev/ummunotify open' }, 'PID 7').title).toBe('PID 7 does not have /dev/ummunotify open');
  expect(attachError({ code: 'EBUSY', message: 'eight monitors' }, 'PID 7').title).toBe('PID 7 is already watched by as many monitors as its file allows (8)');
  expect(attachError({ code: 'ENOTTY', message: 'fd 5 is not an open /dev/ummunotify file' }, 'PID 7 fd 5').title).toBe('PID 7 fd 5: that descriptor is not an ummunotify file');
  expect(attachError({ code: 'Error', message: 'connection lost' }, 'PID 7')).toMatchObject({ title: 'Cannot watch PID 7', message: 'connection lost' });
});
