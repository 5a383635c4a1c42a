// A session over the real model backend, with every pushed item collected.

import { createModelBackend } from '../../../src/main/core/backends/model/index';
import { Session, type SessionOptions } from '../../../src/main/core/session';
import { SessionHost, type SessionHostOptions } from '../../../src/main/core/session-host';
import { PAGE_SIZE as PAGE } from '../../../src/shared/domain';
import type { PushBatch, PushItem } from '../../../src/shared/messages';

export { PAGE };

export interface Harness {
  session: Session;
  batches: PushBatch[];
  base: bigint;
  page(n: number): bigint;
  /** Waits for queued backend work, then delivers pending pushes. */
  settle(): Promise<void>;
  items(): PushItem[];
}

export function harness(options: Partial<SessionOptions> = {}): Harness {
  const backend = createModelBackend({ pages: 32 });
  const session = new Session(backend, { selection: 'model: test', flushIntervalMs: 10_000, ...options });
  const batches: PushBatch[] = [];
  session.subscribe((batch) => batches.push(batch));
  const base = backend.arena().base;
  return {
    session,
    batches,
    base,
    page: (n) => base + BigInt(n) * PAGE,
    async settle() {
      await session.idle();
      session.flush();
    },
    items: () => batches.flatMap((b) => b.items),
  };
}

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
