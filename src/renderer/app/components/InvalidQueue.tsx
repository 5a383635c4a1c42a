import { useSession } from '../store-context';

/** The invalid queue in the order read() would return it (from QUERY, without draining it). */
export function InvalidQueue() {
  const snapshot = useSession((s) => s.snapshot);
  const queue = snapshot?.queue ?? [];
  return (
    <section className="panel" data-testid="invalid-queue" data-length={queue.length}>
      <h2>Invalid queue ({queue.length})</h2>
      <ol>
        {queue.map((cookie) => (
          <li key={cookie} data-testid="queue-item">
            cookie {BigInt(cookie).toString()}
          </li>
        ))}
      </ol>
    </section>
  );
}
