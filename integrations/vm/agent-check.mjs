// agent-check.mjs RECORDINGS_DIR MPIRUN_OUTPUT: compares, rank by rank, what
// `ummunotify agent --record` saw of each rank's /dev/ummunotify file with
// what that rank's libfabric ummunotify monitor counted itself (its
// "ummunotify monitor stats" line at stop, FI_LOG_LEVEL=info): the
// registrations (those in the first snapshot, taken when the agent attached,
// plus REGISTER records), the unregistrations and the invalidation reports
// read. Prints one TAP line per rank; exits 1 when any differs, a rank is
// missing, or the agent lost records (a gap notice).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [dir, output] = process.argv.slice(2);
if (!dir || !output) {
  console.error('usage: agent-check.mjs RECORDINGS_DIR MPIRUN_OUTPUT');
  process.exit(2);
}

const EVENT_TYPE_INVAL = 0;

/** What libfabric's monitor counted, by rank (mpirun --tag-output prefixes lines with [job,rank]). */
function libfabricCounts(text) {
  const counts = new Map();
  const pattern = /^\[\d+,(\d+)\].*ummunotify monitor stats: registers (\d+), unregisters (\d+), invalidations (\d+)/;
  for (const line of text.split('\n')) {
    const m = pattern.exec(line);
    if (m) counts.set(m[1], { registers: Number(m[2]), unregisters: Number(m[3]), invalidations: Number(m[4]) });
  }
  return counts;
}

/** What one agent recording shows. */
function agentCounts(text) {
  const [headerLine, ...lines] = text.trim().split('\n');
  const header = JSON.parse(headerLine);
  const seen = { registers: 0, unregisters: 0, invalidations: 0, gaps: 0, closed: false };
  let snapshotTaken = false;
  const countEvents = (events) => {
    seen.invalidations += events.filter((e) => e.type === EVENT_TYPE_INVAL).length;
  };
  for (const line of lines) {
    const record = JSON.parse(line);
    if (record.kind === 'snapshot' && !snapshotTaken) {
      snapshotTaken = true;
      seen.registers += record.snapshot.registrations.length;
    } else if (record.kind === 'op' && record.ok) {
      if (record.op.op === 'register') seen.registers++;
      else if (record.op.op === 'unregister') seen.unregisters++;
      else if (record.op.op === 'read') countEvents(record.result);
    } else if (record.kind === 'events') countEvents(record.events);
    else if (record.kind === 'notice' && record.notice.kind === 'gap') seen.gaps++;
    else if (record.kind === 'notice' && record.notice.kind === 'closed') seen.closed = true;
  }
  return { process: header.process, seen };
}

const expected = libfabricCounts(readFileSync(output, 'utf8'));
const byRank = new Map();
for (const name of readdirSync(dir).filter((n) => n.endsWith('.ummutrace'))) {
  const { process: proc, seen } = agentCounts(readFileSync(join(dir, name), 'utf8'));
  if (proc?.rank !== null && proc?.rank !== undefined) byRank.set(proc.rank, { name, seen });
}

let failed = expected.size === 0;
if (failed) console.log('not ok - no rank logged its ummunotify monitor stats (FI_LOG_LEVEL=info, FI_LOG_SUBSYS=mr?)');
for (const [rank, want] of [...expected].sort()) {
  const got = byRank.get(rank);
  const wanted = `registers ${want.registers}, unregisters ${want.unregisters}, invalidations ${want.invalidations}`;
  if (!got) {
    failed = true;
    console.log(`not ok - rank ${rank}: the agent wrote no recording (libfabric counted ${wanted})`);
    continue;
  }
  const { seen } = got;
  const saw = `registers ${seen.registers}, unregisters ${seen.unregisters}, invalidations ${seen.invalidations}`;
  const same = saw === wanted && seen.gaps === 0 && seen.closed;
  if (!same) failed = true;
  const why = seen.gaps ? `, ${seen.gaps} gap(s)` : !seen.closed ? ', no CLOSE' : '';
  console.log(`${same ? 'ok' : 'not ok'} - rank ${rank} (${got.name}): the agent saw ${saw}${why}; libfabric counted ${wanted}`);
}
process.exit(failed ? 1 : 0);
