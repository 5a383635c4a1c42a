// One open /dev/ummunotify file: which rules it follows (2010, or
// negotiated and strict), the registrations, the invalid queue, "need empty"
// and the generation counter. Every errno the file can give is decided here.

import {
  EVENT_TYPE_LAST,
  FEATURE_FILTER,
  FEATURE_GENERATIONS,
  FEATURE_HINT_UNION,
  GENERATIONS_MAX_SLOTS,
  FEATURES_ALL,
  QUERY_NEED_EMPTY,
  REASON_VALID_MASK,
  UmmuError,
  type QueryRegistration,
  type QuerySnapshot,
  type SlotGeneration,
  type UmmuEvent,
} from '../../../../shared/domain';
import { GenerationSlots } from './generation-slots';
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

/** What NEGOTIATE_FEATURES answers. */
export interface FeatureNegotiation {
  granted: number;
  supported: number;
}

export class UmmuFile {
  /** In force; only ever set by negotiateFeatures. */
  private features = 0;
  /** As the 2010 driver counted uses (REGISTER, read, EXCHANGE/NEGOTIATE, QUERY): ends EXCHANGE_FEATURES. */
  private used = false;
  /** Any use, UNREGISTER and the counter mapping included: ends NEGOTIATE_FEATURES. */
  private settled = false;
  /** NEGOTIATE_FEATURES succeeded: REGISTER checks flags and reserved. */
  private negotiated = false;
  private needEmpty = false;
  private generation = 0n;
  private closed = false;
  private readonly registrations = new RegistrationTable();
  private readonly queue = new InvalidQueue();
  private readonly slots = new GenerationSlots();

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

  /** The 2010 call: writes back 0 and turns nothing on, whatever `value` is. */
  exchangeFeatures(value: number): number {
    requireU32(value, 'exchangeFeatures: value');
    this.checkOpen('exchangeFeatures');
    const wasUsed = this.used;
    this.use();
    if (wasUsed) {
      throw new UmmuError('EINVAL', 'exchangeFeatures: refused once the file was used (REGISTER, read, EXCHANGE/NEGOTIATE, QUERY)');
    }
    return 0;
  }

  /** The only way extensions are turned on: as the first operation, once. A failed call changes nothing. */
  negotiateFeatures(requested: number, reserved = 0): FeatureNegotiation {
    requireU32(requested, 'negotiateFeatures: requested');
    requireU32(reserved, 'negotiateFeatures: reserved');
    this.checkOpen('negotiateFeatures');
    if (this.settled) throw new UmmuError('EINVAL', 'negotiateFeatures: only allowed once, as the first operation on the file');
    if (reserved !== 0) throw new UmmuError('EINVAL', 'negotiateFeatures: reserved must be 0');
    this.use();
    this.negotiated = true;
    this.features = requested & FEATURES_ALL;
    return { granted: this.features, supported: FEATURES_ALL };
  }

  /** Mapping the counter page: a use that still allows EXCHANGE_FEATURES, as in 2010. */
  mapCounter(): bigint {
    this.checkOpen('mmap');
    this.settled = true;
    return this.generation;
  }

  /** flags and reserved are ignored unless the file negotiated, as in 2010. */
  register(start: bigint, end: bigint, cookie: bigint, flags = 0, reserved = 0): void {
    this.checkRegister('register', start, end, cookie, flags, reserved);
    this.registrations.add(newRegistration(start, end, cookie, this.features & FEATURE_FILTER ? flags : 0));
  }

  /**
   * REGISTER_SLOT: register as on a negotiated file, with a generation slot
   * (the lowest free); returns it and its word as the registration became visible.
   */
  registerSlot(start: bigint, end: bigint, cookie: bigint, flags = 0, reserved = 0, slotReserved = 0): SlotGeneration {
    requireU32(slotReserved, 'registerSlot: reserved');
    this.checkOpen('registerSlot');
    this.use();
    if ((this.features & FEATURE_GENERATIONS) === 0) {
      throw new UmmuError('EINVAL', 'registerSlot: REGISTER_SLOT needs FEATURE_GENERATIONS negotiated');
    }
    if (slotReserved !== 0) throw new UmmuError('EINVAL', `registerSlot: reserved 0x${slotReserved.toString(16)} must be 0`);
    this.checkRegister('registerSlot', start, end, cookie, flags, reserved);
    const slot = this.slots.allocate();
    if (slot === undefined) throw new UmmuError('ENOSPC', `registerSlot: ${GENERATIONS_MAX_SLOTS} slots are in use`);
    this.registrations.add(newRegistration(start, end, cookie, this.features & FEATURE_FILTER ? flags : 0, slot));
    return { slot, generation: this.slots.word(slot) ?? 0n };
  }

  /** The word of a slot REGISTER_SLOT handed out on this file (freed ones too); RangeError otherwise, where the kernel's page may not exist. */
  generationOf(slot: number): bigint {
    const word = Number.isInteger(slot) && slot >= 0 ? this.slots.word(slot) : undefined;
    if (word === undefined) throw new RangeError(`generation: slot ${slot} was never returned by registerSlot on this file`);
    return word;
  }

  unregister(cookie: bigint): void {
    requireU64(cookie, 'unregister: cookie');
    this.checkOpen('unregister');
    this.settled = true;
    const reg = this.registrations.delete(cookie);
    if (reg === undefined) throw new UmmuError('EINVAL', `unregister: cookie ${hex(cookie)} is not registered`);
    if (reg.queued) this.queue.remove(reg);
    if (reg.slot !== null) {
      this.slots.bump(reg.slot);
      this.slots.release(reg.slot);
    }
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
      if (reg.slot !== null) this.slots.bump(reg.slot);
      hits.push(reg.cookie);
    }
    if (hits.length > 0) this.generation = (this.generation + 1n) & U64_MAX;
    return hits;
  }

  /** A non-blocking read() with room for maxEvents events; [] where read() gives EAGAIN. */
  read(maxEvents: number): UmmuEvent[] {
    if (!Number.isInteger(maxEvents)) throw new RangeError(`read: maxEvents must be an integer, got ${maxEvents}`);
    this.checkOpen('read');
    this.use();
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
    this.use();
    return {
      counter: this.generation,
      flags: this.needEmpty ? QUERY_NEED_EMPTY : 0,
      registrations: this.registrations.ordered().map((reg) => this.withSlot(reg, queryEntry(reg, this.features))),
      queue: this.queue.snapshot().map((reg) => reg.cookie),
    };
  }

  close(): void {
    this.closed = true;
  }

  private withSlot(reg: Registration, entry: QueryRegistration): QueryRegistration {
    return reg.slot === null ? entry : { ...entry, slot: { slot: reg.slot, generation: this.slots.word(reg.slot) ?? 0n } };
  }

  /** REGISTER's checks (REGISTER_SLOT's too); a REGISTER that reaches the file uses it, even when refused (as in 2010). */
  private checkRegister(what: string, start: bigint, end: bigint, cookie: bigint, flags: number, reserved: number): void {
    requireU64(start, `${what}: start`);
    requireU64(end, `${what}: end`);
    requireU64(cookie, `${what}: cookie`);
    requireU32(flags, `${what}: flags`);
    requireU32(reserved, `${what}: reserved`);
    this.checkOpen(what);
    this.use();
    if (start >= end) throw new UmmuError('EINVAL', `${what}: start ${hex(start)} >= end ${hex(end)}`);
    if (end > TASK_SIZE) {
      throw new UmmuError('EINVAL', `${what}: end ${hex(end)} is above the user address limit ${hex(TASK_SIZE)}`);
    }
    if (this.negotiated) this.checkRegisterFlags(flags, reserved);
    if (this.registrations.has(cookie)) {
      throw new UmmuError('EINVAL', `${what}: cookie ${hex(cookie)} is already registered`);
    }
    if (this.registrations.size >= this.maxRegistrations) {
      throw new UmmuError('ENOSPC', `${what}: the file already holds max_registrations (${this.maxRegistrations})`);
    }
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

  private use(): void {
    this.used = true;
    this.settled = true;
  }

  /** Only on a file that negotiated. */
  private checkRegisterFlags(flags: number, reserved: number): void {
    if (reserved !== 0) {
      throw new UmmuError('EINVAL', `register: reserved 0x${reserved.toString(16)} must be 0 on a file that negotiated`);
    }
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
