// The ummunotify domain as every TypeScript layer sees it: the ABI of
// kernel/include/uapi/linux/ummunotify.h (values must match it), plus the
// lab arena. Addresses and cookies are u64, so they are bigint here; the
// wire encoding lives in the message schema, not in these types.

export const PAGE_SIZE = 4096n;

export const EVENT_TYPE_INVAL = 0;
export const EVENT_TYPE_LAST = 1;

export const EVENT_FLAG_HINT = 1 << 0;
export const EVENT_FLAG_HINT_UNION = 1 << 1;

export const FEATURE_REASON = 1 << 0;
export const FEATURE_FILTER = 1 << 1;
export const FEATURE_HINT_UNION = 1 << 2;
export const FEATURE_QUERY = 1 << 3;
/** Reported in `supported`: the file can be watched by monitors (nothing to negotiate; granting it changes nothing). */
export const FEATURE_MONITOR = 1 << 4;
/** Per-registration generation words: REGISTER_SLOT gives a registration a slot whose word counts its hits. */
export const FEATURE_GENERATIONS = 1 << 5;
/** Every feature bit the app implements end to end: what the model grants and the kernel backend offers. */
export const FEATURES_ALL = FEATURE_REASON | FEATURE_FILTER | FEATURE_HINT_UNION | FEATURE_QUERY | FEATURE_MONITOR | FEATURE_GENERATIONS;
/** Every feature bit the module implements (its NEGOTIATE_FEATURES `supported`). */
export const MODULE_FEATURES = FEATURES_ALL;

/** Slots a file can have in use at once (UMMUNOTIFY_GENERATIONS_MAX_SLOTS). */
export const GENERATIONS_MAX_SLOTS = 1 << 22;

/**
 * A registration's generation slot: its index in the generation words and
 * the word's value. REGISTER_SLOT returns it as the registration became
 * visible; the word then grows by 1 per hit and once more at UNREGISTER,
 * and is never reset (a reused slot starts above any stale copy).
 */
export interface SlotGeneration {
  slot: number;
  generation: bigint;
}

export const Reason = {
  UNMAP: 0,
  CLEAR: 1,
  PROTECTION_VMA: 2,
  PROTECTION_PAGE: 3,
  SOFT_DIRTY: 4,
  RELEASE: 5,
  MIGRATE: 6,
  EXCLUSIVE: 7,
  UNKNOWN: 15,
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
export const REASON_VALID_MASK = 0x80ff;

export const eventReason = (flags: number): number => (flags >>> 8) & 0xff;
export const eventReasonMask = (flags: number): number => (flags >>> 16) & 0xffff;

/** One struct ummunotify_event as read() returns it. */
export interface UmmuEvent {
  type: typeof EVENT_TYPE_INVAL | typeof EVENT_TYPE_LAST;
  flags: number;
  hintStart: bigint;
  hintEnd: bigint;
  /** INVAL: the registration's cookie; LAST: the generation counter. */
  cookieOrCounter: bigint;
}

export const QUERY_REG_QUEUED = 1 << 0;
export const QUERY_REG_HINT = 1 << 1;
export const QUERY_REG_HINT_UNION = 1 << 2;
export const QUERY_NEED_EMPTY = 1 << 0;
export const QUERY_DEAD = 1 << 1;

/** struct ummunotify_query_reg. */
export interface QueryRegistration {
  start: bigint;
  end: bigint;
  cookie: bigint;
  hintStart: bigint;
  hintEnd: bigint;
  state: number;
  reasonFlags: number;
  filter: number;
  /**
   * Not part of the kernel's QUERY: the registration's slot and its word
   * now, for registrations made with a slot (added by the backend that
   * knows the slots: the model, the device session).
   */
  slot?: SlotGeneration;
}

/** The UMMUNOTIFY_QUERY snapshot: registrations sorted by (start, end, cookie). */
export interface QuerySnapshot {
  counter: bigint;
  flags: number;
  registrations: QueryRegistration[];
  /** Cookies in the order read() would return them. */
  queue: bigint[];
}

/** errno names a backend may raise; the same words the kernel uses. */
export type ErrnoCode = 'EINVAL' | 'EBADF' | 'ENODEV' | 'EFAULT' | 'ENOMEM' | 'ENOSPC' | 'EAGAIN' | 'ENOENT' | 'EACCES';

export class UmmuError extends Error {
  constructor(
    readonly code: ErrnoCode,
    message: string,
  ) {
    super(message);
    this.name = 'UmmuError';
  }
}

/** Page state of the lab arena, one per page. */
export type PageState = 'unmapped' | 'none' | 'zero' | 'present';
export type Protection = 'rw' | 'r' | 'none';

/** One arena page as the views draw it: its state and, when mapped, its protection. */
export interface ArenaPage {
  state: PageState;
  prot: Protection | null;
}

export type MadviseAdvice = 'DONTNEED' | 'FREE' | 'PAGEOUT' | 'COLD' | 'DONTFORK' | 'DOFORK' | 'WILLNEED';

/**
 * Lab operations on the arena. Page indexes are relative to the arena
 * base; `pages` counts pages. Every op is confined to the arena.
 */
export type LabOp =
  | { op: 'touch'; page: number; pages: number }
  | { op: 'read'; page: number; pages: number }
  | { op: 'munmap'; page: number; pages: number }
  | { op: 'mmap'; page: number; pages: number }
  | { op: 'madvise'; page: number; pages: number; advice: MadviseAdvice }
  | { op: 'mprotect'; page: number; pages: number; prot: Protection }
  | { op: 'mremap'; page: number; pages: number; newPages: number; newPage?: number }
  | { op: 'fork'; page: number; pages: number };

/** What a lab op did: the exact address range it affected. */
export interface LabResult {
  op: LabOp['op'];
  start: bigint;
  end: bigint;
  /** mremap move: where the range went. */
  movedTo?: { start: bigint; end: bigint };
}

export interface ArenaInfo {
  base: bigint;
  pages: number;
  pageSize: number;
}

/** A user-level operation on a session: what recordings and the message schema carry. */
export type SessionOp =
  | { op: 'negotiateFeatures'; requested: number }
  /** withSlot: REGISTER_SLOT (needs FEATURE_GENERATIONS) instead of REGISTER_REGION. */
  | { op: 'register'; start: bigint; end: bigint; cookie: bigint; flags: number; withSlot?: boolean }
  | { op: 'unregister'; cookie: bigint }
  | { op: 'read'; maxEvents: number }
  | { op: 'query' }
  | { op: 'lab'; lab: LabOp };

/** What a successful SessionOp returns, by op name. */
export interface SessionOpResults {
  negotiateFeatures: number;
  /** The slot and its generation with withSlot, else null. */
  register: SlotGeneration | null;
  unregister: null;
  read: UmmuEvent[];
  query: QuerySnapshot;
  lab: LabResult;
}
