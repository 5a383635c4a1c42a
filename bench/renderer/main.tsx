// The benchmark page: the workbench over a large generated session, with a
// hook the driver uses to run pan and zoom animations, stream live records
// and time frames and main-thread tasks.

import { createRoot } from 'react-dom/client';
import { Workbench } from '../../src/renderer/views';
import type { ViewStore } from '../../src/renderer/view-state/view-store';
import { makeDataset } from './dataset';
import { runLiveStream } from './live-feed';
import { matcherFor } from '../../src/renderer/views/log-matcher';

const params = new URLSearchParams(location.search);
const data = makeDataset(Number(params.get('registrations') ?? 100000), Number(params.get('events') ?? 1000000));
let store: ViewStore | undefined;

async function frames(count: number, step: (i: number) => void): Promise<number[]> {
  const deltas: number[] = [];
  let last = await new Promise<number>((r) => requestAnimationFrame(r));
  for (let i = 0; i < count; i++) {
    step(i);
    const now = await new Promise<number>((r) => requestAnimationFrame(r));
    deltas.push(now - last);
    last = now;
  }
  return deltas;
}

const full = { start: data.buffer.firstTime ?? 0, end: data.buffer.lastTime ?? 1 };
const arenaEnd = data.arena.base + BigInt(data.arena.pages * data.arena.pageSize);

Object.assign(window, {
  bench: {
    ready: () => store !== undefined,
    idle: () => frames(60, () => undefined),
    panTimeline: (fraction: number) =>
      frames(120, (i) => {
        const width = (full.end - full.start) * fraction;
        const start = full.start + ((full.end - full.start - width) * i) / 120;
        store?.getState().navigateTime({ start, end: start + width });
      }),
    zoomTimeline: () =>
      frames(120, (i) => {
        const width = (full.end - full.start) / Math.pow(1.06, i);
        const centre = (full.start + full.end) / 2;
        store?.getState().navigateTime({ start: centre - width / 2, end: centre + width / 2 });
      }),
    panMap: (pages: number) =>
      frames(120, (i) => {
        const first = Math.floor(((data.arena.pages - pages) * i) / 120);
        const start = data.arena.base + BigInt(first * data.arena.pageSize);
        store?.getState().setAddressDomain({ start, end: start + BigInt(pages * data.arena.pageSize) });
      }),
    zoomMap: () =>
      frames(120, (i) => {
        const span = (arenaEnd - data.arena.base) / BigInt(Math.round(Math.pow(1.08, i)));
        store?.getState().setAddressDomain({ start: data.arena.base, end: data.arena.base + span });
      }),
    liveStream: (recordsPerSecond: number, seconds: number, search = '') => {
      store?.getState().navigateTime(null);
      store?.getState().setFollowLive(true);
      store?.getState().setSearch(search);
      return runLiveStream(
        { buffer: data.buffer, arena: data.arena, cookies: Math.min(data.registrations.length, 2000), logPending: () => matcherFor(data.buffer).pending },
        recordsPerSecond,
        seconds,
      );
    },
    reset: () => {
      store?.getState().navigateTime(null);
      store?.getState().setAddressDomain(null);
    },
  },
});

const noop = () => undefined;
createRoot(document.getElementById('root') as HTMLElement).render(
  <Workbench
    registrations={data.registrations}
    queue={data.queue}
    counter={5n}
    lastLastCounter={3n}
    arena={data.arena}
    pages={data.pages}
    events={data.buffer}
    features={15}
    onRegister={noop}
    onLab={noop}
    onRead={noop}
    onUnregister={noop}
    onViewStore={(s) => {
      store = s;
    }}
  />,
);
