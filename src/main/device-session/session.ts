// The device session: the one open /dev/ummunotify file and the lab arena
// of this process, answering the kernel backend's requests
// (src/main/core/backends/kernel/protocol.ts). It runs in its own process
// so that the memory map the file watches is this one, with the arena in it.

import { release } from 'node:os';
import {
  FEATURES_ALL,
  UmmuError,
  type ErrnoCode,
  type LabOp,
  type LabResult,
  type QuerySnapshot,
  type SessionOp,
  type SessionOpResults,
} from '../../shared/domain';
import { createArena, openDevice, type NativeArena, type NativeDevice } from '../../../native/lib/index';
import {
  encodeReply,
  encodeResult,
  type DeviceReply,
  type DeviceRequest,
  type DeviceResultFor,
  type OpenResult,
  type RequestEnvelope,
} from '../core/backends/kernel/protocol';

const ERRNO_CODES = new Set<string>(['EINVAL', 'EBADF', 'ENODEV', 'EFAULT', 'ENOMEM', 'ENOSPC', 'EAGAIN', 'ENOENT', 'EACCES']);

/** Turns an addon error into the UmmuError the backend raises. */
export function toUmmuError(err: unknown): UmmuError {
  if (err instanceof UmmuError) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && ERRNO_CODES.has(code)) return new UmmuError(code as ErrnoCode, error.message);
  if (code === 'EPERM') return new UmmuError('EACCES', error.message);
  if (error instanceof RangeError || error instanceof TypeError) return new UmmuError('EINVAL', error.message);
  return new UmmuError('EINVAL', `${error.message}${typeof code === 'string' ? ` (${code})` : ''}`);
}

/**
 * The features the module implements and the app can use, learnt on a second,
 * throwaway file. (A newer module may support more than the app shows.)
 */
function probeFeatures(devicePath: string): number {
  const probe = openDevice(devicePath);
  try {
    return probe.negotiateFeatures(FEATURES_ALL).supported & FEATURES_ALL;
  } finally {
    probe.close();
  }
}

export class DeviceSession {
  private device: NativeDevice | undefined;
  private arena: NativeArena | undefined;
  // Mapping the counter page is a use of the file; until something else
  // used it, the counter is 0 and must not be mapped (EXCHANGE_FEATURES
  // must stay possible).
  private used = false;
  /** The slot of each registration made with REGISTER_SLOT, for the words QUERY does not carry. */
  private readonly slots = new Map<bigint, number>();

  constructor(private readonly send: (msg: unknown) => void) {}

  private counter(): bigint {
    return this.used && this.device && !this.device.closed ? this.device.counter() : 0n;
  }

  handle({ id, request }: RequestEnvelope): void {
    let reply: DeviceReply;
    try {
      const result = this.execute(request);
      reply = { kind: 'reply', id, ok: true, counter: this.counter(), result: encodeResult(request, result) };
    } catch (err) {
      const error = toUmmuError(err);
      reply = { kind: 'reply', id, ok: false, counter: this.safeCounter(), code: error.code, message: error.message };
    }
    this.send(encodeReply(reply));
  }

  /** Answers a request that could not be decoded. */
  refuse(id: number, message: string): void {
    this.send(encodeReply({ kind: 'reply', id, ok: false, counter: this.safeCounter(), code: 'EINVAL', message }));
  }

  private safeCounter(): bigint {
    try {
      return this.counter();
    } catch {
      return 0n;
    }
  }

  private requireOpen(): { device: NativeDevice; arena: NativeArena } {
    if (!this.device || !this.arena || this.device.closed) throw new UmmuError('EBADF', 'the device session is not open');
    return { device: this.device, arena: this.arena };
  }

  private execute(request: DeviceRequest): DeviceResultFor<DeviceRequest> {
    switch (request.kind) {
      case 'open':
        return this.open(request.devicePath, request.arenaPages);
      case 'op':
        return this.operate(request.op);
      case 'close':
        this.close();
        return null;
    }
  }

  private operate(op: SessionOp): SessionOpResults[SessionOp['op']] {
    if (op.op === 'lab') return this.lab(op.lab);
    const { device } = this.requireOpen();
    try {
      switch (op.op) {
        case 'negotiateFeatures':
          return device.negotiateFeatures(op.requested).granted;
        case 'register': {
          if (op.withSlot !== true) {
            device.register(op.start, op.end, op.cookie, op.flags);
            return null;
          }
          const slot = device.registerSlot(op.start, op.end, op.cookie, op.flags);
          this.slots.set(op.cookie, slot.slot);
          return slot;
        }
        case 'unregister':
          device.unregister(op.cookie);
          this.slots.delete(op.cookie);
          return null;
        case 'read':
          return device.read(op.maxEvents) ?? [];
        case 'query':
          return this.query(device);
      }
    } finally {
      this.used = true;
    }
  }

  /** QUERY, with each slot's word read from the mapped generation words. */
  private query(device: NativeDevice): QuerySnapshot {
    const snapshot = device.query();
    if (this.slots.size === 0) return snapshot;
    const registrations = snapshot.registrations.map((reg) => {
      const slot = this.slots.get(reg.cookie);
      return slot === undefined ? reg : { ...reg, slot: { slot, generation: device.generation(slot) } };
    });
    return { ...snapshot, registrations };
  }

  private open(devicePath: string, arenaPages: number): OpenResult {
    if (this.device) throw new UmmuError('EINVAL', 'the device session is already open');
    const supportedFeatures = probeFeatures(devicePath);
    this.device = openDevice(devicePath);
    this.arena = createArena(arenaPages);
    this.device.watchReadable(() => this.readable());
    this.sendPages();
    return {
      pageSize: this.arena.pageSize,
      kernelRelease: release(),
      supportedFeatures,
      arena: { base: this.arena.base, pages: this.arena.pages, pageSize: this.arena.pageSize },
    };
  }

  private lab(op: LabOp): LabResult {
    const { arena } = this.requireOpen();
    try {
      return arena.run(op);
    } finally {
      this.sendPages();
    }
  }

  /**
   * The file became readable: another thread's munmap, reclaim, a fork, or
   * a lab op. The page states go first, since any of these may change them.
   */
  private readable(): void {
    this.sendPages();
    this.send(encodeReply({ kind: 'readable', counter: this.safeCounter() }));
  }

  private sendPages(): void {
    if (!this.arena) return;
    this.send(encodeReply({ kind: 'pages', pages: this.arena.pageStates(), counter: this.safeCounter() }));
  }

  close(): void {
    this.device?.close();
    this.arena?.close();
  }
}
