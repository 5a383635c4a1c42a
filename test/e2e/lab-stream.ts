// A busy process, driven through serve mode's own WebSocket as the page
// drives it: registrations over the arena, auto-read on, then lab
// operations at a chosen rate. The driver is also a viewer: it keeps the
// session time of every journal record pushed, by number, and can tell the
// offset between the server's clock and this process's (round-trip
// corrected), so a page's drawing times can be turned into display lag.

import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { LabOp, SessionOp } from '../../src/shared/domain';
import { encodeClientFrame } from '../../src/shared/message-codec';
import type { Request } from '../../src/shared/messages';

/** Milliseconds since the epoch, with the resolution of performance.now() (a page's clock reads the same way). */
export const epochNow = (): number => performance.timeOrigin + performance.now();

interface WireResponse {
  ok: boolean;
  result?: unknown;
  error?: unknown;
}

/** The part of a server frame the driver reads (the wire form of messages.ts). */
interface PushedFrame {
  type: 'push' | 'response' | 'refused';
  id?: number;
  response?: WireResponse;
  batch?: { items: { kind: string; n?: number; record?: { kind: string; t: number } }[] };
}

export interface StreamResult {
  /** Operations sent, and answered by the time sending stopped. */
  sent: number;
  answered: number;
  /** Wall milliseconds until every operation sent was answered. */
  ms: number;
  /** The journal numbers of the first and last records of the stream (null when none was pushed). */
  firstRecord: number | null;
  lastRecord: number | null;
}

/** Lab operations that invalidate and refault pages round the arena: each DONTNEED of a registered page queues a report. */
function labOp(i: number, pages: number): LabOp {
  const page = (i >> 1) % pages;
  return i % 2 === 0 ? { op: 'madvise', page, pages: 1, advice: 'DONTNEED' } : { op: 'touch', page, pages: 1 };
}

export class LabStream {
  /** Session time (server clock, ms) of each journal record pushed, by number. */
  readonly recordTimes = new Map<number, number>();
  private lastRecord: number | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (response: WireResponse) => void>();
  private inFlight = 0;

  private constructor(
    private readonly ws: WebSocket,
    private readonly pages: number,
  ) {
    ws.on('message', (data: Buffer) => this.receive(JSON.parse(data.toString()) as PushedFrame));
  }

  /** The TCP socket under the WebSocket (ws keeps it as `_socket`), to batch a tick's writes. */
  private get socket(): Socket | undefined {
    return (this.ws as unknown as { _socket?: Socket })._socket;
  }

  /** Connects to serve mode at `url` (the page URL with its token). */
  static async connect(url: URL, pages: number): Promise<LabStream> {
    const ws = new WebSocket(`ws://${url.host}/ws${url.search}`, { origin: url.origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new LabStream(ws, pages);
  }

  /** `registrations` registrations of equal size over the arena, then auto-read on. */
  async prepare(registrations: number): Promise<void> {
    const arena = await this.arena();
    const span = Math.max(1, Math.floor(this.pages / registrations));
    const page = (n: number): bigint => arena.base + BigInt(n * arena.pageSize);
    for (let i = 0; i < registrations; i++) {
      const first = (i * span) % this.pages;
      await this.op({ op: 'register', start: page(first), end: page(first + span), cookie: BigInt(0x1000 + i), flags: 0 });
    }
    await this.request({ kind: 'setAutoRead', enabled: true, maxEvents: 16 });
  }

  /**
   * The server clock's offset: epoch ms = session time + offset. Each probe
   * is one lab operation on a quiet session; the record it makes was taken
   * between sending and the answer, so the probe with the shortest round
   * trip bounds the error by half of it.
   */
  async clockOffset(probes = 12): Promise<{ offset: number; errorMs: number }> {
    let best = { offset: 0, errorMs: Infinity };
    for (let i = 0; i < probes; i++) {
      const before = this.lastRecord ?? -1;
      const sentAt = epochNow();
      await this.op({ op: 'lab', lab: labOp(1, this.pages) });
      const answeredAt = epochNow();
      // The record follows the answer in the next pushed batch.
      const t = await this.recordAfter(before);
      const half = (answeredAt - sentAt) / 2;
      if (half < best.errorMs) best = { offset: sentAt + half - t, errorMs: half };
    }
    return best;
  }

  /** Sends lab operations at `perSecond` for `seconds`, in ticks of `tickMs`, never more than `maxInFlight` unanswered. */
  async stream(perSecond: number, seconds: number, options: { tickMs?: number; maxInFlight?: number } = {}): Promise<StreamResult> {
    const tickMs = options.tickMs ?? 10;
    const maxInFlight = options.maxInFlight ?? 4000;
    const before = this.lastRecord;
    const started = performance.now();
    let sent = 0;
    let answered = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const elapsed = performance.now() - started;
        const due = Math.min(Math.floor((elapsed / 1000) * perSecond), Math.round(perSecond * seconds)) - sent;
        // One write for the tick's frames, not one system call each (as a busy client batches them).
        this.socket?.cork();
        for (let i = 0; i < due && this.inFlight < maxInFlight; i++) {
          void this.op({ op: 'lab', lab: labOp(sent, this.pages) }).then(
            () => answered++,
            () => answered++,
          );
          sent++;
        }
        this.socket?.uncork();
        if (elapsed < seconds * 1000) setTimeout(tick, tickMs);
        else resolve();
      };
      tick();
    });
    const answeredInTime = answered;
    await this.settled();
    const ms = performance.now() - started;
    const first = before === null ? (this.recordTimes.size ? Math.min(...this.recordTimes.keys()) : null) : before + 1;
    return { sent, answered: answeredInTime, ms, firstRecord: this.lastRecord === before ? null : first, lastRecord: this.lastRecord === before ? null : this.lastRecord };
  }

  /** The number of the last journal record pushed so far. */
  get latestRecord(): number | null {
    return this.lastRecord;
  }

  close(): void {
    this.ws.close();
  }

  /** Resolves when every operation sent has been answered. */
  private async settled(): Promise<void> {
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private async arena(): Promise<{ base: bigint; pageSize: number }> {
    const hello = (await this.request({ kind: 'hello' })) as { state: { arena: { base: string; pageSize: number } } };
    return { base: BigInt(hello.state.arena.base), pageSize: hello.state.arena.pageSize };
  }

  private async recordAfter(n: number): Promise<number> {
    for (let waited = 0; waited < 5000; waited += 5) {
      const latest = this.lastRecord ?? -1;
      if (latest > n) {
        // The lab record is the first one after n (its notices follow it).
        const t = this.recordTimes.get(n + 1);
        if (t !== undefined) return t;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('the lab operation made no journal record within 5 s');
  }

  private op(op: SessionOp): Promise<unknown> {
    return this.request({ kind: 'op', op });
  }

  private request(request: Request): Promise<unknown> {
    const id = this.nextId++;
    this.inFlight++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (response) => {
        this.inFlight--;
        if (response.ok) resolve(response.result);
        else reject(new Error(`request ${request.kind} failed: ${JSON.stringify(response.error)}`));
      });
      this.ws.send(JSON.stringify(encodeClientFrame({ id, request })));
    });
  }

  private receive(frame: PushedFrame): void {
    if (frame.type === 'response' && frame.id !== undefined && frame.response) {
      this.waiting.get(frame.id)?.(frame.response);
      this.waiting.delete(frame.id);
      return;
    }
    for (const item of frame.batch?.items ?? []) {
      if (item.kind !== 'record' || item.n === undefined || !item.record) continue;
      this.recordTimes.set(item.n, item.record.t);
      this.lastRecord = item.n;
    }
  }
}
