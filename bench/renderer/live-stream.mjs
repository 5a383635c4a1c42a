// Renderer benchmark, live figure: with 100k registrations and 1M recorded
// events loaded and follow-live on, streams 100k INVAL/read records per
// second (pushed every 16-50 ms in messages of at most 256 records, each its
// own task, as the app receives them) for a few seconds and prints main-thread long
// tasks (count, max, p95) and frame times next to a run with no stream, as
// ratios from this one run; then streams again with a free-text search
// active in the event log (which must examine every record). The bound to
// hold is no task over 50 ms. Usage:
//   node bench/renderer/live-stream.mjs [registrations] [events] [records/s] [seconds] [--dev]

import { benchArgs, percentile, withBenchPage } from './bench-page.mjs';

const { positional: args, dev } = benchArgs();

const registrations = Number(args[0] ?? 100000);
const events = Number(args[1] ?? 1000000);
const rate = Number(args[2] ?? 100000);
const seconds = Number(args[3] ?? 10);

const describe = (name, run) => {
  const tasks = run.longTasks;
  const line = {
    tasks: tasks.length,
    maxTask: tasks.length ? Math.max(...tasks) : 0,
    p95Task: percentile(tasks, 95),
    p50Frame: percentile(run.frames, 50),
    p95Frame: percentile(run.frames, 95),
    maxFrame: run.frames.length ? Math.max(...run.frames) : 0,
  };
  console.log(
    `${name}: ${run.delivered} records in ${run.batches} pushes (at most ${run.largestBatch} due at once, in messages of <= 256; slowest message ${run.slowestAppendMs.toFixed(0)} ms); long tasks ${line.tasks}, max ${line.maxTask.toFixed(0)} ms, p95 ${line.p95Task.toFixed(0)} ms; ` +
      `frames p50 ${line.p50Frame.toFixed(1)} ms, p95 ${line.p95Frame.toFixed(1)} ms, max ${line.maxFrame.toFixed(1)} ms`,
  );
  return line;
};
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a (baseline 0)');

await withBenchPage({ registrations, events, dev }, async (page) => {
  const base = describe('baseline (no stream)', await page.evaluate((s) => window.bench.liveStream(0, s), seconds));
  const live = describe(`live (${rate} records/s, follow-live)`, await page.evaluate(([r, s]) => window.bench.liveStream(r, s), [rate, seconds]));
  const searchRun = await page.evaluate(([r, s]) => window.bench.liveStream(r, s, 'hint 0x7'), [rate, seconds]);
  const searching = describe(`live with an event-log search (${rate} records/s)`, searchRun);
  console.log(
    `event-log search over the retained records plus the stream: ${
      searchRun.caughtUpAfter === null ? `still behind after ${seconds} s` : `caught up after ${(searchRun.caughtUpAfter / 1000).toFixed(1)} s`
    }`,
  );
  console.log(
    `live / baseline: frame p50 ${ratio(live.p50Frame, base.p50Frame)}, frame p95 ${ratio(live.p95Frame, base.p95Frame)}, long tasks ${live.tasks} vs ${base.tasks}, max task ${ratio(live.maxTask, base.maxTask)}`,
  );
  const worst = Math.max(live.maxTask, searching.maxTask);
  console.log(`no main-thread task over 50 ms while streaming: ${worst <= 50 ? 'holds' : `does not hold (max ${worst.toFixed(0)} ms)`}`);
});
