// The registrations of one file: a cookie map for REGISTER/UNREGISTER and an
// interval index for the notifier's overlap lookup. Each registration embeds
// its report state, as the kernel's struct does, so a registration is
// queued at most once however often it is hit.
//
// Notification order follows the kernel's interval tree, which is keyed by
// start alone and links an equal start to the right of the existing ones:
// its in-order walk is by start, then by registration order. QUERY lists by
// (start, end, cookie), as the uapi header defines.

import { IntervalIndex } from './interval-index';

export interface Registration {
  readonly start: bigint;
  readonly end: bigint;
  readonly cookie: bigint;
  /** REGISTER flags: with FEATURE_FILTER, the mask of reasons to ignore. */
  readonly filter: number;
  /** REGISTER_SLOT: its generation slot; null for REGISTER_REGION. */
  readonly slot: number | null;
  /** Registration order in the file; a re-registered cookie gets a new one. */
  sequence: number;
  queued: boolean;
  /** The hint is exact (one hit, or a union under HINT_UNION). */
  hint: boolean;
  hintUnion: boolean;
  hintStart: bigint;
  hintEnd: bigint;
  /** Reason of the first hit since the registration was last reported. */
  firstReason: number;
  /** 1 << reason for every hit since the registration was last reported. */
  reasonMask: number;
}

export function newRegistration(start: bigint, end: bigint, cookie: bigint, filter: number, slot: number | null = null): Registration {
  return {
    start,
    end,
    cookie,
    filter,
    slot,
    sequence: 0,
    queued: false,
    hint: false,
    hintUnion: false,
    hintStart: 0n,
    hintEnd: 0n,
    firstReason: 0,
    reasonMask: 0,
  };
}

export function clearReport(reg: Registration): void {
  reg.queued = false;
  reg.hint = false;
  reg.hintUnion = false;
  reg.hintStart = 0n;
  reg.hintEnd = 0n;
  reg.firstReason = 0;
  reg.reasonMask = 0;
}

export class RegistrationTable {
  private readonly byCookie = new Map<bigint, Registration>();
  private readonly index = new IntervalIndex<Registration>();
  private nextSequence = 0;

  get size(): number {
    return this.byCookie.size;
  }

  /** Nodes the last overlap lookup visited. */
  get lastLookupVisits(): number {
    return this.index.lastVisits;
  }

  has(cookie: bigint): boolean {
    return this.byCookie.has(cookie);
  }

  get(cookie: bigint): Registration | undefined {
    return this.byCookie.get(cookie);
  }

  add(reg: Registration): void {
    reg.sequence = this.nextSequence++;
    this.byCookie.set(reg.cookie, reg);
    this.index.insert(reg);
  }

  delete(cookie: bigint): Registration | undefined {
    const reg = this.byCookie.get(cookie);
    if (reg === undefined) return undefined;
    this.byCookie.delete(cookie);
    this.index.remove(reg);
    return reg;
  }

  /** Registrations overlapping [s, e), in notification order: by start, then registration order. */
  overlapping(s: bigint, e: bigint): Registration[] {
    return this.index.overlapping(s, e).sort((a, b) => (a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.sequence - b.sequence));
  }

  /** Every registration, ordered by (start, end, cookie). */
  ordered(): Registration[] {
    return this.index.entries();
  }
}
