// What the timeline tooltip says about a hit: times relative to the start
// of the recording, ranges in hex with their size in pages.

import type { ColumnMarks, CounterHit, ReadsHit, RegistrationHit, TimelineHit } from '../draw/timeline-hit';
import { hex, pageCount } from '../draw/format';
import { formatDuration } from '../draw/time-scale';

export interface TimelineHitDetailsProps {
  hit: TimelineHit;
  /** The start of the recording, zero of the times shown. */
  origin: number;
  pageSize: number;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function when(marks: ColumnMarks, origin: number): string {
  const first = formatDuration(marks.first - origin);
  return marks.last === marks.first ? `at ${first}` : `at ${first} – ${formatDuration(marks.last - origin)}`;
}

function marksLine(marks: ColumnMarks | null, one: string, many: string, origin: number): string {
  return marks ? `${plural(marks.count, one, many)} ${when(marks, origin)}` : `no ${many}`;
}

function RegistrationDetails({ hit, origin, pageSize }: { hit: RegistrationHit; origin: number; pageSize: number }) {
  const registered = hit.registeredAt === null ? 'registered before the recording' : `registered at ${formatDuration(hit.registeredAt - origin)}`;
  const unregistered = hit.unregisteredAt === null ? 'still registered' : `unregistered at ${formatDuration(hit.unregisteredAt - origin)}`;
  return (
    <>
      <div>
        cookie <b>{hex(hit.cookie)}</b>
      </div>
      {hit.range && (
        <div>
          {hex(hit.range.start)} – {hex(hit.range.end)} ({plural(pageCount(hit.range.start, hit.range.end, pageSize), 'page', 'pages')})
        </div>
      )}
      <div>
        {registered}, {unregistered}
      </div>
      {hit.column && (
        <>
          <div>{marksLine(hit.column.invalidations, 'invalidation', 'invalidations', origin)}</div>
          <div>{marksLine(hit.column.deliveries, 'delivery', 'deliveries', origin)}</div>
        </>
      )}
    </>
  );
}

function ReadsDetails({ hit, origin }: { hit: ReadsHit; origin: number }) {
  const { count } = hit.reads;
  const last =
    count === 1 ? (hit.drained ? 'ended with LAST' : 'did not end with LAST') : hit.drained === 0 ? 'none ended with LAST' : `${hit.drained} of ${count} ended with LAST`;
  return (
    <>
      <div>
        <b>{plural(count, 'read', 'reads')}</b> {when(hit.reads, origin)}
      </div>
      <div>{plural(hit.events, 'event', 'events')} returned</div>
      <div>{last}</div>
    </>
  );
}

function CounterDetails({ hit, origin }: { hit: CounterHit; origin: number }) {
  return (
    <>
      <div>at {formatDuration(hit.t - origin)}</div>
      <div>
        counter <b>{hit.counter}</b>
      </div>
      <div>queue depth {hit.depth}</div>
    </>
  );
}

export function TimelineHitDetails({ hit, origin, pageSize }: TimelineHitDetailsProps) {
  switch (hit.kind) {
    case 'registration':
      return <RegistrationDetails hit={hit} origin={origin} pageSize={pageSize} />;
    case 'reads':
      return <ReadsDetails hit={hit} origin={origin} />;
    case 'counter':
      return <CounterDetails hit={hit} origin={origin} />;
  }
}
