// The TypeScript face of the addon (native/src). Values mirror
// src/shared/domain.ts: addresses, cookies and counters are bigint.

import type { ArenaPage, LabOp, LabResult, QuerySnapshot, SlotGeneration, UmmuEvent } from '../../src/shared/domain';

/** How a watch() stream ended: stopped (unwatch/close), end of file (the owner's memory map died), or a read error. */
export type WatchEnd = 'stopped' | 'eof' | (Error & { code: string });

export interface WatchOptions {
  /** Most events per onBatch call (default 1024). */
  maxBatch?: number;
  /** Longest time the first event of a batch waits for more (default 16 ms). */
  maxDelayMs?: number;
}

/** What NEGOTIATE_FEATURES answered. */
export interface FeatureNegotiation {
  /** requested & supported: the features now in force. */
  granted: number;
  /** Every feature the kernel implements. */
  supported: number;
}

/** Errors from the addon: `code` is the errno name ('EINVAL', 'EBADF', ...). */
export interface NativeError extends Error {
  code: string;
  errno: number;
}

/** One open /dev/ummunotify file. Every call throws a NativeError on failure. */
export interface NativeDevice {
  readonly fd: number;
  readonly path: string;
  readonly closed: boolean;
  /** UMMUNOTIFY_EXCHANGE_FEATURES, the 2010 call: returns what the kernel wrote back (0); turns nothing on. */
  exchangeFeatures(value: number): number;
  /** UMMUNOTIFY_NEGOTIATE_FEATURES: the only way extensions are turned on (first operation, once). */
  negotiateFeatures(requested: number): FeatureNegotiation;
  /** flags and reserved are ignored by the kernel unless the file negotiated. */
  register(start: bigint, end: bigint, cookie: bigint, flags?: number, reserved?: number): void;
  /**
   * UMMUNOTIFY_REGISTER_SLOT (needs FEATURE_GENERATIONS; as register on a
   * negotiated file): the registration's slot and the slot's generation as
   * the registration became visible.
   */
  registerSlot(start: bigint, end: bigint, cookie: bigint, flags?: number, reserved?: number): SlotGeneration;
  /**
   * The word of a slot registerSlot returned on this file (freed slots
   * included): one acquire load from the mapped generation words, mapped
   * on first use and remapped larger as slots grow. RangeError for a slot
   * never returned (its page may not exist: reading it would be SIGBUS).
   */
  generation(slot: number): bigint;
  /** Slots the generation words mapping covers now (0 before the first generation()). */
  readonly generationSlotsMapped: number;
  unregister(cookie: bigint): void;
  /**
   * One non-blocking read() into a buffer of maxEvents events (or exactly
   * bufferBytes bytes): [] when nothing is queued (EAGAIN), null at end of file.
   */
  read(maxEvents: number, bufferBytes?: number): UmmuEvent[] | null;
  /** The generation counter from the mmapped page: one acquire load, no system call after the first. */
  counter(): bigint;
  /** UMMUNOTIFY_QUERY (needs FEATURE_QUERY negotiated). */
  query(): QuerySnapshot;
  /**
   * Streams events from a native thread in batches. onBatch runs on the JS
   * thread; its last call carries `end` (possibly with a final batch).
   */
  watch(onBatch: (events: UmmuEvent[], end?: WatchEnd) => void, options?: WatchOptions): void;
  /** Stops watch(): the batch already read is delivered, then the end call. */
  unwatch(): void;
  /**
   * Calls onReadable on the JS thread after each time the file became
   * readable (or its memory map died), from a native thread that reads
   * nothing: the caller drains. Wake-ups while a call is pending fold into it.
   */
  watchReadable(onReadable: () => void): void;
  /** Stops watchReadable(); no call comes after it returns. */
  unwatchReadable(): void;
  /** Idempotent. A device that is garbage collected unclosed is closed by its finalizer. */
  close(): void;
}

/** The lab arena: one anonymous private mapping, huge pages off, populated. */
export interface NativeArena {
  readonly base: bigint;
  readonly pages: number;
  readonly pageSize: number;
  /** Runs a lab op; RangeError for ranges outside the arena, NativeError (EFAULT, ENOMEM...) otherwise. */
  run(op: LabOp): LabResult;
  /** Per page: unmapped, none (mapped, no page), zero (the shared zero page) or present, and the protection. */
  pageStates(): ArenaPage[];
  close(): void;
}

/** UMMUNOTIFY_MONITOR_RECORD_*: FEATURES 0, REGISTER 1, UNREGISTER 2, INVALIDATE 3, HIT 4, READ 5, CLOSE 6. */
export type MonitorRecordType = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** struct ummunotify_monitor_record; field meanings by type in the uapi header ("Monitors"). */
export interface MonitorRecord {
  seq: bigint;
  timeNs: bigint;
  type: MonitorRecordType;
  flags: number;
  start: bigint;
  end: bigint;
  cookie: bigint;
  counter: bigint;
  aux: bigint;
}

/** MONITOR_QUERY: the watched file's snapshot, the seq of the newest record it includes, and records this monitor dropped. */
export interface MonitorSnapshot extends QuerySnapshot {
  seq: bigint;
  dropped: bigint;
}

export interface MonitorOptions {
  /** Ring capacity in records: 0 (default 16384) or a power of two up to 1 << 20. */
  ringRecords?: number;
  /** Also record invalidations that hit no registration. */
  misses?: boolean;
}

/**
 * A monitor on another process's /dev/ummunotify file (kernel/README.md,
 * "Monitors"). Every call throws a NativeError on failure; attaching says
 * why (ESRCH, EPERM with the Yama ptrace_scope hint, EBADF, ENOTTY, EBUSY,
 * ENODEV).
 */
export interface NativeMonitor {
  /** The monitor's own descriptor (-1 once closed). */
  readonly fd: number;
  /** The watched process and its descriptor. */
  readonly pid: number;
  readonly targetFd: number;
  readonly closed: boolean;
  /** MONITOR_QUERY; ENODEV once the watched file is closed. */
  query(): MonitorSnapshot;
  /** One non-blocking read of at most maxRecords: [] when nothing is there, null at end of file (after CLOSE). */
  read(maxRecords: number): MonitorRecord[] | null;
  /** Records in batches from a native epoll thread, as NativeDevice.watch(); the last call carries `end` ('eof' after CLOSE). */
  watch(onBatch: (records: MonitorRecord[], end?: WatchEnd) => void, options?: WatchOptions): void;
  unwatch(): void;
  /** Idempotent; a monitor garbage collected unclosed is closed by its finalizer. */
  close(): void;
}

export interface NativeAddon {
  Device: new (path?: string) => NativeDevice;
  Monitor: new (pid: number, fd: number, options?: MonitorOptions) => NativeMonitor;
  Arena: new (pages: number) => NativeArena;
}

/** What the .node file exports: watch() is added by the loader over watchRaw(). */
export interface RawDevice extends Omit<NativeDevice, 'watch'> {
  watchRaw(onBatch: (buffer: ArrayBuffer, end?: WatchEnd) => void, options?: WatchOptions): void;
}

/** What the .node file exports for a monitor: read() and watch() are added by the loader. */
export interface RawMonitor extends Omit<NativeMonitor, 'read' | 'watch'> {
  readRaw(maxRecords: number): ArrayBuffer | null;
  watchRaw(onBatch: (buffer: ArrayBuffer, end?: WatchEnd) => void, options?: WatchOptions): void;
}

export interface RawAddon {
  Device: (new (path?: string) => RawDevice) & { prototype: RawDevice };
  Monitor: (new (pid: number, fd: number, options?: MonitorOptions) => RawMonitor) & { prototype: RawMonitor };
  Arena: new (pages: number) => NativeArena;
}
