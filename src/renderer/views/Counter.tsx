// The generation counter and the fast path it enables: if it still equals
// the counter of the last LAST event read, nothing is queued.

import { COUNTER_VERDICT_TEXT, counterVerdict } from './read-preview';

export interface CounterProps {
  counter: bigint;
  lastLastCounter: bigint;
}

export function Counter({ counter, lastLastCounter }: CounterProps) {
  const verdict = counterVerdict(counter, lastLastCounter);
  return (
    <section className="um-panel um-counter" data-testid="counter">
      <h2>Generation counter</h2>
      <dl>
        <dt>counter (mmapped page)</dt>
        <dd data-testid="counter-value">{counter.toString()}</dd>
        <dt>counter of the last LAST read</dt>
        <dd data-testid="counter-last-last">{lastLastCounter.toString()}</dd>
      </dl>
      <p className={`um-verdict um-verdict-${verdict}`} data-testid="counter-verdict">
        {COUNTER_VERDICT_TEXT[verdict]}
      </p>
    </section>
  );
}
