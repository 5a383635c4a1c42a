// The one owner of requestAnimationFrame for the views: canvases ask for a
// redraw and every request made before the next frame runs once in it.
//
// Redraws that only bring in newly streamed records ("live" draws) run at
// most every LIVE_MIN_GAP_MS (each changed canvas costs a compositor commit
// besides its drawing) and take at most about LIVE_SHARE of the main
// thread: after live draws that took d ms, the next wait for the first
// frame at least max(LIVE_MIN_GAP_MS, d * (1 / LIVE_SHARE - 1)) ms later
// (never more than MAX_GAP_MS). Under a stream that makes them expensive,
// each shows more new records at once and the rest of the time goes to
// taking the stream in and to input. Other draws (the user moved
// something) run in the next frame.

type Draw = () => void;

export const LIVE_SHARE = 0.5;
export const LIVE_MIN_GAP_MS = 33;
export const MAX_GAP_MS = 100;

const pending = new Set<Draw>();
const live = new Set<Draw>();
let scheduled = false;
let liveNotBefore = 0;

function frame(): void {
  scheduled = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
  else setTimeout(flush, 16);
}

function flush(): void {
  scheduled = false;
  const draws = [...pending];
  pending.clear();
  for (const draw of draws) {
    live.delete(draw);
    draw();
  }
  if (live.size === 0) return;
  if (performance.now() < liveNotBefore) {
    frame();
    return;
  }
  const liveDraws = [...live];
  live.clear();
  const started = performance.now();
  for (const draw of liveDraws) draw();
  liveNotBefore = started + Math.min(MAX_GAP_MS, Math.max(LIVE_MIN_GAP_MS, (performance.now() - started) * (1 / LIVE_SHARE - 1)));
}

/** Redraws in the next frame. */
export function requestDraw(draw: Draw): void {
  pending.add(draw);
  if (!scheduled) frame();
}

/** Redraws for newly streamed records: in the next frame the live draws' share of the main thread allows. */
export function requestLiveDraw(draw: Draw): void {
  if (pending.has(draw)) return;
  live.add(draw);
  if (!scheduled) frame();
}

export function cancelDraw(draw: Draw): void {
  pending.delete(draw);
  live.delete(draw);
}
