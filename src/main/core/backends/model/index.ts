// The model backend: the ummunotify file semantics (file-state.ts) over a
// simulated lab arena (address-space.ts, lab.ts). It is the default wherever
// /dev/ummunotify is absent; issue 4's differential tests hold it to the
// real module's event streams.

import type { Backend, BackendNotice } from '../../backend';
import {
  FEATURES_ALL,
  type ArenaPage,
  PAGE_SIZE,
  UmmuError,
  type LabOp,
  type LabResult,
  type PageState,
  type SlotGeneration,
} from '../../../../shared/domain';
import { AddressSpace, visiblePageState, type Vma } from './address-space';
import { DEFAULT_MAX_REGISTRATIONS, TASK_SIZE, UmmuFile } from './file-state';
import { kernelRules, runLabOp } from './lab';

export interface ModelBackendOptions {
  /** Arena size in pages (default 64). */
  pages?: number;
  /** Per-file registration limit, as the module parameter (default 4194304). */
  maxRegistrations?: number;
  /** Arena base address, page aligned (default 0x7f0000000000). */
  base?: bigint;
  /** The kernel release whose VMA rules the lab follows (`uname -r`; default 6.12). */
  kernelRelease?: string;
  /** Overrides info().description, e.g. to say why the kernel backend is absent. */
  description?: string;
}

/** The Backend plus the 2010 calls the app never makes, and what only a model can show: the arena's pages and VMAs. */
export interface ModelBackend extends Backend {
  /** UMMUNOTIFY_EXCHANGE_FEATURES, the 2010 call: answers 0, turns nothing on. */
  exchangeFeatures(value: number): Promise<number>;
  /** As Backend.register, with the reserved field a 2010 program may leave uninitialized. */
  register(start: bigint, end: bigint, cookie: bigint, flags?: number, reserved?: number): Promise<void>;
  /** As Backend.registerSlot, with the reserved fields (the region's, the slot struct's) a test may set. */
  registerSlot(start: bigint, end: bigint, cookie: bigint, flags?: number, reserved?: number, slotReserved?: number): Promise<SlotGeneration>;
  /** The word of a slot registerSlot returned (freed slots too), as the mapped generation words show it. */
  generation(slot: number): bigint;
  arenaPages(): ArenaPage[];
  pageStates(): PageState[];
  vmas(): Readonly<Vma>[];
}

const DEFAULT_PAGES = 64;
const DEFAULT_BASE = 0x7f0000000000n;
const DEFAULT_KERNEL_RELEASE = '6.12';

function checkOptions(pages: number, base: bigint, maxRegistrations: number): void {
  if (!Number.isInteger(pages) || pages < 1) throw new RangeError(`model: pages must be a positive integer, got ${pages}`);
  if (base <= 0n || base % PAGE_SIZE !== 0n || base + BigInt(pages) * PAGE_SIZE > TASK_SIZE) {
    throw new RangeError(`model: base 0x${base.toString(16)} must be page aligned with the arena below TASK_SIZE`);
  }
  if (!Number.isInteger(maxRegistrations) || maxRegistrations < 0) {
    throw new RangeError(`model: maxRegistrations must be a non-negative integer, got ${maxRegistrations}`);
  }
}

export function createModelBackend(options: ModelBackendOptions = {}): ModelBackend {
  const pages = options.pages ?? DEFAULT_PAGES;
  const base = options.base ?? DEFAULT_BASE;
  const maxRegistrations = options.maxRegistrations ?? DEFAULT_MAX_REGISTRATIONS;
  checkOptions(pages, base, maxRegistrations);
  const rules = kernelRules(options.kernelRelease ?? DEFAULT_KERNEL_RELEASE);
  const file = new UmmuFile(maxRegistrations);
  const space = new AddressSpace(pages, Number(base / PAGE_SIZE));
  const listeners = new Set<(notice: BackendNotice) => void>();
  let closed = false;

  const emit = (notice: BackendNotice): void => {
    for (const listener of [...listeners]) listener(notice);
  };

  const lab = (op: LabOp): LabResult => {
    if (closed) throw new UmmuError('EBADF', `lab ${op.op}: the backend is closed`);
    const { result, calls } = runLabOp(space, base, op, rules);
    // Notices in the order things happen: each notifier call during the op,
    // then the op's result once it returns.
    for (const call of calls) {
      emit({ kind: 'invalidation', ...call, hits: file.invalidate(call.start, call.end, call.reason) });
    }
    emit({ kind: 'lab', result });
    return result;
  };

  return {
    info: () => ({
      kind: 'model',
      description: options.description ?? 'model (simulated address space)',
      supportedFeatures: FEATURES_ALL,
      pageSize: Number(PAGE_SIZE),
    }),
    negotiateFeatures: async (requested) => file.negotiateFeatures(requested).granted,
    exchangeFeatures: async (value) => file.exchangeFeatures(value),
    register: async (start, end, cookie, flags = 0, reserved = 0) => file.register(start, end, cookie, flags, reserved),
    registerSlot: async (start, end, cookie, flags = 0, reserved = 0, slotReserved = 0) =>
      file.registerSlot(start, end, cookie, flags, reserved, slotReserved),
    generation: (slot) => file.generationOf(slot),
    unregister: async (cookie) => file.unregister(cookie),
    read: async (maxEvents) => file.read(maxEvents),
    counter: () => file.counter,
    query: async () => file.query(),
    arena: () => ({ base, pages, pageSize: Number(PAGE_SIZE) }),
    lab: async (op) => lab(op),
    onNotice: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close: async () => {
      closed = true;
      file.close();
      listeners.clear();
    },
    arenaPages: () =>
      Array.from({ length: pages }, (_, p) => {
        const state = visiblePageState(space.page(p));
        return { state, prot: space.vmaAt(p)?.prot ?? null };
      }),
    pageStates: () => Array.from({ length: pages }, (_, p) => visiblePageState(space.page(p))),
    vmas: () => space.vmas().map((vma) => ({ ...vma })),
  };
}
