// The invalid queue in kernel order (what read() would return, without
// consuming it), and a read() control whose preview shows exactly what a
// read with that buffer size returns, LAST and its counter included.

import { useRef, useState } from 'react';
import { EVENT_FLAG_HINT, EVENT_FLAG_HINT_UNION, EVENT_TYPE_INVAL, type QueryRegistration, type UmmuEvent } from '../../shared/domain';
import { describeReasons, hex, pageCount } from '../draw/format';
import { parseWholeNumber } from '../../shared/form-input';
import { queuedEvent } from '../draw/registration-state';
import { MAX_EVENTS_PER_READ, previewRead } from './read-preview';

export interface InvalidQueueProps {
  queue: readonly bigint[];
  registrations: readonly QueryRegistration[];
  counter: bigint;
  needEmpty: boolean;
  pageSize: number;
  /** Why read() cannot run (a replay); the button is disabled then. */
  readOnly: string | null;
  onRead(maxEvents: number): void;
}

/** Rows listed; a longer queue is summarised by its count. */
const SHOWN_ROWS = 200;

const hintKind = (e: UmmuEvent): string => (e.flags & EVENT_FLAG_HINT_UNION ? 'HINT union' : e.flags & EVENT_FLAG_HINT ? 'HINT' : 'whole range');

export function InvalidQueue({ queue, registrations, counter, needEmpty, pageSize, readOnly, onRead }: InvalidQueueProps) {
  const [bufferText, setBufferText] = useState('4');
  const buffer = parseWholeNumber(bufferText, 1, MAX_EVENTS_PER_READ, 'read() buffer in events');
  // The preview keeps showing the last valid size while the field is being edited.
  const lastValid = useRef(4);
  if (buffer.ok) lastValid.current = buffer.value;
  const bufferEvents = lastValid.current;
  const byCookie = new Map(registrations.map((r) => [r.cookie, r]));
  const preview = previewRead(queue, registrations, counter, needEmpty, bufferEvents);
  return (
    <section className="um-panel um-queue" data-testid="invalid-queue">
      <h2>Invalid queue</h2>
      {queue.length === 0 ? (
        <p className="um-muted" data-testid="queue-empty">
          empty
        </p>
      ) : (
        <div className="um-scroll">
        <table className="um-table">
          <thead>
            <tr>
              <th>#</th>
              <th>cookie</th>
              <th>report</th>
            </tr>
          </thead>
          {queue.slice(0, SHOWN_ROWS).map((cookie, i) => {
            const reg = byCookie.get(cookie);
            const event = reg && queuedEvent(reg);
            const reasons = event ? describeReasons(event.flags) : [];
            // Each report on two lines, so that a 64-bit cookie, the hint range and the reasons fit the panel.
            return (
              <tbody key={cookie.toString()}>
                <tr className="um-queue-report" data-testid="queue-row">
                  <td>{i + 1}</td>
                  <td>{hex(cookie)}</td>
                  <td>{event ? hintKind(event) : '?'}</td>
                </tr>
                <tr className="um-queue-detail" data-testid="queue-row-detail">
                  <td />
                  <td colSpan={2}>
                    {event && `hint ${hex(event.hintStart)}–${hex(event.hintEnd)} (${pageCount(event.hintStart, event.hintEnd, pageSize)} p)`}
                    {reasons.length > 0 && `; reasons ${reasons.join(', ')}`}
                  </td>
                </tr>
              </tbody>
            );
          })}
        </table>
        {queue.length > SHOWN_ROWS && (
          <p className="um-muted" data-testid="queue-more">
            and {queue.length - SHOWN_ROWS} more
          </p>
        )}
        </div>
      )}
      <div className="um-read-control">
        <label>
          read() buffer{' '}
          <input
            type="number"
            min={1}
            max={MAX_EVENTS_PER_READ}
            value={bufferText}
            data-testid="read-buffer-events"
            aria-invalid={!buffer.ok}
            onChange={(e) => setBufferText(e.target.value)}
          />{' '}
          events ({bufferEvents * 32} bytes)
        </label>
        <button
          type="button"
          data-testid="read-button"
          disabled={readOnly !== null || !buffer.ok}
          title={readOnly ?? undefined}
          onClick={() => buffer.ok && onRead(buffer.value)}
        >
          read()
        </button>
      </div>
      {!buffer.ok && (
        <p className="um-error" role="alert" data-testid="read-buffer-problem">
          {buffer.problem}
        </p>
      )}
      <ol className="um-read-preview" data-testid="read-preview">
        {!preview.readable ? (
          <li data-testid="read-preview-eagain">not readable: read() gives EAGAIN (poll() would block)</li>
        ) : (
          preview.events.map((e, i) =>
            e.type === EVENT_TYPE_INVAL ? (
              <li key={i} data-testid="read-preview-event">
                INVAL {hex(e.cookieOrCounter)} {hintKind(e)} {hex(e.hintStart)}–{hex(e.hintEnd)}
              </li>
            ) : (
              <li key={i} data-testid="read-preview-event">
                LAST counter {e.cookieOrCounter.toString()}
              </li>
            ),
          )
        )}
        {preview.readable && !preview.drains && (
          <li className="um-muted" data-testid="read-preview-more">
            {queue.length - bufferEvents} more queued: no LAST, read again
          </li>
        )}
      </ol>
    </section>
  );
}
