// The playback cursor over a recording's records: which record is next, and
// when (in recorded time, scaled by the speed) it is due. Timers are
// injected so that tests drive time themselves.

export interface ReplayTimers {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: ReplayTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

// setTimeout fires at once for delays above 2^31 - 1 ms; a longer pause in
// a recording is waited out in several timers.
const MAX_TIMER_MS = 2 ** 31 - 1;
// Timers may fire up to a millisecond early; a record that close to due is due.
const EARLY_TOLERANCE_MS = 2;

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 16;

export interface ReplayPosition {
  /** Records applied so far; the next record to apply is records[index]. */
  index: number;
  total: number;
  /** Recorded time (ms since the recording started) of the playback position. */
  t: number;
  /** Recorded time of the last record. */
  duration: number;
  playing: boolean;
  speed: number;
}

export interface PlayerHooks {
  /** Apply records[index]; `announce` is false while seeking. */
  apply(index: number, announce: boolean): void;
  /** Return to the state before the first record. */
  reset(): void;
  changed(position: ReplayPosition): void;
}

export class ReplayPlayer {
  private index = 0;
  private cursorT = 0;
  private playing = false;
  private speedFactor = 1;
  private anchorWall = 0;
  private anchorT = 0;
  private timer: unknown;
  private readonly duration: number;

  constructor(
    private readonly times: readonly number[],
    private readonly timers: ReplayTimers,
    private readonly hooks: PlayerHooks,
  ) {
    this.duration = times.length === 0 ? 0 : times[times.length - 1];
  }

  position(): ReplayPosition {
    return {
      index: this.index,
      total: this.times.length,
      t: this.currentT(),
      duration: this.duration,
      playing: this.playing,
      speed: this.speedFactor,
    };
  }

  play(): void {
    if (this.playing) return;
    if (this.index >= this.times.length) {
      this.hooks.changed(this.position());
      return;
    }
    this.playing = true;
    this.anchor();
    this.schedule();
    this.hooks.changed(this.position());
  }

  pause(): void {
    if (!this.playing) return;
    this.cursorT = this.currentT();
    this.playing = false;
    this.cancelTimer();
    this.hooks.changed(this.position());
  }

  /** Pauses, applies the next record and returns its index; undefined at the end. */
  step(): number | undefined {
    this.pause();
    if (this.index >= this.times.length) return undefined;
    const applied = this.index;
    this.applyNext(true);
    this.hooks.changed(this.position());
    return applied;
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
      throw new RangeError(`replay speed must be between ${MIN_SPEED}x and ${MAX_SPEED}x, got ${speed}`);
    }
    if (this.playing) {
      this.cursorT = this.currentT();
      this.speedFactor = speed;
      this.anchor();
      this.cancelTimer();
      this.schedule();
    } else {
      this.speedFactor = speed;
    }
    this.hooks.changed(this.position());
  }

  /** Moves to `index` (records applied), rebuilding the state without announcing the records passed. */
  seek(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index > this.times.length) {
      throw new RangeError(`replay position must be an integer from 0 to ${this.times.length}, got ${index}`);
    }
    this.cancelTimer();
    if (index < this.index) {
      this.hooks.reset();
      this.index = 0;
    }
    while (this.index < index) this.applyNext(false);
    this.cursorT = index === 0 ? 0 : this.times[index - 1];
    if (this.playing) {
      this.anchor();
      this.schedule();
    }
    this.hooks.changed(this.position());
  }

  stop(): void {
    this.playing = false;
    this.cancelTimer();
  }

  private currentT(): number {
    if (!this.playing) return this.cursorT;
    const applied = this.index > 0 ? this.times[this.index - 1] : 0;
    const due = this.index < this.times.length ? this.times[this.index] : this.duration;
    return Math.min(Math.max(this.unclampedT(), applied), due);
  }

  private anchor(): void {
    this.anchorWall = this.timers.now();
    this.anchorT = this.cursorT;
  }

  private applyNext(announce: boolean): void {
    const index = this.index;
    this.index += 1;
    this.cursorT = this.times[index];
    this.hooks.apply(index, announce);
  }

  private schedule(): void {
    if (this.index >= this.times.length) {
      this.playing = false;
      this.cursorT = this.duration;
      this.hooks.changed(this.position());
      return;
    }
    const delay = Math.max(0, (this.times[this.index] - this.currentT()) / this.speedFactor);
    this.timer = this.timers.setTimeout(() => this.tick(), Math.min(delay, MAX_TIMER_MS));
  }

  private tick(): void {
    this.timer = undefined;
    const due = this.times[this.index];
    if ((due - this.unclampedT()) / this.speedFactor > EARLY_TOLERANCE_MS) {
      this.schedule();
      return;
    }
    // Later records due by now go in the same tick.
    const now = Math.max(this.unclampedT(), due);
    const interrupted = (): boolean => !this.playing || this.timer !== undefined;
    do {
      this.applyNext(true);
      if (interrupted()) return;
    } while (this.index < this.times.length && this.times[this.index] <= now);
    this.schedule();
  }

  private unclampedT(): number {
    return this.anchorT + (this.timers.now() - this.anchorWall) * this.speedFactor;
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
