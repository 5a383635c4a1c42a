// agent-check.ts RECORDINGS_DIR MPIRUN_OUTPUT (run with node --import
// test/native/register-ts.mjs): compares, rank by rank, what `ummunotify
// agent --record` saw of each rank's /dev/ummunotify file with what that
// rank's libfabric ummunotify monitor counted itself (its "ummunotify
// monitor stats" line at stop, FI_LOG_LEVEL=info): the registrations (those
// in the first snapshot, taken when the agent attached, plus REGISTER
// records), the unregistrations and the invalidation reports read. Prints
// one TAP line per rank; exits 1 when any differs, a rank is missing, or
// the agent lost records (a gap notice).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRecordingFile } from '../../src/main/core/recording/reader';
import { opResult, type RecordingRecord } from '../../src/main/core/recording/format';
import { EVENT_TYPE_INVAL, type UmmuEvent } from '../../src/shared/domain';

interface Counts {
  registers: number;
  unregisters: number;
  invalidations: number;
}

const [dir, output] = process.argv.slice(2);
if (!dir || !output) {
  console.error('usage: agent-check.ts RECORDINGS_DIR MPIRUN_OUTPUT');
  process.exit(2);
}

/** What libfabric's monitor counted, by rank (mpirun --tag-output prefixes lines with [job,rank]). */
function libfabricCounts(text: string): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  const pattern = /^\[\d+,(\d+)\].*ummunotify monitor stats: registers (\d+), unregisters (\d+), invalidations (\d+)/;
  for (const line of text.split('\n')) {
    const m = pattern.exec(line);
    if (m) counts.set(m[1] as string, { registers: Number(m[2]), unregisters: Number(m[3]), invalidations: Number(m[4]) });
  }
  return counts;
}

/** What one agent recording shows. */
function agentCounts(records: readonly RecordingRecord[]): Counts & { gaps: number; closed: boolean } {
  const seen = { registers: 0, unregisters: 0, invalidations: 0, gaps: 0, closed: false };
  const countEvents = (events: readonly UmmuEvent[]): void => {
    seen.invalidations += events.filter((e) => e.type === EVENT_TYPE_INVAL).length;
  };
  const first = records.find((r) => r.kind === 'snapshot');
  if (first?.kind === 'snapshot') seen.registers += first.snapshot.registrations.length;
  for (const record of records) {
    if (opResult(record, 'register') !== undefined) seen.registers++;
    else if (opResult(record, 'unregister') !== undefined) seen.unregisters++;
    else if (record.kind === 'op') countEvents(opResult(record, 'read') ?? []);
    else if (record.kind === 'events') countEvents(record.events);
    else if (record.kind === 'notice' && record.notice.kind === 'gap') seen.gaps++;
    else if (record.kind === 'notice' && record.notice.kind === 'closed') seen.closed = true;
  }
  return seen;
}

const describe = (c: Counts): string => `registers ${c.registers}, unregisters ${c.unregisters}, invalidations ${c.invalidations}`;

const expected = libfabricCounts(readFileSync(output, 'utf8'));
const byRank = new Map<string, { name: string; seen: ReturnType<typeof agentCounts> }>();
for (const name of readdirSync(dir).filter((n) => n.endsWith('.ummutrace'))) {
  const { header, records } = await readRecordingFile(join(dir, name));
  const rank = header.process?.rank;
  if (rank !== null && rank !== undefined) byRank.set(rank, { name, seen: agentCounts(records) });
}

let failed = expected.size === 0;
if (failed) console.log('not ok - no rank logged its ummunotify monitor stats (FI_LOG_LEVEL=info, FI_LOG_SUBSYS=mr?)');
for (const [rank, want] of [...expected].sort()) {
  const got = byRank.get(rank);
  if (!got) {
    failed = true;
    console.log(`not ok - rank ${rank}: the agent wrote no recording (libfabric counted ${describe(want)})`);
    continue;
  }
  const { seen } = got;
  const same = describe(seen) === describe(want) && seen.gaps === 0 && seen.closed;
  if (!same) failed = true;
  const why = seen.gaps ? `, ${seen.gaps} gap(s)` : !seen.closed ? ', no CLOSE' : '';
  console.log(`${same ? 'ok' : 'not ok'} - rank ${rank} (${got.name}): the agent saw ${describe(seen)}${why}; libfabric counted ${describe(want)}`);
}
process.exit(failed ? 1 : 0);
