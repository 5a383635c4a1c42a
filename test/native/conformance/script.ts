// Differential conformance: one operation script, run on a target (the
// TypeScript model, or the real module through the addon in this process),
// gives a trace: per step, its outcome, the events read (addresses relative
// to the arena), the QUERY snapshot, the generation counter and the word of
// every slot REGISTER_SLOT handed out so far. The model and the kernel must
// give identical traces.

import { release } from 'node:os';
import { createArena, openDevice } from '../../../native/lib/index';
import { createModelBackend } from '../../../src/main/core/backends/model/index';
import { FEATURES_ALL, PAGE_SIZE as PAGE, type LabOp, type QuerySnapshot, type SlotGeneration, type UmmuEvent } from '../../../src/shared/domain';

export { PAGE };

/**
 * How the script's file starts: as a 2010 program (no call at all, or
 * EXCHANGE_FEATURES with whatever value it happened to pass), or with
 * NEGOTIATE_FEATURES, which makes REGISTER strict.
 */
export type Opening = { call: 'none' } | { call: 'exchange'; value: number } | { call: 'negotiate'; requested: number };

export const OPEN_2010: Opening = { call: 'none' };
export const exchange = (value: number): Opening => ({ call: 'exchange', value });
export const negotiate = (requested: number): Opening => ({ call: 'negotiate', requested });

/** The features a script's opening turns on. */
export function grantedBy(open: Opening): number {
  return open.call === 'negotiate' ? open.requested & FEATURES_ALL : 0;
}

export function openingText(open: Opening): string {
  switch (open.call) {
    case 'none':
      return '2010, no call';
    case 'exchange':
      return `2010, EXCHANGE_FEATURES(0x${open.value.toString(16)})`;
    case 'negotiate':
      return `NEGOTIATE_FEATURES(0x${open.requested.toString(16)})`;
  }
}

export type Step =
  /** filter is what REGISTER's flags field holds; reserved (default 0) its reserved field; slot: REGISTER_SLOT. */
  | { op: 'register'; page: number; pages: number; cookie: number; filter: number; reserved?: number; slot?: boolean }
  | { op: 'unregister'; cookie: number }
  | { op: 'read'; maxEvents: number }
  | { op: 'query' }
  | { op: 'lab'; lab: LabOp };

export interface Script {
  name: string;
  open: Opening;
  arenaPages: number;
  steps: Step[];
}

/** What one step produced, in a form that compares with deepStrictEqual and prints as JSON. */
export interface StepTrace {
  outcome: string;
  events?: string[];
  snapshot?: string;
  counter: string;
  /** "slot=word" for every slot handed out so far, once there is one. */
  generations?: string;
}

export interface Trace {
  /** What the opening call answered: "granted=0x.. supported=0x..", "wrote 0x0", or its error. */
  opening: string;
  steps: StepTrace[];
}

/** The few calls a script needs; both targets implement them. */
interface Target {
  base: bigint;
  exchangeFeatures(value: number): Promise<number>;
  negotiateFeatures(requested: number): Promise<{ granted: number; supported: number }>;
  register(start: bigint, end: bigint, cookie: bigint, flags: number, reserved: number): Promise<void>;
  registerSlot(start: bigint, end: bigint, cookie: bigint, flags: number, reserved: number): Promise<SlotGeneration>;
  generation(slot: number): bigint;
  unregister(cookie: bigint): Promise<void>;
  read(maxEvents: number): Promise<UmmuEvent[]>;
  query(): Promise<QuerySnapshot>;
  lab(op: LabOp): Promise<unknown>;
  counter(): bigint;
  close(): Promise<void>;
}

export function kernelTarget(arenaPages: number): Target {
  const arena = createArena(arenaPages);
  const device = openDevice();
  return {
    base: arena.base,
    exchangeFeatures: async (value) => device.exchangeFeatures(value),
    // The model implements FEATURES_ALL; what else a newer module supports is not compared.
    negotiateFeatures: async (requested) => {
      const { granted, supported } = device.negotiateFeatures(requested);
      return { granted, supported: supported & FEATURES_ALL };
    },
    register: async (start, end, cookie, flags, reserved) => device.register(start, end, cookie, flags, reserved),
    registerSlot: async (start, end, cookie, flags, reserved) => device.registerSlot(start, end, cookie, flags, reserved),
    generation: (slot) => device.generation(slot),
    unregister: async (cookie) => device.unregister(cookie),
    read: async (maxEvents) => device.read(maxEvents) ?? [],
    query: async () => device.query(),
    lab: async (op) => arena.run(op),
    counter: () => device.counter(),
    close: async () => {
      device.close();
      arena.close();
    },
  };
}

/** The model, following the VMA rules of the kernel this process runs on (the VM's). */
export function modelTarget(arenaPages: number, base: bigint, kernelRelease = release()): Target {
  const model = createModelBackend({ pages: arenaPages, base, kernelRelease });
  return {
    base,
    exchangeFeatures: (value) => model.exchangeFeatures(value),
    negotiateFeatures: async (requested) => ({ granted: await model.negotiateFeatures(requested), supported: model.info().supportedFeatures }),
    register: (start, end, cookie, flags, reserved) => model.register(start, end, cookie, flags, reserved),
    registerSlot: (start, end, cookie, flags, reserved) => model.registerSlot(start, end, cookie, flags, reserved),
    generation: (slot) => model.generation(slot),
    unregister: (cookie) => model.unregister(cookie),
    read: (maxEvents) => model.read(maxEvents),
    query: () => model.query(),
    lab: (op) => model.lab(op),
    counter: () => model.counter(),
    close: () => model.close(),
  };
}

function relative(base: bigint, address: bigint): string {
  const offset = address - base;
  return offset >= 0n && offset % PAGE === 0n ? `p${offset / PAGE}` : `0x${address.toString(16)}`;
}

function eventText(base: bigint, e: UmmuEvent): string {
  if (e.type === 1) return `LAST ${e.cookieOrCounter} flags=${e.flags} [${e.hintStart},${e.hintEnd})`;
  return `INVAL c${e.cookieOrCounter} flags=0x${e.flags.toString(16)} [${relative(base, e.hintStart)},${relative(base, e.hintEnd)})`;
}

function snapshotText(base: bigint, s: QuerySnapshot): string {
  const regs = s.registrations.map(
    (r) =>
      `c${r.cookie}[${relative(base, r.start)},${relative(base, r.end)}) state=${r.state} reason=0x${r.reasonFlags.toString(16)} filter=0x${r.filter.toString(16)} hint=[${r.hintStart === 0n ? 0 : relative(base, r.hintStart)},${r.hintEnd === 0n ? 0 : relative(base, r.hintEnd)})`,
  );
  return `counter=${s.counter} flags=${s.flags} queue=[${s.queue.map((c) => `c${c}`).join(' ')}] regs={${regs.join('; ')}}`;
}

function errorText(err: unknown): string {
  if (err instanceof RangeError) return 'RangeError';
  const code = (err as { code?: unknown }).code;
  return `error ${typeof code === 'string' ? code : (err as Error).name}`;
}

async function runOpening(target: Target, open: Opening): Promise<string> {
  try {
    switch (open.call) {
      case 'none':
        return 'none';
      case 'exchange':
        return `wrote 0x${(await target.exchangeFeatures(open.value)).toString(16)}`;
      case 'negotiate': {
        const { granted, supported } = await target.negotiateFeatures(open.requested);
        return `granted=0x${granted.toString(16)} supported=0x${supported.toString(16)}`;
      }
    }
  } catch (err) {
    return errorText(err);
  }
}

export async function runScript(target: Target, script: Script): Promise<Trace> {
  const { base } = target;
  const opening = await runOpening(target, script.open);
  const steps: StepTrace[] = [];
  // Slots are handed out lowest free first, so the ones seen are 0..slots-1.
  let slots = 0;
  for (const step of script.steps) {
    const trace: StepTrace = { outcome: 'ok', counter: '' };
    try {
      switch (step.op) {
        case 'register': {
          const start = base + BigInt(step.page) * PAGE;
          const end = start + BigInt(step.pages) * PAGE;
          if (step.slot !== true) {
            await target.register(start, end, BigInt(step.cookie), step.filter, step.reserved ?? 0);
            break;
          }
          const { slot, generation } = await target.registerSlot(start, end, BigInt(step.cookie), step.filter, step.reserved ?? 0);
          trace.outcome = `ok slot=${slot} generation=${generation}`;
          slots = Math.max(slots, slot + 1);
          break;
        }
        case 'unregister':
          await target.unregister(BigInt(step.cookie));
          break;
        case 'read':
          trace.events = (await target.read(step.maxEvents)).map((e) => eventText(base, e));
          break;
        case 'query':
          trace.snapshot = snapshotText(base, await target.query());
          break;
        case 'lab':
          await target.lab(step.lab);
          break;
      }
    } catch (err) {
      trace.outcome = errorText(err);
    }
    trace.counter = target.counter().toString();
    if (slots > 0) trace.generations = Array.from({ length: slots }, (_, s) => `${s}=${target.generation(s)}`).join(' ');
    steps.push(trace);
  }
  return { opening, steps };
}

export interface Mismatch {
  step: number;
  model: StepTrace | string;
  kernel: StepTrace | string;
}

/** Runs the script on both; the first step where the traces differ, or undefined. */
export async function compare(script: Script): Promise<Mismatch | undefined> {
  const kernel = kernelTarget(script.arenaPages);
  let kernelTrace: Trace;
  let modelTrace: Trace;
  try {
    kernelTrace = await runScript(kernel, script);
    const model = modelTarget(script.arenaPages, kernel.base);
    try {
      modelTrace = await runScript(model, script);
    } finally {
      await model.close();
    }
  } finally {
    await kernel.close();
  }
  if (kernelTrace.opening !== modelTrace.opening) {
    return { step: -1, model: `opening: ${modelTrace.opening}`, kernel: `opening: ${kernelTrace.opening}` };
  }
  for (let i = 0; i < script.steps.length; i++) {
    const m = modelTrace.steps[i];
    const k = kernelTrace.steps[i];
    if (JSON.stringify(m) !== JSON.stringify(k)) return { step: i, model: m ?? 'missing', kernel: k ?? 'missing' };
  }
  return undefined;
}
