// Scripts that run inside the app's page while the bench streams: frame
// times (requestAnimationFrame), main-thread long tasks (PerformanceObserver
// 'longtask'), the latency of real clicks (from the click's own timestamp
// to the frame after the clicked control's text changed), and when the
// timeline drew what: its canvas's data-drawn-through (the journal record
// it shows through) is set on every draw, and a MutationObserver notes
// each change as the draw's task ends. Plain JavaScript text:
// bench/ and test/e2e are type-checked without the DOM.

export interface PageMeasures {
  frames: number[];
  longTasks: number[];
  clicks: number[];
  /** [epoch ms, journal record drawn through] for each timeline draw. */
  drawn: [number, number][];
  /** The timeline's status text at the end. */
  status: string;
}

/** `(testId) => void`: starts measuring; clicks on the control `testId` are timed. */
export const START_METER = `(testId) => {
  const m = { frames: [], longTasks: [], clicks: [], drawn: [], running: true };
  window.__ummuMeter = m;
  const canvas = document.querySelector('[data-testid="timeline-canvas"]');
  m.drawWatch = new MutationObserver(() => {
    const n = Number(canvas.dataset.drawnThrough);
    if (canvas.dataset.drawnThrough && n !== m.drawn.at(-1)?.[1]) m.drawn.push([performance.timeOrigin + performance.now(), n]);
  });
  m.drawWatch.observe(canvas, { attributes: true, attributeFilter: ['data-drawn-through'] });
  m.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) m.longTasks.push(e.duration); });
  m.observer.observe({ type: 'longtask' });
  let last = performance.now();
  const frame = (now) => { m.frames.push(now - last); last = now; if (m.running) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  m.onClick = (e) => {
    const control = e.target instanceof Element && e.target.closest('[data-testid="' + testId + '"]');
    if (!control) return;
    const clickedAt = e.timeStamp;
    const before = control.textContent;
    const watch = new MutationObserver(() => {
      if (control.textContent === before) return;
      watch.disconnect();
      // The frame that draws the change, and the moment its work is done.
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => m.clicks.push(performance.now() - clickedAt);
        ch.port2.postMessage(null);
      });
    });
    watch.observe(control, { childList: true, characterData: true, subtree: true });
  };
  window.addEventListener('click', m.onClick, true);
}`;

/** `() => PageMeasures`: stops measuring and returns what was measured. */
export const STOP_METER = `() => {
  const m = window.__ummuMeter;
  m.running = false;
  for (const e of m.observer.takeRecords()) m.longTasks.push(e.duration);
  m.observer.disconnect();
  window.removeEventListener('click', m.onClick, true);
  m.drawWatch.disconnect();
  const drawn = m.drawn;
  const status = document.querySelector('[data-testid="follow-live"]')?.textContent ?? '';
  return { frames: m.frames.slice(1), longTasks: m.longTasks, clicks: m.clicks, drawn, status };
}`;

/** `() => number | null`: the journal record the timeline has drawn through. */
export const DRAWN_THROUGH = `() => {
  const through = document.querySelector('[data-testid="timeline-canvas"]')?.dataset.drawnThrough;
  return through ? Number(through) : null;
}`;
