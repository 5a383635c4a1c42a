// How a watched process is named in descriptions (the session's, a recording's).

import type { ProcessIdentity } from '../../../../shared/messages';

/** "PID 4242 fd 5: regcache-demo --wait (rank 3 on node7)". */
export function describeProcess(process: ProcessIdentity): string {
  const rank = process.rank === null ? `on ${process.host}` : `rank ${process.rank} on ${process.host}`;
  return `PID ${process.pid} fd ${process.fd}: ${process.command} (${rank})`;
}
