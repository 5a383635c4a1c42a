// The real device-session entry, plus what another thread of a real
// program does behind the lab's back: on SIGUSR2, map a one-page arena
// (placed in the arena region, after the lab arena) and unmap it.
import '../../../src/main/device-session/index';
import { createArena } from '../../../native/lib/index';

process.on('SIGUSR2', () => createArena(1).close());
