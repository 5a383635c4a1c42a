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
// taking the stream in and to input. One frame runs live draws until they
// have taken LIVE_FRAME_BUDGET_MS and leaves the others to the frames
// after it, so that several expensive canvases never add up to one long
// task. Other draws (the user moved something) run in the next frame.

type Draw = () => void;

export const LIVE_SHARE = 0.5;
export const LIVE_MIN_GAP_MS = 33;
export const MAX_GAP_MS = 100;
export const LIVE_FRAME_BUDGET_MS = 12;

const pending = new Set<Draw>();
const live = new Set<Draw>();
// The live draws of the round under way that have not run yet; requests made meanwhile wait for the next round.
let round: Draw[] = [];
let scheduled = false;
let liveNotBefore = 0;
// Time the round under way has taken so far, over the frames it has spanned.
let roundCost = 0;

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
  if (round.length === 0) {
    if (live.size === 0) return;
    if (performance.now() < liveNotBefore) {
      frame();
      return;
    }
    round = [...live];
    live.clear();
    roundCost = 0;
  }
  const started = performance.now();
  let now = started;
  while (round.length > 0 && now - started < LIVE_FRAME_BUDGET_MS) {
    const draw = round.shift() as Draw;
    if (!draws.includes(draw)) draw();
    now = performance.now();
  }
  roundCost += now - started;
  if (round.length > 0) {
    frame();
    return;
  }
  liveNotBefore = now - roundCost + Math.min(MAX_GAP_MS, Math.max(LIVE_MIN_GAP_MS, roundCost * (1 / LIVE_SHARE - 1)));
  if (live.size > 0 && !scheduled) frame();
}

/** Redraws in the next frame. */
export function requestDraw(draw: Draw): void {
  pending.add(draw);
  if (!scheduled) frame();
}

/** Redraws for newly streamed records: in the next frame the live draws' share of the main thread allows. */
export function requestLiveDraw(draw: Draw): void {
  if (pending.has(draw) || round.includes(draw)) return;
  live.add(draw);
  if (!scheduled) frame();
}

export function cancelDraw(draw: Draw): void {
  pending.delete(draw);
  live.delete(draw);
  round = round.filter((d) => d !== draw);
}
