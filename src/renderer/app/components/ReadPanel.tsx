import { useState } from 'react';
import { useSession } from '../store-context';
import { MAX_READ_EVENTS } from '../../../shared/messages';

/** read() with a chosen buffer size, and auto-read (drain whenever readable). */
export function ReadPanel() {
  const session = useSession((s) => s.session);
  const perform = useSession((s) => s.perform);
  const [size, setSize] = useState(16);
  if (!session) return null;
  const clamp = (n: number): number => Math.min(MAX_READ_EVENTS, Math.max(1, Math.floor(n) || 1));
  return (
    <section className="panel" data-testid="read-panel">
      <h2>Read</h2>
      <label>
        buffer (events){' '}
        <input type="number" min={1} max={MAX_READ_EVENTS} value={size} data-testid="read-size" onChange={(e) => setSize(clamp(e.target.valueAsNumber))} />
      </label>
      <button data-testid="read-submit" onClick={() => void perform({ kind: 'read', maxEvents: size })}>
        read()
      </button>
      <label>
        <input
          type="checkbox"
          data-testid="auto-read"
          checked={session.autoRead}
          onChange={(e) => void perform({ kind: 'setAutoRead', enabled: e.target.checked, maxEvents: size })}
        />
        auto-read
      </label>
    </section>
  );
}
