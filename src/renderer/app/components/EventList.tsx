import { describeEvent } from '../format';
import { useSession } from '../store-context';

/** Events returned by read(), newest last. */
export function EventList() {
  const session = useSession((s) => s.session);
  const events = useSession((s) => s.events);
  const total = useSession((s) => s.eventTotal);
  return (
    <section className="panel" data-testid="event-list">
      <h2>
        Events (<span data-testid="event-count">{total}</span>)
      </h2>
      <ol className="events">
        {events.map((row) => (
          <li key={row.index} data-testid="event-row" data-type={row.event.type === 1 ? 'LAST' : 'INVAL'}>
            {describeEvent(row.event, session)}
          </li>
        ))}
      </ol>
    </section>
  );
}
