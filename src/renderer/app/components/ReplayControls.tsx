import { useEffect, useState } from 'react';
import type { ReplayState } from '../../../shared/messages';
import { useSession } from '../store-context';

/** The speeds offered; the replay backend accepts 0.25x..16x. */
export const REPLAY_SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 4, 8, 16];

/** Play or pause, step, a scrubber over the recording and the speed. */
export function ReplayControls({ replay }: { replay: ReplayState }) {
  const perform = useSession((s) => s.perform);
  // The scrubber follows the replay, except while the user drags it.
  const [dragged, setDragged] = useState<number | null>(null);
  useEffect(() => setDragged(null), [replay.position]);
  const seek = (position: number): void => {
    setDragged(position);
    void perform({ kind: 'replayControl', action: 'seek', position });
  };
  return (
    <span className="app-group app-replay" data-testid="replay-controls">
      <button type="button" data-testid="replay-play" onClick={() => void perform({ kind: 'replayControl', action: replay.playing ? 'pause' : 'play' })}>
        {replay.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" data-testid="replay-step" disabled={replay.position >= replay.total} onClick={() => void perform({ kind: 'replayControl', action: 'step' })}>
        Step
      </button>
      <input
        type="range"
        className="app-scrubber"
        min={0}
        max={replay.total}
        step={1}
        value={dragged ?? replay.position}
        aria-label="replay position (records applied)"
        data-testid="replay-scrubber"
        onChange={(e) => seek(Number(e.target.value))}
      />
      <span data-testid="replay-position">
        {replay.position}/{replay.total}
      </span>
      <label>
        speed{' '}
        <select
          value={replay.speed}
          data-testid="replay-speed"
          onChange={(e) => void perform({ kind: 'replayControl', action: 'speed', speed: Number(e.target.value) })}
        >
          {REPLAY_SPEEDS.map((speed) => (
            <option key={speed} value={speed}>
              {speed}x
            </option>
          ))}
        </select>
      </label>
    </span>
  );
}
