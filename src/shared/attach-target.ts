// What to attach to, as a person types it (serve's --attach, the Processes view): PID or PID:FD.

export interface AttachTarget {
  pid: number;
  /** Absent: the process's only /dev/ummunotify descriptor. */
  fd?: number;
}

/** Throws an Error saying what was expected. */
export function parseAttachTarget(value: string): AttachTarget {
  const match = /^(\d+)(?::(\d+))?$/.exec(value);
  const pid = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(pid) || pid < 1) throw new Error(`expected PID or PID:FD, got ${JSON.stringify(value)}`);
  return match[2] === undefined ? { pid } : { pid, fd: Number(match[2]) };
}
