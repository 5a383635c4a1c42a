// What a monitor recording says its process had, as the Processes view must show it.

import { readFileSync } from 'node:fs';
import { parseRecording } from '../../src/main/core/recording/index';
import { EVENT_TYPE_INVAL } from '../../src/shared/domain';

/** What each file says the process had: its pid, registrations at the end, INVAL events its reads returned, its last journal record. */
export function expected(path: string): { pid: number; registrations: number; events: number; lastRecord: number } {
  const { header, records } = parseRecording(readFileSync(path, 'utf8'));
  const last = records.findLast((r) => r.kind === 'snapshot');
  return {
    pid: header.process?.pid ?? -1,
    registrations: last?.kind === 'snapshot' ? last.snapshot.registrations.length : -1,
    events: records.flatMap((r) => (r.kind === 'events' ? r.events : [])).filter((e) => e.type === EVENT_TYPE_INVAL).length,
    lastRecord: records.filter((r) => r.kind !== 'snapshot').length - 1,
  };
}
