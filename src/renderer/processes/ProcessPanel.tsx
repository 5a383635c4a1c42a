// One watched or replayed process: who it is, what its journal counted, and
// the workbench's own views on its data (address map, counter, invalid
// queue, timeline lanes), each process with its own view store. Read-only:
// only the process changes its file.

import { useMemo, useState } from 'react';
import { hexToU64 } from '../../shared/u64';
import type { ProcessView } from '../app/process-feed';
import { processArena } from '../view-state/process-arena';
import { ViewStoreContext } from '../view-state/use-view-store';
import { createViewStore } from '../view-state/view-store';
import { AddressMap } from '../views/AddressMap';
import { Counter } from '../views/Counter';
import { InvalidQueue } from '../views/InvalidQueue';
import { Timeline } from '../views/Timeline';
import { QUERY_NEED_EMPTY } from '../../shared/domain';
import { processColour, processLabel, processStatus } from './process-label';

const READ_ONLY = 'A watched process is read-only: only the process itself reads its queue.';
const ignore = (): void => undefined;

export interface ProcessPanelProps {
  process: ProcessView;
  onDetach(sessionId: number): void;
  onRecord(sessionId: number, recording: boolean): void;
}

export function ProcessPanel({ process, onDetach, onRecord }: ProcessPanelProps) {
  const [viewStore] = useState(() => createViewStore());
  const { state, snapshot, counts, timeline } = process;
  const registrations = snapshot?.registrations ?? [];
  const queue = snapshot?.queue ?? [];
  const counter = hexToU64(state.counter);
  const lastLast = state.lastLastCounter === null ? 0n : hexToU64(state.lastLastCounter);
  const lifetimes = timeline.lifetimes().length;
  // The map spans what it registered; recomputed when registrations come or go.
  const arena = useMemo(() => processArena(registrations, timeline.lifetimes(), state.arena.pageSize), [registrations, timeline, lifetimes, state.arena.pageSize]);
  const identity = state.backend.process;
  return (
    <section
      className="um-panel um-process"
      data-testid="process-lane-group"
      data-session-id={state.sessionId}
      data-pid={identity?.pid}
      data-registrations={registrations.length}
      data-events={counts.events}
      style={{ borderLeftColor: processColour(state.sessionId) }}
    >
      <div className="um-toolbar">
        <h2 data-testid="process-heading">
          {processLabel(state)} <span className="um-muted">({processStatus(state)})</span>
        </h2>
        {state.backend.kind === 'monitor' && (
          <button type="button" data-testid="process-record" onClick={() => onRecord(state.sessionId, !state.recording)}>
            {state.recording ? 'Stop and save' : 'Record'}
          </button>
        )}
        <button type="button" data-testid="detach" onClick={() => onDetach(state.sessionId)}>
          {state.backend.kind === 'replay' ? 'Close' : 'Detach'}
        </button>
      </div>
      <p className="um-muted um-wrap">{identity ? `${identity.command} (fd ${identity.fd})` : state.selection}</p>
      <p data-testid="process-counts">
        {registrations.length} registrations, {queue.length} queued, counter {state.counter}; {counts.registers} registered, {counts.unregisters} unregistered,{' '}
        {counts.invalidations} invalidations, {counts.events} events read in {counts.reads} reads
        {counts.gaps > 0 && (
          <strong data-testid="process-gaps">
            ; {counts.lostRecords} records lost by the monitor in {counts.gaps} gaps (the state after each is right again)
          </strong>
        )}
        {counts.readFaults > 0 && <strong>; {counts.readFaults} reads failed and went back to the queue</strong>}
      </p>
      <ViewStoreContext.Provider value={viewStore}>
        <div className="um-process-grid">
          <section className="um-panel um-map-area">
            <h2>Address map</h2>
            <AddressMap arena={arena} pages={[]} registrations={registrations} buffer={timeline} features={state.features?.granted ?? 0} />
          </section>
          <aside className="um-side">
            <Counter counter={counter} lastLastCounter={lastLast} />
            <InvalidQueue
              queue={queue}
              registrations={registrations}
              counter={counter}
              needEmpty={snapshot ? (snapshot.flags & QUERY_NEED_EMPTY) !== 0 : false}
              pageSize={state.arena.pageSize}
              readOnly={READ_ONLY}
              onRead={ignore}
            />
          </aside>
        </div>
        <Timeline buffer={timeline} registrations={registrations} pageSize={state.arena.pageSize} height={200} />
      </ViewStoreContext.Provider>
    </section>
  );
}
