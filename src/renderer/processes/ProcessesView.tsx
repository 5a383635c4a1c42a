// The Processes view: every process of this user with /dev/ummunotify open
// (pid, command, rank, registrations, queued, counter), refreshed on
// demand; attach and detach, several at once; monitor recordings opened as
// replayed processes; the job overview; and per process its address map,
// queue, counter and timeline lanes, grouped by process, and a recording
// of each live one (saved as a .ummutrace file; several of them open again
// here as the job).

import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { parseAttachTarget } from '../../shared/attach-target';
import type { DiscoveredProcess } from '../../shared/messages';
import type { ProcessesStore } from '../app/processes-store';
import { useThrottledStore } from '../app/store-context';
import { download } from '../app/components/RecordingPanel';
import { JobOverview } from './JobOverview';
import { ProcessPanel } from './ProcessPanel';
import './processes.css';

const selectFound = (s: ProcessesStore) => s.found;
const selectWatched = (s: ProcessesStore) => s.watched;

function FoundRow({ entry, onAttach, onDetach }: { entry: DiscoveredProcess; onAttach(pid: number, fd?: number): void; onDetach(sessionId: number): void }) {
  const file = entry.file;
  return (
    <tr data-testid="process-row" data-pid={entry.pid}>
      <td>{entry.pid}</td>
      <td>{entry.fd ?? '?'}</td>
      <td className="um-wrap">{entry.command}</td>
      <td>{entry.rank ?? ''}</td>
      <td>{file?.registrations ?? ''}</td>
      <td>{file?.queued ?? ''}</td>
      <td>{file?.counter ?? ''}</td>
      <td>
        {entry.sessionId !== null ? (
          <button type="button" onClick={() => onDetach(entry.sessionId as number)}>
            Detach
          </button>
        ) : entry.attachable ? (
          <button type="button" data-testid="attach-row" onClick={() => onAttach(entry.pid, entry.fd ?? undefined)}>
            Attach
          </button>
        ) : (
          <span className="um-muted">{entry.problem ?? 'not attachable'}</span>
        )}
      </td>
    </tr>
  );
}

export function ProcessesView({ store }: { store: StoreApi<ProcessesStore> }) {
  const found = useThrottledStore(store, selectFound);
  const watched = useThrottledStore(store, selectWatched);
  const [target, setTarget] = useState('');
  const [targetProblem, setTargetProblem] = useState<string | null>(null);
  const { refresh, attach, detach, openRecordings, startRecording, stopRecording } = store.getState();
  const onRecord = async (sessionId: number, start: boolean): Promise<void> => {
    if (start) return startRecording(sessionId);
    const saved = await stopRecording(sessionId);
    if (saved) download(saved.fileName, saved.text);
  };

  const onAttach = (e: FormEvent): void => {
    e.preventDefault();
    let parsed;
    try {
      parsed = parseAttachTarget(target.trim());
    } catch (err) {
      setTargetProblem((err as Error).message);
      return;
    }
    setTargetProblem(null);
    void attach(parsed.pid, parsed.fd).then((ok) => ok && setTarget(''));
  };
  const onOpen = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    await openRecordings(await Promise.all(files.map(async (file) => ({ name: file.name, text: await file.text() }))));
  };

  return (
    <div className="um-processes" data-testid="processes">
      <section className="um-panel">
        <div className="um-toolbar">
          <h2>Processes with /dev/ummunotify open</h2>
          <button type="button" data-testid="processes-refresh" onClick={() => void refresh()}>
            Refresh
          </button>
          <form className="um-attach" onSubmit={onAttach}>
            <label>
              PID[:FD]{' '}
              <input value={target} onChange={(e) => setTarget(e.target.value)} size={12} data-testid="attach-target" aria-invalid={targetProblem !== null} />
            </label>
            <button type="submit" data-testid="attach">
              Attach
            </button>
            {targetProblem && <span className="um-muted">{targetProblem}</span>}
          </form>
          <label className="app-file">
            Open monitor recordings…
            <input type="file" accept=".ummutrace" multiple hidden data-testid="open-process-recordings" onChange={(e) => void onOpen(e)} />
          </label>
        </div>
        {found === null ? (
          <p className="um-muted">Looking…</p>
        ) : found.length === 0 ? (
          <p className="um-muted" data-testid="processes-none">
            No process of this user has /dev/ummunotify open.
          </p>
        ) : (
          <table className="um-table" data-testid="process-list">
            <thead>
              <tr>
                <th>PID</th>
                <th>fd</th>
                <th>command</th>
                <th>rank</th>
                <th>registrations</th>
                <th>queued</th>
                <th>counter</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {found.map((entry) => (
                <FoundRow key={`${entry.pid}:${entry.fd}`} entry={entry} onAttach={(pid, fd) => void attach(pid, fd)} onDetach={(id) => void detach(id)} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <JobOverview processes={watched} />
      <div className="um-process-groups" data-testid="process-groups">
        {watched.map((process) => (
          <ProcessPanel key={process.sessionId} process={process} onDetach={(id) => void detach(id)} onRecord={(id, start) => void onRecord(id, start)} />
        ))}
      </div>
    </div>
  );
}
