// How a process is named and coloured wherever it appears (list, overview, lane groups).

import { schemeTableau10 } from 'd3';
import type { SessionState } from '../../shared/messages';

/** "PID 4242 · rank 3 · node7", or the session when it names no process. */
export function processLabel(state: SessionState): string {
  const p = state.backend.process;
  if (!p) return `session ${state.sessionId}`;
  return [`PID ${p.pid}`, p.rank === null ? null : `rank ${p.rank}`, p.host].filter((part) => part !== null).join(' · ');
}

/** Live, replayed from a recording, or ended (its file closed). */
export function processStatus(state: SessionState): string {
  if (state.backend.kind === 'replay') return state.dead ? 'replayed, ended' : 'replayed';
  return state.dead ? 'ended' : 'live';
}

export const processColour = (sessionId: number): string => schemeTableau10[sessionId % schemeTableau10.length] ?? '#4e79a7';
