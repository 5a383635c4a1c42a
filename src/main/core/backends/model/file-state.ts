// One open /dev/ummunotify file: negotiated features, the "used" flag that
// closes the EXCHANGE_FEATURES window, the registrations, the invalid queue,
// "need empty" and the generation counter. Every errno the file can give is
// decided here.

import {
  EVENT_TYPE_LAST,
  FEATURE_FILTER,
  FEATURE_HINT_UNION,
  FEATURES_ALL,
  QUERY_NEED_EMPTY,
  REASON_VALID_MASK,
  UmmuError,
  type QuerySnapshot,
  type UmmuEvent,
} from '../../../../shared/domain';
import { InvalidQueue } from './invalid-queue';
import { clearReport, newRegistration, RegistrationTable, type Registration } from './registrations';
import { invalEvent, queryEntry } from './report';

/** x86-64 user address limit (TASK_SIZE_MAX): REGISTER end may not exceed it. */
export const TASK_SIZE = 0x7ffffffff000n;
/** read() returns at most one 4096-byte page of 32-byte events. */
export const READ_MAX_EVENTS = 128;
/** The module parameter max_registrations' default. */
export const DEFAULT_MAX_REGISTRATIONS = 4194304;

const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 0xffffffff;
const hex = (value: bigint): string => `0x${value.toString(16)}`;

function requireU64(value: bigint, what: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) {
    throw new RangeError(`${what}: expected a u64 bigint, got ${String(value)}`);
  }
}

function requireU32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new RangeError(`${what}: expected a u32 integer, got ${String(value)}`);
  }
}

export class UmmuFile {
  private features = 0;
  private used = false;
  private needEmpty = false;
  private generation = 0n;
  private closed = false;
  private readonly registrations = new RegistrationTable();
  private readonly queue = new InvalidQueue();

  constructor(private readonly maxRegistrations = DEFAULT_MAX_REGISTRATIONS) {}

  get counter(): bigint {
    return this.generation;
  }

  get grantedFeatures(): number {
    return this.features;
  }

  get registrationCount(): number {
    return this.registrations.size;
  }

  /** Nodes the last invalidation's overlap lookup visited. */
  get lastLookupVisits(): number {
    return this.registrations.lastLookupVisits;
  }

  exchangeFeatures(wanted: number): number {
    requireU32(wanted, 'exchangeFeatures: wanted');
    this.checkOpen('exchangeFeatures');
    if (this.used) {
      throw new UmmuError('EINVAL', 'exchangeFeatures: only allowed as the first operation on the file');
    }
    this.used = true;
    this.features = wanted & FEATURES_ALL;
    return this.features;
  }

  register(start: bigint, end: bigint, cookie: bigint, flags = 0): void {
    requireU64(start, 'register: start');
    requireU64(end, 'register: end');
    requireU64(cookie, 'register: cookie');
    requireU32(flags, 'register: flags');
    this.checkOpen('register');
    // As the 2010 driver does, a REGISTER that reaches the file uses it,
    // even when it is refused.
    this.used = true;
    if (start >= end) throw new UmmuError('EINVAL', `register: start ${hex(start)} >= end ${hex(end)}`);
    if (end > TASK_SIZE) {
      throw new UmmuError('EINVAL', `register: end ${hex(end)} is above the user address limit ${hex(TASK_SIZE)}`);
    }
    this.checkRegisterFlags(flags);
    if (this.registrations.has(cookie)) {
      throw new UmmuError('EINVAL', `register: cookie ${hex(cookie)} is already registered`);
    }
    if (this.registrations.size >= this.maxRegistrations) {
      throw new UmmuError('ENOSPC', `register: the file already holds max_registrations (${this.maxRegistrations})`);
    }
    this.registrations.add(newRegistration(start, end, cookie, flags));
  }

  unregister(cookie: bigint): void {
    requireU64(cookie, 'unregister: cookie');
    this.checkOpen('unregister');
    this.used = true;
    const reg = this.registrations.delete(cookie);
    if (reg === undefined) throw new UmmuError('EINVAL', `unregister: cookie ${hex(cookie)} is not registered`);
    if (reg.queued) this.queue.remove(reg);
  }

  /**
   * One notifier call over [s, e) with a reason. Returns the cookies it hit
   * (queued or re-hit), in the order it visited them.
   */
  invalidate(s: bigint, e: bigint, reason: number): bigint[] {
    if (s >= e) throw new RangeError(`invalidate: empty range [${hex(s)}, ${hex(e)})`);
    if (this.closed) return [];
    const hits: bigint[] = [];
    for (const reg of this.registrations.overlapping(s, e)) {
      if ((reg.filter & (1 << reason)) !== 0) continue;
      this.hit(reg, s, e, reason);
      hits.push(reg.cookie);
    }
    if (hits.length > 0) this.generation = (this.generation + 1n) & U64_MAX;
    return hits;
  }

  /** A non-blocking read() with room for maxEvents events; [] where read() gives EAGAIN. */
  read(maxEvents: number): UmmuEvent[] {
    if (!Number.isInteger(maxEvents)) throw new RangeError(`read: maxEvents must be an integer, got ${maxEvents}`);
    this.checkOpen('read');
    this.used = true;
    if (maxEvents < 1) {
      throw new UmmuError('EINVAL', `read: a buffer of ${maxEvents} events is smaller than one event`);
    }
    if (this.queue.length === 0 && !this.needEmpty) return [];
    const room = Math.min(maxEvents, READ_MAX_EVENTS);
    const events: UmmuEvent[] = [];
    while (events.length < room) {
      const reg = this.queue.shift();
      if (reg === undefined) {
        events.push({ type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: this.generation });
        this.needEmpty = false;
        break;
      }
      events.push(invalEvent(reg, this.features));
      clearReport(reg);
      this.needEmpty = true;
    }
    return events;
  }

  query(): QuerySnapshot {
    this.checkOpen('query');
    this.used = true;
    return {
      counter: this.generation,
      flags: this.needEmpty ? QUERY_NEED_EMPTY : 0,
      registrations: this.registrations.ordered().map((reg) => queryEntry(reg, this.features)),
      queue: this.queue.snapshot().map((reg) => reg.cookie),
    };
  }

  close(): void {
    this.closed = true;
  }

  private hit(reg: Registration, s: bigint, e: bigint, reason: number): void {
    const clippedStart = s > reg.start ? s : reg.start;
    const clippedEnd = e < reg.end ? e : reg.end;
    reg.reasonMask |= 1 << reason;
    if (!reg.queued) {
      reg.queued = true;
      reg.hint = true;
      reg.hintStart = clippedStart;
      reg.hintEnd = clippedEnd;
      reg.firstReason = reason;
      this.queue.push(reg);
      return;
    }
    if ((this.features & FEATURE_HINT_UNION) === 0) {
      reg.hint = false;
      return;
    }
    reg.hintUnion = true;
    if (clippedStart < reg.hintStart) reg.hintStart = clippedStart;
    if (clippedEnd > reg.hintEnd) reg.hintEnd = clippedEnd;
  }

  private checkRegisterFlags(flags: number): void {
    if ((this.features & FEATURE_FILTER) === 0) {
      if (flags !== 0) {
        throw new UmmuError('EINVAL', `register: flags 0x${flags.toString(16)} must be 0 without FEATURE_FILTER`);
      }
      return;
    }
    const unknown = flags & ~REASON_VALID_MASK;
    if (unknown !== 0) {
      throw new UmmuError('EINVAL', `register: filter bits 0x${(unknown >>> 0).toString(16)} are not reasons`);
    }
  }

  private checkOpen(what: string): void {
    if (this.closed) throw new UmmuError('EBADF', `${what}: the file is closed`);
  }
}
