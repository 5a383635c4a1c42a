// Log lines about refused clients, at most `burst` per kind in each window:
// a misbehaving page that retries in a loop must not flood the terminal.
// What was held back is counted in the next line of that kind.

export interface RateLimitedLog {
  (kind: string, line: string): void;
}

export function rateLimitedLog(write: (line: string) => void, options: { burst?: number; windowMs?: number; now?: () => number } = {}): RateLimitedLog {
  const burst = options.burst ?? 5;
  const windowMs = options.windowMs ?? 10_000;
  const now = options.now ?? Date.now;
  const kinds = new Map<string, { windowStart: number; written: number; suppressed: number }>();
  return (kind, line) => {
    const t = now();
    let state = kinds.get(kind);
    if (!state || t - state.windowStart >= windowMs) {
      const suppressed = state?.suppressed ?? 0;
      state = { windowStart: t, written: 0, suppressed: 0 };
      kinds.set(kind, state);
      if (suppressed > 0) line = `${line} (${suppressed} more like it not shown)`;
    }
    if (state.written >= burst) {
      state.suppressed++;
      return;
    }
    state.written++;
    write(line);
  };
}
