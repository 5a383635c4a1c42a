import { useSession } from '../store-context';

/** The generation counter, the counter of the last LAST event, and what the one-load fast path concludes. */
export function CounterPanel() {
  const session = useSession((s) => s.session);
  if (!session) return null;
  const counter = BigInt(session.counter);
  const last = session.lastLastCounter === null ? null : BigInt(session.lastLastCounter);
  const verdict =
    last === null ? 'no LAST read yet' : counter === last ? 'unchanged: nothing queued, no read() needed' : 'changed: read() needed';
  return (
    <section className="panel" data-testid="counter-panel">
      <h2>Generation counter</h2>
      <p>
        counter <strong data-testid="counter">{counter.toString()}</strong>, last LAST{' '}
        <strong data-testid="last-counter">{last === null ? '-' : last.toString()}</strong>
      </p>
      <p data-testid="fast-path">{verdict}</p>
    </section>
  );
}
