// A monitor session of another core (an agent on another node), as a
// read-only backend of this one: the agent's greeting (its retained
// history and latest snapshot), then each record it pushes, applied in
// its journal's order. Times move onto this core's clock by the agent's
// clock origin (epoch ms of its session time 0) against ours, so the
// sessions of several agents line up on one timeline. A record missing
// from the agent's pushes is reported as a gap for the caller to fetch.

import { UmmuError, type ArenaInfo, type QuerySnapshot } from '../../../../shared/domain';
import type { JournalRecord } from '../../../../shared/journal';
import type { HelloResult, ProcessIdentity } from '../../../../shared/messages';
import type { Backend, BackendInfo, BackendNotice } from '../../backend';
import { readOnlyCalls } from '../monitor/index';
import { ReplayState } from '../replay/state';
import { subscribe } from '../listeners';

export type TakeResult = 'applied' | 'old' | 'gap';

export interface RemoteBackend extends Backend {
  identity(): ProcessIdentity;
  /** Record `n` of the agent's journal: applied when it is the next one, 'old' when already applied, 'gap' when some before it are missing. */
  take(n: number, record: JournalRecord): TakeResult;
  /** The agent's latest QUERY snapshot of the file (pushed beside the records, not numbered). */
  takeSnapshot(snapshot: QuerySnapshot): void;
  /** The number of the next record expected. */
  next(): number;
  /** Records before `n` are gone from the agent's history: a gap notice, then `n` is expected. */
  skipTo(n: number): void;
  /** This core's time of the record applied last (the session stamps records with it). */
  time(): number;
  /** Ops and read events, in the agent's order with the notices. */
  onRecord(listener: (record: JournalRecord) => void): () => void;
  /** The process closed its file, or the agent was lost. */
  ended(): boolean;
  /** The agent's connection went away: nothing more will come. */
  lost(): void;
}

/**
 * `hello` is the agent's greeting for one of its monitor sessions; `agent`
 * names the agent (its address); `shiftMs` = agent's clock origin - ours.
 */
export function createRemoteBackend(hello: HelloResult, agent: string, shiftMs: number): RemoteBackend {
  const remote = hello.state.backend;
  const process = remote.process;
  if (!process) throw new UmmuError('EINVAL', `the agent at ${agent} greeted with a session that watches no process (${remote.description})`);
  const state = new ReplayState();
  const recordListeners = new Set<(record: JournalRecord) => void>();
  const noticeListeners = new Set<(notice: BackendNotice) => void>();
  let next = hello.history.first;
  let time = performance.now();
  let closed = hello.state.dead;
  let agentLost = false;
  const takeSnapshot = (snapshot: QuerySnapshot): void => state.apply({ kind: 'snapshot', t: 0, snapshot });
  if (hello.snapshot) takeSnapshot(hello.snapshot);

  const info: BackendInfo = {
    kind: 'monitor',
    description: `${remote.description} (through the agent at ${agent})`,
    supportedFeatures: remote.supportedFeatures,
    pageSize: remote.pageSize,
    process: { ...process },
  };
  if (remote.kernelRelease !== undefined) info.kernelRelease = remote.kernelRelease;

  const take = (n: number, record: JournalRecord): TakeResult => {
    if (n < next) return 'old';
    if (n > next) return 'gap';
    next++;
    time = record.t + shiftMs;
    state.apply(record);
    if (record.kind === 'notice') {
      if (record.notice.kind === 'closed') closed = true;
      for (const listener of [...noticeListeners]) listener(record.notice);
    } else if (record.kind !== 'snapshot') {
      for (const listener of [...recordListeners]) listener(record);
    }
    return 'applied';
  };

  const skipTo = (n: number): void => {
    if (n <= next) return;
    const notice: BackendNotice = { kind: 'gap', firstSeq: BigInt(next), lastSeq: BigInt(n - 1) };
    next = n;
    for (const listener of [...noticeListeners]) listener(notice);
  };

  return {
    info: () => ({ ...info }),
    identity: () => ({ ...process }),
    ...readOnlyCalls(process),
    counter: () => state.counter(),
    query: (): Promise<QuerySnapshot> => Promise.resolve(state.query()),
    arena: (): ArenaInfo => ({ base: 0n, pages: 0, pageSize: remote.pageSize }),
    onNotice: (listener) => subscribe(noticeListeners, listener),
    onRecord: (listener) => subscribe(recordListeners, listener),
    take,
    takeSnapshot,
    next: () => next,
    skipTo,
    time: () => time,
    ended: () => closed || agentLost,
    lost() {
      agentLost = true;
    },
    async close() {
      recordListeners.clear();
      noticeListeners.clear();
    },
  };
}
