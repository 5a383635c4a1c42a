import type { ChangeEvent } from 'react';
import { selectSession, useLiveSession, useSession } from '../store-context';
import { ReplayControls } from './ReplayControls';

/** Saves a recording through the browser's download. */
export function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/** Record the session to a .ummutrace file; open one to replay it. */
export function RecordingPanel() {
  const session = useLiveSession(selectSession);
  const perform = useSession((s) => s.perform);
  if (!session) return null;
  const stop = async (): Promise<void> => {
    const saved = await perform({ kind: 'stopRecording' });
    if (saved) download(saved.fileName, saved.text);
  };
  const open = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) await perform({ kind: 'openRecording', name: file.name, text: await file.text() });
  };
  const replay = session.replay;
  return (
    <span className="app-group" data-testid="recording-panel">
      {session.recording ? (
        <button type="button" data-testid="record-stop" onClick={() => void stop()}>
          Stop and save
        </button>
      ) : (
        <button type="button" data-testid="record-start" disabled={session.backend.kind === 'replay'} onClick={() => void perform({ kind: 'startRecording' })}>
          Record
        </button>
      )}
      <label className="app-file">
        Open recording…
        <input type="file" accept=".ummutrace" hidden data-testid="open-recording" onChange={(e) => void open(e)} />
      </label>
      {replay && <ReplayControls replay={replay} />}
    </span>
  );
}
