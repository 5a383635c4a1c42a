// The monitor backend: another process's /dev/ummunotify file, watched
// through a kernel monitor (section 4a of the design) and never driven.
// It starts from MONITOR_QUERY and applies the record stream (stream.ts);
// what happened reaches the session as the journal records the other
// backends give (onRecord for ops and read events, onNotice for
// invalidations, gaps and the close). Everything that would change the
// watched file fails with ReadOnlySessionError. The addon is imported
// lazily, so the core loads where it is not built.

import { release } from 'node:os';
import { FEATURE_MONITOR, FEATURE_QUERY, PAGE_SIZE, type QuerySnapshot } from '../../../../shared/domain';
import type { JournalRecord } from '../../../../shared/journal';
import type { ProcessIdentity } from '../../../../shared/messages';
import type { Backend, BackendInfo, BackendNotice } from '../../backend';
import { describeProcess } from './describe';
import { MonitorStream, type Observation } from './stream';
import type { MonitorRecord, NativeMonitor, WatchEnd } from '../../../../../native/lib/types';
import { subscribe } from '../listeners';

/** A write to a session that only watches: names what was refused and why. */
export class ReadOnlySessionError extends Error {
  readonly code = 'EROFS';
  constructor(what: string, process: ProcessIdentity) {
    super(`${what} refused: this session watches PID ${process.pid} (${process.command}) through a monitor and is read-only; only the process itself changes its file`);
    this.name = 'ReadOnlySessionError';
  }
}

/** The calls a watched file refuses: only the watched process changes its file. */
export function readOnlyCalls(process: ProcessIdentity): Pick<Backend, 'negotiateFeatures' | 'register' | 'registerSlot' | 'unregister' | 'read' | 'lab'> {
  const refuse = (what: string): Promise<never> => Promise.reject(new ReadOnlySessionError(what, process));
  return {
    negotiateFeatures: () => refuse('NEGOTIATE_FEATURES'),
    register: () => refuse('REGISTER'),
    registerSlot: () => refuse('REGISTER_SLOT'),
    unregister: () => refuse('UNREGISTER'),
    read: () => refuse('read() (it would take reports from the process)'),
    lab: () => refuse('a lab operation'),
  };
}

export interface MonitorBackendOptions {
  /** Ring capacity in records (a power of two up to 1 << 20); 65536 by default. */
  ringRecords?: number;
}

export interface MonitorBackend extends Backend {
  identity(): ProcessIdentity;
  /** Ops (REGISTER, UNREGISTER, FEATURES) and read events, in stream order with the notices. */
  onRecord(listener: (record: JournalRecord) => void): () => void;
  /** Starts delivering the stream; call after subscribing. */
  start(): void;
  /** True once CLOSE (or the end of the stream) was applied. */
  ended(): boolean;
}

export const DEFAULT_MONITOR_RING = 1 << 16;
/** How long the stream stays quiet before the backend checks for records dropped at its end. */
const QUIET_MS = 200;

/**
 * Attaches to `process` (pidfd_getfd + MONITOR_OPEN, then MONITOR_QUERY).
 * Throws the addon's error (ESRCH, EPERM with the Yama hint, EBADF, ENOTTY,
 * EBUSY, ENODEV), whose message says what to do.
 */
export async function createMonitorBackend(process: ProcessIdentity, features: number, options: MonitorBackendOptions = {}): Promise<MonitorBackend> {
  const { attachMonitor } = await import('../../../../../native/lib/index');
  const monitor: NativeMonitor = attachMonitor(process.pid, process.fd, { ringRecords: options.ringRecords ?? DEFAULT_MONITOR_RING });
  let stream: MonitorStream;
  try {
    stream = new MonitorStream(monitor.query());
  } catch (err) {
    monitor.close();
    throw err;
  }
  const noticeListeners = new Set<(notice: BackendNotice) => void>();
  const recordListeners = new Set<(record: JournalRecord) => void>();
  let stopped = false;

  const emit = (observed: readonly Observation[]): void => {
    for (const record of observed) {
      if (record.kind === 'notice') for (const listener of [...noticeListeners]) listener(record.notice);
      else for (const listener of [...recordListeners]) listener(record);
    }
  };

  const take = (records: readonly MonitorRecord[]): void => {
    let batch: readonly MonitorRecord[] | null = records;
    while (batch) {
      const { observed, rest } = stream.apply(batch);
      emit(observed);
      if (rest) {
        let snapshot = null;
        try {
          snapshot = monitor.query();
        } catch {
          // The watched file is gone (ENODEV): go on without a snapshot.
        }
        emit(stream.resync(snapshot, rest[0]?.seq ?? stream.position() + 1n));
      }
      batch = rest;
    }
  };

  // Records dropped at the end of a burst leave no seq gap until the next
  // record: once the stream is quiet, MONITOR_QUERY's `dropped` tells.
  let quiet: NodeJS.Timeout | undefined;
  const checkWhenQuiet = (): void => {
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      if (stopped || stream.isClosed()) return;
      let snapshot;
      try {
        snapshot = monitor.query();
      } catch {
        return;
      }
      if (stream.lostSince(snapshot)) emit(stream.resync(snapshot, snapshot.seq + 1n));
    }, QUIET_MS);
    quiet.unref();
  };

  const onBatch = (records: MonitorRecord[], end?: WatchEnd): void => {
    if (stopped) return;
    take(records);
    if (end !== undefined && end !== 'stopped' && !stream.isClosed()) emit(stream.endWithoutClose());
    if (end === undefined) checkWhenQuiet();
  };

  const info: BackendInfo = {
    kind: 'monitor',
    description: `monitor of ${describeProcess(process)}`,
    supportedFeatures: features | FEATURE_QUERY | FEATURE_MONITOR,
    pageSize: Number(PAGE_SIZE),
    kernelRelease: release(),
    process,
  };

  return {
    info: () => ({ ...info }),
    identity: () => ({ ...process }),
    ...readOnlyCalls(process),
    counter: () => stream.generationCounter(),
    query: (): Promise<QuerySnapshot> => Promise.resolve(stream.snapshot()),
    arena: () => ({ base: 0n, pages: 0, pageSize: Number(PAGE_SIZE) }),
    onNotice: (listener) => subscribe(noticeListeners, listener),
    onRecord: (listener) => subscribe(recordListeners, listener),
    start: () => monitor.watch(onBatch, { maxDelayMs: 16 }),
    ended: () => stream.isClosed(),
    async close() {
      stopped = true;
      clearTimeout(quiet);
      monitor.close();
      noticeListeners.clear();
      recordListeners.clear();
    },
  };
}
