// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createViewStore, parseViewState, serializeViewState, viewStateData } from '../../src/renderer/view-state/view-store';
import { panSpan, spanEndingAt, zoomSpan } from '../../src/renderer/view-state/ranges';
import { effectiveTimeDomain } from '../../src/renderer/view-state/time-domain';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';

describe('view store', () => {
  it('round-trips every field through JSON, u64 values included', () => {
    const store = createViewStore();
    const s = store.getState();
    s.setAddressDomain({ start: 0x7f0000000000n, end: 0x7f0000010000n });
    s.navigateTime({ start: 10, end: 250.5 });
    s.selectAddresses({ start: 0x7f0000001000n, end: 0x7f0000003000n });
    s.selectTime({ start: 20, end: 30 });
    s.selectCookie(0xffffffffffffffffn);
    s.setFilters({ cookie: 42n, kinds: ['invalidation', 'read'], reason: 2 });
    s.setSearch('munmap');
    s.setTheme('dark');
    s.setLaneOffset(3);
    const before = viewStateData(store.getState());
    const text = JSON.stringify(serializeViewState(before));
    const restored = createViewStore();
    restored.getState().restore(parseViewState(JSON.parse(text)));
    expect(viewStateData(restored.getState())).toEqual(before);
    expect(before.followLive).toBe(false);
  });

  it('manual navigation pauses follow-live, follow moves do not', () => {
    const store = createViewStore();
    store.getState().followTime({ start: 0, end: 5 });
    expect(store.getState().followLive).toBe(true);
    store.getState().navigateTime({ start: 1, end: 6 });
    expect(store.getState().followLive).toBe(false);
    store.getState().setFollowLive(true);
    expect(store.getState().followLive).toBe(true);
  });

  it('rejects a malformed state naming the field', () => {
    const good = serializeViewState(viewStateData(createViewStore().getState()));
    expect(() => parseViewState({ ...good, theme: 'blue' })).toThrow(/theme/);
    expect(() => parseViewState({ ...good, addressDomain: { start: '0x10', end: '0x5' } })).toThrow(/addressDomain/);
    expect(() => parseViewState({ ...good, filters: { ...good.filters, cookie: 12 } })).toThrow(/filters.cookie/);
    expect(() => parseViewState({ ...good, version: 9 })).toThrow(/version/);
  });
});

describe('spans', () => {
  it('zoom keeps the anchor in place and pan moves by a fraction', () => {
    const z = zoomSpan({ start: 0, end: 100 }, 2, 25);
    expect(z).toEqual({ start: 12.5, end: 62.5 });
    expect(panSpan({ start: 0, end: 100 }, 0.25)).toEqual({ start: 25, end: 125 });
    expect(spanEndingAt({ start: 0, end: 10 }, 95)).toEqual({ start: 85, end: 95 });
  });

  it('following live, the window ends at the newest record but never starts before the recording', () => {
    const buffer = new TimelineBuffer(8);
    buffer.appendAll([
      { kind: 'dead', t: 1000 },
      { kind: 'dead', t: 1300 },
    ]);
    const live = { timeDomain: { start: 0, end: 500 }, followLive: true };
    expect(effectiveTimeDomain(live, buffer)).toEqual({ start: 1000, end: 1500 });
    buffer.append({ kind: 'dead', t: 1800 });
    expect(effectiveTimeDomain(live, buffer)).toEqual({ start: 1300, end: 1800 });
    expect(effectiveTimeDomain({ ...live, followLive: false }, buffer)).toEqual({ start: 0, end: 500 });
    expect(effectiveTimeDomain({ timeDomain: null, followLive: true }, buffer)).toEqual({ start: 1000, end: 1800 });
  });
});
