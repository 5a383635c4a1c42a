// The one interface every backend (model, kernel, replay, monitor) implements. A
// backend is one open /dev/ummunotify file plus the lab arena in the memory
// map it watches. Errors are UmmuError with the errno the kernel would give.

import type { ArenaInfo, ArenaPage, LabOp, LabResult, QuerySnapshot, SlotGeneration, UmmuEvent } from '../../shared/domain';
import type { Notice } from '../../shared/journal';
import type { ProcessIdentity } from '../../shared/messages';

export type BackendKind = 'model' | 'kernel' | 'replay' | 'monitor';

export interface BackendInfo {
  kind: BackendKind;
  /** Human-readable: "model (no /dev/ummunotify: module not loaded)", "kernel 6.12.95". */
  description: string;
  /** Features this backend can implement (what NEGOTIATE_FEATURES reports as supported). */
  supportedFeatures: number;
  pageSize: number;
  kernelRelease?: string;
  /** monitor (and a replay of a monitor recording): the watched process. */
  process?: ProcessIdentity;
}

/** Something the backend observed besides read() results, for the views. */
export type BackendNotice = Notice;

export interface Backend {
  info(): BackendInfo;
  /** UMMUNOTIFY_NEGOTIATE_FEATURES (first operation only, once): returns the granted mask. */
  negotiateFeatures(requested: number): Promise<number>;
  /** flags is ignored by the kernel unless the file negotiated. */
  register(start: bigint, end: bigint, cookie: bigint, flags?: number): Promise<void>;
  /** UMMUNOTIFY_REGISTER_SLOT (needs FEATURE_GENERATIONS): as register, plus a generation slot. */
  registerSlot(start: bigint, end: bigint, cookie: bigint, flags?: number): Promise<SlotGeneration>;
  unregister(cookie: bigint): Promise<void>;
  /** Non-blocking read with a buffer of maxEvents events; [] where read() gives EAGAIN. */
  read(maxEvents: number): Promise<UmmuEvent[]>;
  /** The generation counter, as the mmapped page shows it. */
  counter(): bigint;
  /**
   * UMMUNOTIFY_QUERY (needs FEATURE_QUERY negotiated on the kernel; the model
   * always answers). Registrations made with a slot carry it and its word.
   */
  query(): Promise<QuerySnapshot>;
  arena(): ArenaInfo;
  /** Per-page state and protection of the arena, where the backend can tell (model, kernel lab). */
  arenaPages?(): ArenaPage[];
  lab(op: LabOp): Promise<LabResult>;
  /** Subscribe to notices; returns an unsubscribe function. */
  onNotice(listener: (notice: BackendNotice) => void): () => void;
  /**
   * Subscribe to "the file became readable" (poll() reports EPOLLIN), whatever
   * caused it: what auto-read drains on. Backends that only change state
   * through their own calls (model, replay) may omit it: their notices say it.
   */
  onReadable?(listener: () => void): () => void;
  close(): Promise<void>;
}
