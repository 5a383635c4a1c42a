// @vitest-environment jsdom
import { act, Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADDRESS_MAP_LAYOUT } from '../../src/renderer/draw/address-map';
import { AddressMap } from '../../src/renderer/views/AddressMap';
import { EventLog, ROW_HEIGHT } from '../../src/renderer/views/EventLog';
import { ExportMenu } from '../../src/renderer/views/ExportMenu';
import { LessonsPanel } from '../../src/renderer/views/LessonsPanel';
import { Timeline } from '../../src/renderer/views/Timeline';
import { Workbench, type WorkbenchProps } from '../../src/renderer/views';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';
import type { TimelineRecord } from '../../src/shared/timeline-record';
import { createViewStore } from '../../src/renderer/view-state/view-store';
import { EVENT_FLAG_HINT, EVENT_TYPE_INVAL, FEATURES_ALL, FEATURE_FILTER, FEATURE_GENERATIONS, FEATURE_QUERY } from '../../src/shared/domain';
import { arena, page, pages, reasonFlags, registrations } from './fixtures';
import { modelLessonSession } from './model-lesson-session';
import { fire, render, settle, typeInto, type Rendered } from './render';

let view: Rendered | undefined;
afterEach(async () => {
  await view?.unmount();
  view = undefined;
});

const mouse = (type: string, x: number, y: number, init: MouseEventInit = {}) =>
  new MouseEvent(type, { bubbles: true, clientX: x, clientY: y, button: 0, ...init });

// jsdom measures nothing: the map is 960 px wide over 16 pages, 60 px a page.
const PX_PER_PAGE = 960 / 16;
const laneY = (lane: number) => ADDRESS_MAP_LAYOUT.laneTop + lane * (ADDRESS_MAP_LAYOUT.laneHeight + ADDRESS_MAP_LAYOUT.laneGap) + 4;

describe('AddressMap', () => {
  const mount = (features = 0, regs = registrations) =>
    render(<AddressMap arena={arena} pages={pages} registrations={regs} buffer={new TimelineBuffer(16)} features={features} />);

  it('shows start, end, size, cookie, state and reasons of the hovered registration', async () => {
    view = await mount();
    const canvas = view.byTestId('address-map-canvas');
    await fire(canvas, mouse('mousemove', 3 * PX_PER_PAGE, laneY(1)));
    const tip = view.byTestId('address-map-tooltip').textContent ?? '';
    expect(tip).toContain('cookie 0x2');
    expect(tip).toContain('queued, whole range');
    expect(tip).toContain(`0x${page(2).toString(16)} – 0x${page(6).toString(16)} (4 pages)`);
    expect(tip).toContain('reasons: UNMAP, CLEAR');
    await fire(canvas, mouse('mousemove', 13 * PX_PER_PAGE, laneY(1)));
    expect(view.allByTestId('address-map-tooltip')).toHaveLength(0);
  });

  it("shows a registration's generation and slot only when the session negotiated GENERATIONS", async () => {
    const slotted = registrations.map((r) => (r.cookie === 2n ? { ...r, slot: { slot: 0, generation: 3n } } : r));
    const tooltipAt = async (features: number): Promise<string> => {
      view = await mount(features, slotted);
      await fire(view.byTestId('address-map-canvas'), mouse('mousemove', 3 * PX_PER_PAGE, laneY(1)));
      const tip = view.byTestId('address-map-tooltip').textContent ?? '';
      await view.unmount();
      view = undefined;
      return tip;
    };
    expect(await tooltipAt(FEATURE_GENERATIONS | FEATURE_QUERY)).toContain('generation 3 (slot 0)');
    expect(await tooltipAt(FEATURE_QUERY)).not.toContain('generation');
  });

  it('keeps the tooltip current while the pointer rests: a hit that arrives moves the generation shown', async () => {
    const withGeneration = (generation: bigint) => registrations.map((r) => (r.cookie === 2n ? { ...r, slot: { slot: 0, generation } } : r));
    const buffer = new TimelineBuffer(16);
    const features = FEATURE_GENERATIONS | FEATURE_QUERY;
    view = await render(<AddressMap arena={arena} pages={pages} registrations={withGeneration(3n)} buffer={buffer} features={features} />);
    await fire(view.byTestId('address-map-canvas'), mouse('mousemove', 3 * PX_PER_PAGE, laneY(1)));
    expect(view.byTestId('address-map-tooltip').textContent).toContain('generation 3');
    await view.rerender(<AddressMap arena={arena} pages={pages} registrations={withGeneration(4n)} buffer={buffer} features={features} />);
    expect(view.byTestId('address-map-tooltip').textContent).toContain('generation 4');
    await view.rerender(<AddressMap arena={arena} pages={pages} registrations={registrations.filter((r) => r.cookie !== 2n)} buffer={buffer} features={features} />);
    expect(view.allByTestId('address-map-tooltip')).toHaveLength(0);
  });

  it('selects whole pages by dragging and a cookie by clicking its bar', async () => {
    view = await mount();
    const canvas = view.byTestId('address-map-canvas');
    await fire(canvas, mouse('mousedown', 4.5 * PX_PER_PAGE, 30));
    await fire(canvas, mouse('mousemove', 6.2 * PX_PER_PAGE, 30));
    await fire(canvas, mouse('mouseup', 6.2 * PX_PER_PAGE, 30));
    expect(view.store.getState().selection.addresses).toEqual({ start: page(4), end: page(7) });
    await fire(canvas, mouse('mousedown', 9 * PX_PER_PAGE, laneY(0)));
    await fire(canvas, mouse('mouseup', 9 * PX_PER_PAGE, laneY(0)));
    expect(view.store.getState().selection.cookie).toBe(3n);
  });
});

const inval = (cookie: bigint, flags = EVENT_FLAG_HINT) => ({ type: EVENT_TYPE_INVAL, flags, hintStart: page(0), hintEnd: page(1), cookieOrCounter: cookie }) as const;

function recording(n = 0): TimelineRecord[] {
  const base: TimelineRecord[] = [
    { kind: 'register', t: 1000, cookie: 1n, start: page(0), end: page(4), flags: 0 },
    { kind: 'register', t: 1001, cookie: 2n, start: page(2), end: page(6), flags: 0 },
    { kind: 'invalidation', t: 1002, start: page(2), end: page(3), reason: 0, hits: [1n, 2n] },
    { kind: 'invalidation', t: 1003, start: page(1), end: page(2), reason: 2, hits: [1n] },
    { kind: 'read', t: 1004, maxEvents: 1, events: [inval(1n, reasonFlags(0, 2))] },
    { kind: 'lab', t: 1005, result: { op: 'munmap', start: page(2), end: page(3) } },
  ];
  for (let i = 0; i < n; i++) base.push({ kind: 'invalidation', t: 1006 + i, start: page(9), end: page(10), reason: 1, hits: [] });
  return base;
}

describe('EventLog', () => {
  const mount = (records: TimelineRecord[]) => {
    const buffer = new TimelineBuffer(8192);
    buffer.appendAll(records);
    return render(<EventLog buffer={buffer} height={220} />).then((v) => ({ v, buffer }));
  };

  it('filters by cookie, type and reason, and searches', async () => {
    const { v } = await mount(recording());
    view = v;
    const kinds = () => view!.allByTestId('log-row').map((r) => r.querySelector('.um-log-kind')?.textContent);
    expect(kinds()).toEqual(['register', 'register', 'invalidation', 'invalidation', 'read', 'lab']);
    await typeInto(view.byTestId('log-filter-cookie') as HTMLInputElement, '0x2');
    await settle();
    expect(kinds()).toEqual(['register', 'invalidation']);
    await typeInto(view.byTestId('log-filter-cookie') as HTMLInputElement, '');
    await settle();
    await typeInto(view.byTestId('log-filter-kind') as HTMLSelectElement, 'invalidation');
    await settle();
    expect(kinds()).toEqual(['invalidation', 'invalidation']);
    await typeInto(view.byTestId('log-filter-kind') as HTMLSelectElement, '');
    await settle();
    await typeInto(view.byTestId('log-filter-reason') as HTMLSelectElement, '2');
    await settle();
    expect(kinds()).toEqual(['invalidation', 'read']);
    await typeInto(view.byTestId('log-filter-reason') as HTMLSelectElement, '');
    await settle();
    await typeInto(view.byTestId('log-search') as HTMLInputElement, 'munmap');
    await settle();
    expect(kinds()).toEqual(['lab']);
    expect(view.byTestId('log-count').textContent).toBe('1 of 6');
  });

  it('renders only the rows in view out of many, and follows appends', async () => {
    const { v, buffer } = await mount(recording(5000));
    view = v;
    const rendered = view.allByTestId('log-row').length;
    expect(rendered).toBeLessThan(40);
    expect(rendered).toBeGreaterThan(220 / ROW_HEIGHT);
    const viewport = view.byTestId('log-viewport');
    viewport.scrollTop = 3000 * ROW_HEIGHT;
    await fire(viewport, new Event('scroll'));
    expect(view.allByTestId('log-row').some((r) => r.style.top === `${3000 * ROW_HEIGHT}px`)).toBe(true);
    await act(async () => buffer.append({ kind: 'dead', t: 999999 }));
    await settle();
    expect(view.byTestId('log-count').textContent).toBe('5007 of 5007');
  });
});

describe('Timeline', () => {
  it('pauses follow-live on manual zoom and resumes on request', async () => {
    const buffer = new TimelineBuffer(64);
    buffer.appendAll(recording());
    view = await render(<Timeline buffer={buffer} registrations={registrations} pageSize={arena.pageSize} />);
    const follow = view.byTestId('follow-live');
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    await fire(view.byTestId('timeline-canvas'), new WheelEvent('wheel', { bubbles: true, ctrlKey: true, deltaY: -100, clientX: 500 }));
    expect(view.store.getState().followLive).toBe(false);
    const d = view.store.getState().timeDomain!;
    expect(d.end - d.start).toBeCloseTo(5 / 1.5);
    expect(follow.getAttribute('aria-pressed')).toBe('false');
    await fire(follow, new MouseEvent('click', { bubbles: true }));
    expect(view.store.getState().followLive).toBe(true);
  });

  it('selects a time range with Shift+drag and pans with a drag', async () => {
    const buffer = new TimelineBuffer(64);
    buffer.appendAll(recording());
    view = await render(<Timeline buffer={buffer} registrations={registrations} pageSize={arena.pageSize} />);
    const canvas = view.byTestId('timeline-canvas');
    // 960 px wide, 110 px of labels: the 5 ms recording spans 850 px.
    await fire(canvas, mouse('mousedown', 110 + 170, 50, { shiftKey: true }));
    await fire(canvas, mouse('mousemove', 110 + 340, 50, { shiftKey: true }));
    await fire(canvas, mouse('mouseup', 110 + 340, 50));
    const sel = view.store.getState().selection.time!;
    expect([sel.start, sel.end].map((t) => Math.round(t * 1000) / 1000)).toEqual([1001, 1002]);
    await fire(canvas, mouse('mousedown', 500, 50));
    await fire(canvas, mouse('mousemove', 500 - 170, 50));
    await fire(canvas, mouse('mouseup', 500 - 170, 50));
    const d = view.store.getState().timeDomain!;
    expect([d.start, d.end].map((t) => Math.round(t * 1000) / 1000)).toEqual([1001, 1006]);
  });
});

describe('Timeline tooltip', () => {
  // 960 px wide, 110 px of labels: the 5 ms recording spans 850 px. Lanes:
  // read() from y 20, counter and queue depth from 36, then cookies 3
  // (registered before the recording), 1 and 2 from 68, 16 px each.
  const xAt = (t: number) => 110 + 170 * (t - 1000);
  const [READS_Y, COUNTER_Y, COOKIE_1_Y] = [28, 44, 92];
  const mount = async () => {
    const buffer = new TimelineBuffer(64);
    buffer.appendAll(recording());
    const renders = { count: 0 };
    view = await render(
      <Profiler id="timeline" onRender={() => renders.count++}>
        <Timeline buffer={buffer} registrations={registrations} pageSize={arena.pageSize} />
      </Profiler>,
    );
    return { canvas: view.byTestId('timeline-canvas'), buffer, renders };
  };
  const tooltip = () => view!.allByTestId('timeline-tooltip').map((t) => t.textContent)[0] ?? null;

  it('tells what is under the pointer on a registration lane, the reads lane and the counter lane; leaving hides it', async () => {
    const { canvas } = await mount();
    expect(tooltip()).toBeNull();
    await fire(canvas, mouse('mousemove', xAt(1002), COOKIE_1_Y));
    expect(tooltip()).toContain('cookie 0x1');
    expect(tooltip()).toContain(`0x${page(0).toString(16)} – 0x${page(4).toString(16)} (4 pages)`);
    expect(tooltip()).toContain('registered at 0 ms, still registered');
    expect(tooltip()).toContain('1 invalidation at 2 ms');
    expect(tooltip()).toContain('no deliveries');
    await fire(canvas, mouse('mousemove', xAt(1004), READS_Y));
    expect(tooltip()).toContain('1 read at 4 ms');
    expect(tooltip()).toContain('1 event returned');
    expect(tooltip()).toContain('did not end with LAST');
    await fire(canvas, mouse('mousemove', xAt(1003.5), COUNTER_Y));
    expect(tooltip()).toContain('at 3.5 ms');
    expect(tooltip()).toContain('counter 2');
    expect(tooltip()).toContain('queue depth 2');
    await fire(canvas, new MouseEvent('mouseout', { bubbles: true, relatedTarget: document.body }));
    expect(tooltip()).toBeNull();
  });

  it('shows nothing while panning or brushing', async () => {
    const { canvas } = await mount();
    await fire(canvas, mouse('mousemove', xAt(1002), COOKIE_1_Y));
    expect(tooltip()).toContain('cookie 0x1');
    await fire(canvas, mouse('mousedown', xAt(1002), COOKIE_1_Y));
    expect(tooltip()).toBeNull();
    await fire(canvas, mouse('mousemove', xAt(1002.5), COOKIE_1_Y));
    expect(tooltip()).toBeNull();
    await fire(canvas, mouse('mouseup', xAt(1002.5), COOKIE_1_Y));
    await fire(canvas, mouse('mousedown', xAt(1002), READS_Y, { shiftKey: true }));
    await fire(canvas, mouse('mousemove', xAt(1004), READS_Y, { shiftKey: true }));
    expect(view!.store.getState().selection.time).not.toBeNull();
    expect(tooltip()).toBeNull();
    await fire(canvas, mouse('mouseup', xAt(1004), READS_Y));
    await fire(canvas, mouse('mousemove', xAt(1004), COUNTER_Y));
    expect(tooltip()).toContain('queue depth');
  });

  it('re-renders nothing while records stream in under a still pointer', async () => {
    const { canvas, buffer, renders } = await mount();
    await fire(canvas, mouse('mousemove', xAt(1002), COOKIE_1_Y));
    const shown = tooltip();
    const before = renders.count;
    for (let i = 0; i < 5; i++)
      await act(async () => buffer.append({ kind: 'invalidation', t: 1006 + i, start: page(0), end: page(1), reason: 0, hits: [1n] }));
    expect(renders.count).toBe(before);
    expect(tooltip()).toBe(shown);
  });
});

describe('Workbench', () => {
  const props = (over: Partial<WorkbenchProps> = {}): WorkbenchProps => ({
    registrations,
    queue: [1n, 2n],
    counter: 3n,
    lastLastCounter: 1n,
    arena,
    pages,
    events: recording(),
    features: FEATURES_ALL,
    onRegister: vi.fn(),
    onLab: vi.fn(),
    onRead: vi.fn(),
    onUnregister: vi.fn(),
    ...over,
  });
  const key = (k: string, target: EventTarget = window) => fire(target, new KeyboardEvent('keydown', { key: k, bubbles: true }));

  it('shows every panel from plain props', async () => {
    view = await render(<Workbench {...props()} />);
    await settle();
    for (const id of ['address-map', 'invalid-queue', 'counter', 'timeline', 'event-log', 'lab-controls']) expect(view.byTestId(id)).toBeTruthy();
    expect(view.allByTestId('queue-row')).toHaveLength(2);
    expect(view.byTestId('counter-verdict').textContent).toBe('events pending');
    expect(view.allByTestId('log-row')).toHaveLength(6);
  });

  it('answers the keyboard: ? help, W zoom, T theme, Esc; not while typing', async () => {
    const onViewStore = vi.fn();
    view = await render(<Workbench {...props({ onViewStore })} />);
    const store = onViewStore.mock.calls[0]![0];
    await key('?');
    expect(view.byTestId('shortcuts-overlay').textContent).toContain('zoom the timeline');
    await key('Escape');
    expect(view.allByTestId('shortcuts-overlay')).toHaveLength(0);
    await key('w');
    expect(store.getState().followLive).toBe(false);
    expect(store.getState().timeDomain.end - store.getState().timeDomain.start).toBeCloseTo(5 / 1.5);
    await key('t');
    expect(view.byTestId('workbench').getAttribute('data-theme')).toBe('dark');
    expect(view.byTestId('workbench').style.getPropertyValue('--um-background')).toBe('#16191e');
    await key('t', view.byTestId('log-search'));
    expect(view.byTestId('workbench').getAttribute('data-theme')).toBe('dark');
  });

  it('pans with A/D, zooms out with S, resumes following with F and fits everything with 0', async () => {
    const onViewStore = vi.fn();
    view = await render(<Workbench {...props({ onViewStore })} />);
    const store = onViewStore.mock.calls[0]![0];
    const domain = () => ({ ...store.getState().timeDomain });
    await key('d');
    expect(domain()).toEqual({ start: 1001, end: 1006 });
    await key('a');
    await key('a');
    expect(domain()).toEqual({ start: 999, end: 1004 });
    await key('s');
    expect(domain().end - domain().start).toBeCloseTo(7.5);
    expect(store.getState().followLive).toBe(false);
    await key('f');
    expect(store.getState().followLive).toBe(true);
    await act(async () => store.getState().setAddressDomain({ start: page(1), end: page(2) }));
    await key('0');
    expect([store.getState().timeDomain, store.getState().addressDomain, store.getState().followLive]).toEqual([null, null, true]);
  });

  it('registers the selected pages with a FILTER mask, with or without a generation slot, and runs lab ops on them through the callbacks', async () => {
    const p = props();
    view = await render(<Workbench {...p} />);
    const canvas = view.byTestId('address-map-canvas');
    await fire(canvas, mouse('mousedown', 1 * PX_PER_PAGE + 5, 30));
    await fire(canvas, mouse('mouseup', 2 * PX_PER_PAGE + 5, 30));
    expect(view.byTestId('selection-text').textContent).toContain('pages 1–2');
    await typeInto(view.byTestId('register-cookie') as HTMLInputElement, '0x2a');
    const filterBoxes = [...view.byTestId('register-filter').querySelectorAll('input')];
    await fire(filterBoxes[3]!, new MouseEvent('click', { bubbles: true }));
    expect(view.byTestId('register-filter').querySelector('summary')?.textContent).toContain('0x8');
    await fire(view.byTestId('register-button'), new MouseEvent('click', { bubbles: true }));
    // GENERATIONS negotiated: with a generation slot unless the box is cleared.
    expect(p.onRegister).toHaveBeenCalledWith(page(1), page(3), 42n, 1 << 3, true);
    await fire(view.byTestId('register-with-slot'), new MouseEvent('click', { bubbles: true }));
    await fire(view.byTestId('register-button'), new MouseEvent('click', { bubbles: true }));
    expect(p.onRegister).toHaveBeenLastCalledWith(page(1), page(3), 42n, 1 << 3, false);
    await fire(view.byTestId('lab-munmap'), new MouseEvent('click', { bubbles: true }));
    expect(p.onLab).toHaveBeenCalledWith({ op: 'munmap', page: 1, pages: 2 });
  });

  it('read-only (a replay): says why and disables every operation, even with pages selected', async () => {
    const p = props({ readOnly: 'a replay is read-only' });
    view = await render(<Workbench {...p} />);
    const canvas = view.byTestId('address-map-canvas');
    await fire(canvas, mouse('mousedown', 1 * PX_PER_PAGE + 5, 30));
    await fire(canvas, mouse('mouseup', 2 * PX_PER_PAGE + 5, 30));
    expect(view.byTestId('selection-text').textContent).toContain('pages 1–2');
    expect(view.byTestId('lab-read-only').textContent).toBe('a replay is read-only');
    const buttons = [...view.byTestId('lab-controls').querySelectorAll('button'), view.byTestId('read-button'), view.byTestId('lesson-start')];
    expect(buttons.length).toBeGreaterThan(8);
    for (const b of buttons) expect([b.textContent, (b as HTMLButtonElement).disabled]).toEqual([b.textContent, true]);
    await view.rerender(<Workbench {...p} readOnly={null} />);
    expect((view.byTestId('lab-munmap') as HTMLButtonElement).disabled).toBe(false);
    expect((view.byTestId('read-button') as HTMLButtonElement).disabled).toBe(false);
  });

  it('copies only new records from a growing array or a sliding window, and restarts on a new recording', async () => {
    const events = recording();
    const p = props({ events });
    view = await render(<Workbench {...p} />);
    const dead: TimelineRecord = { kind: 'dead', t: 2000 };
    await view.rerender(<Workbench {...p} events={[...events, dead]} />);
    await settle();
    expect(view.byTestId('log-count').textContent).toBe('7 of 7');
    await view.rerender(<Workbench {...p} events={[...events.slice(3), dead, { kind: 'dead', t: 2001 }]} />);
    await settle();
    expect(view.byTestId('log-count').textContent).toBe('8 of 8');
    await view.rerender(<Workbench {...p} events={[{ kind: 'dead', t: 1 }]} />);
    await settle();
    expect(view.byTestId('log-count').textContent).toBe('1 of 1');
  });
});

describe('ExportMenu', () => {
  it('shows a text summary of the selection', async () => {
    const store = createViewStore();
    store.getState().selectAddresses({ start: page(8), end: page(9) });
    const buffer = new TimelineBuffer(8);
    view = await render(
      <ExportMenu buffer={buffer} registrations={registrations} queue={[]} counter={0n} lastLastCounter={0n} arena={arena} pages={pages} features={0} />,
      store,
    );
    await fire(view.byTestId('export-summary'), new MouseEvent('click', { bubbles: true }));
    const text = (view.byTestId('summary-text') as HTMLTextAreaElement).value;
    expect(text).toContain('Pages 8-8');
    expect(text).toContain('cookie 0x3');
  });

  it('hands a failed open to onError, to be shown where the app shows errors', async () => {
    const onError = vi.fn();
    view = await render(
      <ExportMenu buffer={new TimelineBuffer(8)} registrations={registrations} queue={[]} counter={0n} lastLastCounter={0n} arena={arena} pages={pages} features={0} onError={onError} />,
      createViewStore(),
    );
    const input = view.byTestId('export-open') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['not a picture'], 'x.svg')] });
    await fire(input, new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.stringMatching(/no ummunotify view|parse|XML/i)));
    expect(view.byTestId('export-menu').querySelector('[role="alert"]')).toBeNull();
  });
});

describe('LessonsPanel', () => {
  const shown = (): Rendered => {
    if (!view) throw new Error('nothing rendered');
    return view;
  };
  const click = (id: string) => fire(shown().byTestId(id), new MouseEvent('click', { bubbles: true }));
  const waitForText = (id: string, text: RegExp) => vi.waitFor(() => expect(shown().byTestId(id).textContent).toMatch(text));

  it('starts a lesson on a session with its features, zoomed to its pages, and keeps each step\'s verdict', async () => {
    const session = modelLessonSession();
    const base = { arena, features: 0, readOnly: null, session };
    view = await render(<LessonsPanel {...base} />);
    await typeInto(view.byTestId('lesson-select') as HTMLSelectElement, 'filter');
    expect(view.byTestId('lesson-features').textContent).toContain('Needs FILTER');
    expect(view.container.textContent).not.toMatch(/0x\d/);
    expect(view.allByTestId('lesson-do')).toEqual([]);
    await click('lesson-start');
    await waitForText('lesson-next', /^Step 1\//);
    expect(session.granted()).toBe(FEATURE_FILTER | FEATURE_QUERY);
    const started = session.backend().arena();
    expect(view.store.getState().addressDomain).toEqual({ start: started.base, end: started.base + 8n * BigInt(started.pageSize) });
    await view.rerender(<LessonsPanel {...base} arena={started} features={FEATURE_FILTER | FEATURE_QUERY} />);
    for (let i = 0; i < 3; i++) {
      await click('lesson-do');
      await waitForText('lesson-next', new RegExp(`^Step ${i + 2}/`));
    }
    expect(view.byTestId('lesson-check').textContent).toContain('✓');
    // Later experiments do not re-check a finished step: its verdict stays what was observed then.
    await session.backend().lab({ op: 'munmap', page: 0, pages: 1 });
    await view.rerender(<LessonsPanel {...base} arena={started} features={FEATURE_FILTER | FEATURE_QUERY} />);
    expect(view.byTestId('lesson-check').textContent).toContain('✓');
  });

  it('keeps a step whose action failed and shows the error', async () => {
    const session = modelLessonSession();
    view = await render(<LessonsPanel arena={arena} features={0} readOnly={null} session={session} />);
    await click('lesson-start');
    await waitForText('lesson-next', /^Step 1\//);
    const started = session.backend().arena();
    await view.rerender(<LessonsPanel arena={started} features={FEATURE_QUERY} readOnly={null} session={session} />);
    for (let i = 0; i < 3; i++) {
      await click('lesson-do');
      await waitForText('lesson-next', new RegExp(`^Step ${i + 2}/`));
    }
    await session.backend().register(started.base, started.base + 4096n, 0x101n, 0);
    await click('lesson-do');
    await waitForText('lesson-error', /Step 4 failed: .+/);
    expect(shown().byTestId('lesson-next').textContent).toMatch(/^Step 4\//);
    // Another session replaces the lesson's (New session by hand): the lesson has to be started again.
    await session.start(0);
    await view?.rerender(<LessonsPanel arena={started} features={FEATURE_QUERY} readOnly={null} session={session} />);
    expect(shown().allByTestId('lesson-start')).toHaveLength(1);
  });

  it('cannot start in a replay', async () => {
    view = await render(<LessonsPanel arena={arena} features={0} readOnly="a replay" session={modelLessonSession()} />);
    expect((view.byTestId('lesson-start') as HTMLButtonElement).disabled).toBe(true);
  });
});
