// serve --record DIR (the agent's record of a job): every watched process's
// monitor session is recorded from the moment it is attached, and written
// to DIR as a .ummutrace (format version 2) when the process closes its
// file, or when the server stops. Names say which rank and process each
// file is, so a job's directory reads as its ranks.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '../core/session';
import type { SessionHost } from '../core/session-host';
import type { ProcessIdentity } from '../../shared/messages';

export interface AgentRecordings {
  /** Starts recording a session that was just attached. */
  watch(session: Session): Promise<void>;
  /** Writes every recording still in progress (the server is stopping). */
  finishAll(): Promise<void>;
}

const safe = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, '_');

function recordingFileName(process: ProcessIdentity | undefined, sessionId: number): string {
  if (!process) return `session-${sessionId}.ummutrace`;
  const rank = process.rank === null ? '' : `-rank${safe(process.rank)}`;
  return `${safe(process.host)}${rank}-pid${process.pid}-fd${process.fd}.ummutrace`;
}

export function agentRecordings(host: SessionHost, dir: string, say: (line: string) => void): AgentRecordings {
  const recording = new Map<number, { session: Session; stopListening: () => void }>();
  const ready = mkdir(dir, { recursive: true });

  const finish = async (sessionId: number): Promise<void> => {
    const entry = recording.get(sessionId);
    if (!entry) return;
    recording.delete(sessionId);
    entry.stopListening();
    const response = await host.handle({ kind: 'stopRecording', sessionId });
    if (!response.ok) return say(`cannot finish the recording of session ${sessionId}: ${response.error.message}`);
    const file = join(dir, recordingFileName(entry.session.info().process, sessionId));
    await ready;
    await writeFile(file, response.result.text);
    say(`wrote ${file}`);
  };

  return {
    async watch(session) {
      const response = await host.handle({ kind: 'startRecording', sessionId: session.id });
      if (!response.ok) return say(`cannot record session ${session.id}: ${response.error.message}`);
      // The recorder took the 'closed' notice before this listener sees it: the file ends with it.
      const stopListening = session.onJournal((record) => {
        if (record.kind === 'notice' && record.notice.kind === 'closed') void finish(session.id);
      });
      recording.set(session.id, { session, stopListening });
    },
    async finishAll() {
      await Promise.all([...recording.keys()].map(finish));
    },
  };
}
