// Events per second from the kernel to a JS callback through watch(),
// next to the plain C read loop (read-loop.c) on the same workload, printed
// as a ratio from one run. Run inside the VM: bench/native/run.sh.
import { execFileSync } from 'node:child_process';
import { createArena, openDevice } from '../../native/lib/index';
import { EVENT_TYPE_INVAL, PAGE_SIZE as PAGE } from '../../src/shared/domain';

const REGS = Number(process.env.BENCH_REGS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const readLoop = process.argv[2];
if (!readLoop) throw new Error('usage: watch.ts <path to the built read-loop binary>');

function parseC(output: string): { events: number; seconds: number } {
  const match = /events=(\d+) seconds=([\d.]+)/.exec(output);
  if (!match) throw new Error(`read-loop printed ${output}`);
  return { events: Number(match[1]), seconds: Number(match[2]) };
}

async function watchRun(): Promise<{ events: number; seconds: number; batches: number }> {
  const device = openDevice();
  const arena = createArena(REGS);
  for (let i = 0; i < REGS; i++) {
    const start = arena.base + BigInt(i) * PAGE;
    device.register(start, start + PAGE, BigInt(i + 1));
  }
  let events = 0;
  let inval = 0;
  let batches = 0;
  let wake: () => void = () => {};
  device.watch(
    (batch) => {
      batches++;
      events += batch.length;
      for (const e of batch) if (e.type === EVENT_TYPE_INVAL) inval++;
      wake();
    },
    { maxBatch: 1024, maxDelayMs: 0 },
  );
  const start = process.hrtime.bigint();
  for (let round = 1; round <= ROUNDS; round++) {
    arena.run({ op: 'madvise', page: 0, pages: REGS, advice: 'DONTNEED' });
    await new Promise<void>((resolve) => {
      wake = () => inval >= round * REGS && resolve();
      wake();
    });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  device.close();
  arena.close();
  return { events, seconds, batches };
}

const c = parseC(execFileSync(readLoop, [String(REGS), String(ROUNDS)], { encoding: 'utf8' }));
const js = await watchRun();
const cRate = c.events / c.seconds;
const jsRate = js.events / js.seconds;
console.log(`workload: ${ROUNDS} rounds x ${REGS} registrations hit by one madvise(DONTNEED)`);
console.log(`C read loop:        ${c.events} events in ${c.seconds.toFixed(3)} s = ${Math.round(cRate)} events/s`);
console.log(`watch() -> JS:      ${js.events} events in ${js.seconds.toFixed(3)} s = ${Math.round(jsRate)} events/s (${js.batches} batches)`);
console.log(`ratio watch()/C:    ${(jsRate / cRate).toFixed(3)}`);
