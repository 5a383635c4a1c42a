import { describe, expect, it } from 'vitest';
import {
  EVENT_FLAG_HINT,
  EVENT_FLAG_HINT_UNION,
  FEATURE_FILTER,
  FEATURE_HINT_UNION,
  FEATURE_QUERY,
  FEATURE_REASON,
  FEATURES_ALL,
  QUERY_NEED_EMPTY,
  QUERY_REG_HINT,
  QUERY_REG_HINT_UNION,
  QUERY_REG_QUEUED,
  Reason,
  eventReason,
  eventReasonMask,
} from '../../../src/shared/domain';
import { READ_MAX_EVENTS, TASK_SIZE, UmmuFile } from '../../../src/main/core/backends/model/file-state';
import { errno, inval, last } from './helpers';


const PAGE = 0x1000n;
const { UNMAP, CLEAR, PROTECTION_VMA, PROTECTION_PAGE, UNKNOWN } = Reason;

describe('EXCHANGE_FEATURES (the 2010 call)', () => {
  it('answers 0 and turns nothing on, whatever it is passed', () => {
    for (const value of [0xffffffff, FEATURES_ALL, 0]) {
      const file = new UmmuFile();
      expect(file.exchangeFeatures(value)).toBe(0);
      expect(file.grantedFeatures).toBe(0);
    }
  });

  it('after every bit, REGISTER still ignores flags (no FILTER) and reserved', () => {
    const file = new UmmuFile();
    file.exchangeFeatures(0xffffffff);
    file.register(0n, PAGE, 1n, 1 << UNMAP, 0x1eb1f000);
    expect(file.invalidate(0n, PAGE, UNMAP)).toEqual([1n]);
    expect(file.read(8)[0]?.flags).toBe(EVENT_FLAG_HINT);
  });

  it('is refused a second time, also after one that found the file unused', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_REASON);
    expect(errno(() => file.exchangeFeatures(FEATURE_REASON))).toBe('EINVAL');
  });

  it.each([
    ['register', (f: UmmuFile) => f.register(0n, PAGE, 1n)],
    ['a refused register', (f: UmmuFile) => errno(() => f.register(PAGE, 0n, 1n))],
    ['read', (f: UmmuFile) => f.read(1)],
    ['query', (f: UmmuFile) => f.query()],
    ['NEGOTIATE_FEATURES', (f: UmmuFile) => f.negotiateFeatures(0)],
  ])('is refused after %s', (_what, use) => {
    const file = new UmmuFile();
    use(file);
    expect(errno(() => file.exchangeFeatures(FEATURES_ALL))).toBe('EINVAL');
  });

  it.each([
    ['unregister of an unknown cookie', (f: UmmuFile) => errno(() => f.unregister(9n))],
    ['the counter mapping', (f: UmmuFile) => f.mapCounter()],
    ['invalidations', (f: UmmuFile) => f.invalidate(0n, PAGE, UNMAP)],
  ])('is still allowed after %s, which the 2010 driver did not count as use', (_what, use) => {
    const file = new UmmuFile();
    use(file);
    expect(file.exchangeFeatures(FEATURES_ALL)).toBe(0);
  });
});

describe('NEGOTIATE_FEATURES', () => {
  it('grants the requested features the model implements, and says which it supports', () => {
    expect(new UmmuFile().negotiateFeatures(0xffffffff)).toEqual({ granted: FEATURES_ALL, supported: FEATURES_ALL });
    expect(new UmmuFile().negotiateFeatures(FEATURE_REASON | (1 << 20)).granted).toBe(FEATURE_REASON);
    expect(new UmmuFile().negotiateFeatures(0).granted).toBe(0);
  });

  it('is refused a second time', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_REASON);
    expect(errno(() => file.negotiateFeatures(FEATURE_REASON))).toBe('EINVAL');
    expect(file.grantedFeatures).toBe(FEATURE_REASON);
  });

  it('refuses non-zero reserved and changes nothing: it can be made again', () => {
    const file = new UmmuFile();
    expect(errno(() => file.negotiateFeatures(FEATURE_REASON, 1))).toBe('EINVAL');
    expect(file.negotiateFeatures(FEATURE_REASON).granted).toBe(FEATURE_REASON);
  });

  it.each([
    ['register', (f: UmmuFile) => f.register(0n, PAGE, 1n)],
    ['unregister of an unknown cookie', (f: UmmuFile) => errno(() => f.unregister(9n))],
    ['read', (f: UmmuFile) => f.read(1)],
    ['query', (f: UmmuFile) => f.query()],
    ['the counter mapping', (f: UmmuFile) => f.mapCounter()],
    ['EXCHANGE_FEATURES', (f: UmmuFile) => f.exchangeFeatures(0)],
  ])('is refused after %s', (_what, use) => {
    const file = new UmmuFile();
    use(file);
    expect(errno(() => file.negotiateFeatures(FEATURES_ALL))).toBe('EINVAL');
    expect(file.grantedFeatures).toBe(0);
  });

  it('is still allowed after invalidations, which the file does not count as use', () => {
    const file = new UmmuFile();
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.negotiateFeatures(FEATURES_ALL).granted).toBe(FEATURES_ALL);
  });
});

describe('REGISTER', () => {
  it('refuses an empty or inverted range', () => {
    const file = new UmmuFile();
    expect(errno(() => file.register(0x2000n, 0x1000n, 1n))).toBe('EINVAL');
    expect(errno(() => file.register(0x2000n, 0x2000n, 1n))).toBe('EINVAL');
    expect(() => file.register(0x2000n, 0x1000n, 1n)).toThrow('register: start 0x2000 >= end 0x1000');
  });

  it('accepts end up to the user address limit and refuses beyond it', () => {
    const file = new UmmuFile();
    file.register(TASK_SIZE - PAGE, TASK_SIZE, 1n);
    expect(errno(() => file.register(0n, TASK_SIZE + 1n, 2n))).toBe('EINVAL');
    expect(errno(() => file.register(0n, (1n << 64n) - 1n, 3n))).toBe('EINVAL');
  });

  it('refuses a duplicate cookie and keeps the first registration', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 7n);
    expect(errno(() => file.register(PAGE, 2n * PAGE, 7n))).toBe('EINVAL');
    expect(file.query().registrations.map((r) => [r.start, r.end, r.cookie])).toEqual([[0n, PAGE, 7n]]);
  });

  it('accepts identical and overlapping ranges under different cookies', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.register(0n, PAGE, 2n);
    file.register(0n, 4n * PAGE, 3n);
    expect(file.registrationCount).toBe(3);
  });

  it('without NEGOTIATE_FEATURES ignores flags and reserved, as the 2010 driver did', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n, 1 << UNMAP, 0x1eb1f000);
    file.register(0n, PAGE, 2n, 0xffffffff, 0xffffffff);
    expect(file.query().registrations.map((r) => r.filter)).toEqual([0, 0]);
    expect(file.invalidate(0n, PAGE, UNMAP)).toEqual([1n, 2n]);
  });

  it('on a file that negotiated refuses non-zero flags without FEATURE_FILTER, and non-zero reserved', () => {
    const nothing = new UmmuFile();
    nothing.negotiateFeatures(0);
    expect(errno(() => nothing.register(0n, PAGE, 1n, 1))).toBe('EINVAL');
    expect(errno(() => nothing.register(0n, PAGE, 1n, 0, 1))).toBe('EINVAL');
    const negotiatedOther = new UmmuFile();
    negotiatedOther.negotiateFeatures(FEATURE_REASON);
    expect(errno(() => negotiatedOther.register(0n, PAGE, 1n, 1 << PROTECTION_PAGE))).toBe('EINVAL');
  });

  it('with FEATURE_FILTER accepts reason bits and refuses any other bit', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_FILTER);
    file.register(0n, PAGE, 1n, 0x80ff);
    expect(errno(() => file.register(0n, PAGE, 2n, 1 << 8))).toBe('EINVAL');
    expect(errno(() => file.register(0n, PAGE, 3n, 1 << 16))).toBe('EINVAL');
  });

  it('refuses with ENOSPC past max_registrations, and accepts again after an unregister', () => {
    const file = new UmmuFile(2);
    file.register(0n, PAGE, 1n);
    file.register(0n, PAGE, 2n);
    expect(errno(() => file.register(0n, PAGE, 3n))).toBe('ENOSPC');
    file.unregister(1n);
    file.register(0n, PAGE, 3n);
  });

  it('rejects values that are not u64 as a programming error, not an errno', () => {
    const file = new UmmuFile();
    expect(() => file.register(-1n, PAGE, 1n)).toThrow(RangeError);
    expect(() => file.register(0n, PAGE, 1n << 64n)).toThrow(RangeError);
  });
});

describe('UNREGISTER', () => {
  it('refuses an unknown cookie', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    expect(errno(() => file.unregister(2n))).toBe('EINVAL');
    file.unregister(1n);
    expect(errno(() => file.unregister(1n))).toBe('EINVAL');
  });

  it('drops the queued report: no event for it afterwards', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.register(0n, PAGE, 2n);
    file.invalidate(0n, PAGE, UNMAP);
    file.unregister(1n);
    expect(file.read(8)).toEqual([inval(2n, 0n, PAGE, EVENT_FLAG_HINT), last(1n)]);
  });

  it('leaves nothing readable when it drops the only report', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    file.unregister(1n);
    expect(file.read(8)).toEqual([]);
    expect(file.counter).toBe(1n);
  });
});

describe('invalidation and the 2010 behaviour (no features)', () => {
  it('reports the first hit with HINT and its clipped range, then LAST with the counter', () => {
    const file = new UmmuFile();
    file.register(0x10000n, 0x20000n, 0xc0ffeen);
    file.invalidate(0x8000n, 0x12000n, UNMAP);
    expect(file.read(128)).toEqual([inval(0xc0ffeen, 0x10000n, 0x12000n, EVENT_FLAG_HINT), last(1n)]);
  });

  it('a second hit before the read clears HINT and reports the whole range', () => {
    const file = new UmmuFile();
    file.register(0x10000n, 0x20000n, 1n);
    file.invalidate(0x10000n, 0x11000n, UNMAP);
    file.invalidate(0x1f000n, 0x20000n, CLEAR);
    expect(file.read(128)).toEqual([inval(1n, 0x10000n, 0x20000n, 0), last(2n)]);
  });

  it('carries no reason bits and no HINT_UNION without the features', () => {
    const file = new UmmuFile();
    file.register(0n, 4n * PAGE, 1n);
    file.invalidate(0n, PAGE, PROTECTION_PAGE);
    const [event] = file.read(1);
    expect(event?.flags).toBe(EVENT_FLAG_HINT);
  });

  it('queues one report per overlapping registration, in order of first hit', () => {
    const file = new UmmuFile();
    file.register(0x3000n, 0x4000n, 3n);
    file.register(0x1000n, 0x2000n, 1n);
    file.register(0x5000n, 0x6000n, 5n);
    file.invalidate(0x5000n, 0x6000n, UNMAP);
    file.invalidate(0x0n, 0x4000n, UNMAP);
    file.invalidate(0x5000n, 0x6000n, UNMAP);
    const events = file.read(128);
    expect(events.map((e) => e.cookieOrCounter)).toEqual([5n, 1n, 3n, 3n]);
    expect(events[0]).toEqual(inval(5n, 0x5000n, 0x6000n, 0));
  });

  it('orders the reports one invalidation queues by start, then registration order, as the kernel tree walks', () => {
    const file = new UmmuFile();
    file.register(0x2000n, 0x3000n, 1n);
    file.register(0x1000n, 0x3000n, 9n);
    file.register(0x1000n, 0x2000n, 8n);
    file.register(0x1000n, 0x2000n, 2n);
    file.invalidate(0n, 0x10000n, CLEAR);
    expect(file.query().queue).toEqual([9n, 8n, 2n, 1n]);
  });

  it('counts a re-registered cookie as a new registration when ordering reports', () => {
    const file = new UmmuFile();
    file.register(0x1000n, 0x2000n, 1n);
    file.register(0x1000n, 0x2000n, 2n);
    file.unregister(1n);
    file.register(0x1000n, 0x2000n, 1n);
    file.invalidate(0x1000n, 0x2000n, CLEAR);
    expect(file.query().queue).toEqual([2n, 1n]);
  });

  it('lists registrations in QUERY by start, end, then cookie, whatever the registration order', () => {
    const file = new UmmuFile();
    file.register(0x1000n, 0x3000n, 9n);
    file.register(0x1000n, 0x2000n, 8n);
    file.register(0x1000n, 0x2000n, 2n);
    expect(file.query().registrations.map((r) => r.cookie)).toEqual([2n, 8n, 9n]);
  });

  it('does not hit registrations that only touch the range', () => {
    const file = new UmmuFile();
    file.register(0x1000n, 0x2000n, 1n);
    file.register(0x3000n, 0x4000n, 2n);
    expect(file.invalidate(0x2000n, 0x3000n, UNMAP)).toEqual([]);
    expect(file.counter).toBe(0n);
    expect(file.read(4)).toEqual([]);
  });
});

describe('the generation counter', () => {
  it('increments once per invalidation that overlaps at least one registration', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.register(0n, PAGE, 2n);
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.counter).toBe(1n);
    file.invalidate(PAGE, 2n * PAGE, UNMAP);
    expect(file.counter).toBe(1n);
  });

  it('also increments when every registration hit was already queued', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.counter).toBe(2n);
    expect(file.query().queue).toEqual([1n]);
  });

  it('is what the LAST event carries at the moment of the read', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    file.invalidate(0n, PAGE, UNMAP);
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.read(4).at(-1)).toEqual(last(3n));
  });
});

describe('read()', () => {
  it('refuses a buffer smaller than one event', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    expect(errno(() => file.read(0))).toBe('EINVAL');
    expect(errno(() => file.read(-3))).toBe('EINVAL');
    expect(file.query().queue).toEqual([1n]);
  });

  it('returns nothing (EAGAIN) when nothing is readable', () => {
    const file = new UmmuFile();
    expect(file.read(10)).toEqual([]);
    file.register(0n, PAGE, 1n);
    expect(file.read(10)).toEqual([]);
  });

  it('drains across several small reads, then ends with LAST alone', () => {
    const file = new UmmuFile();
    for (let i = 0n; i < 3n; i++) file.register(i * PAGE, (i + 1n) * PAGE, i);
    file.invalidate(0n, 3n * PAGE, UNMAP);
    expect(file.read(1)).toEqual([inval(0n, 0n, PAGE, EVENT_FLAG_HINT)]);
    expect(file.read(2)).toEqual([inval(1n, PAGE, 2n * PAGE, EVENT_FLAG_HINT), inval(2n, 2n * PAGE, 3n * PAGE, EVENT_FLAG_HINT)]);
    expect(file.query().flags).toBe(QUERY_NEED_EMPTY);
    expect(file.read(2)).toEqual([last(1n)]);
    expect(file.query().flags).toBe(0);
    expect(file.read(2)).toEqual([]);
  });

  it('appends LAST in the same read when there is room after the last INVAL', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.read(2)).toEqual([inval(1n, 0n, PAGE, EVENT_FLAG_HINT), last(1n)]);
    expect(file.read(2)).toEqual([]);
  });

  it('a report queued after a partial read comes before the LAST that drains it', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.register(PAGE, 2n * PAGE, 2n);
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.read(1)).toEqual([inval(1n, 0n, PAGE, EVENT_FLAG_HINT)]);
    file.invalidate(PAGE, 2n * PAGE, CLEAR);
    expect(file.read(8)).toEqual([inval(2n, PAGE, 2n * PAGE, EVENT_FLAG_HINT), last(2n)]);
  });

  it('returns at most one page (128 events) per read', () => {
    const file = new UmmuFile();
    for (let i = 0n; i < 200n; i++) file.register(i * PAGE, (i + 1n) * PAGE, i);
    file.invalidate(0n, 200n * PAGE, UNMAP);
    expect(READ_MAX_EVENTS).toBe(128);
    expect(file.read(1000)).toHaveLength(128);
    const rest = file.read(1000);
    expect(rest).toHaveLength(73);
    expect(rest.at(-1)).toEqual(last(1n));
  });

  it('a registration reported by a read starts afresh: its next hit has HINT again', () => {
    const file = new UmmuFile();
    file.register(0n, 4n * PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    file.invalidate(PAGE, 2n * PAGE, UNMAP);
    expect(file.read(1)).toEqual([inval(1n, 0n, 4n * PAGE, 0)]);
    file.invalidate(3n * PAGE, 4n * PAGE, CLEAR);
    expect(file.read(4)).toEqual([inval(1n, 3n * PAGE, 4n * PAGE, EVENT_FLAG_HINT), last(3n)]);
  });
});

describe('FEATURE_REASON', () => {
  it('puts the first reason in bits 8-15 and every reason seen in bits 16-31', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_REASON);
    file.register(0n, 4n * PAGE, 1n);
    file.invalidate(0n, PAGE, PROTECTION_PAGE);
    file.invalidate(PAGE, 2n * PAGE, CLEAR);
    file.invalidate(PAGE, 2n * PAGE, PROTECTION_PAGE);
    const [event] = file.read(4);
    expect(event?.flags).toBe((PROTECTION_PAGE << 8) | (((1 << PROTECTION_PAGE) | (1 << CLEAR)) << 16));
    expect(eventReason(event?.flags ?? 0)).toBe(PROTECTION_PAGE);
    expect(eventReasonMask(event?.flags ?? 0)).toBe(0b1010);
  });

  it('keeps HINT alongside the reason on a single hit, and starts afresh after a read', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_REASON);
    file.register(0n, PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.read(1)[0]?.flags).toBe(EVENT_FLAG_HINT | ((1 << UNMAP) << 16));
    file.invalidate(0n, PAGE, PROTECTION_VMA);
    expect(file.read(1)[0]?.flags).toBe(EVENT_FLAG_HINT | (PROTECTION_VMA << 8) | ((1 << PROTECTION_VMA) << 16));
  });

  it('encodes UNKNOWN (15) as an unsigned 32-bit mask', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_REASON);
    file.register(0n, PAGE, 1n);
    file.invalidate(0n, PAGE, UNKNOWN);
    const flags = file.read(1)[0]?.flags ?? 0;
    expect(flags).toBe(0x80000f01);
    expect(flags).toBeGreaterThan(0);
  });
});

describe('FEATURE_FILTER', () => {
  it('an ignored reason neither queues nor counts', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_FILTER);
    file.register(0n, PAGE, 1n, 1 << PROTECTION_PAGE);
    expect(file.invalidate(0n, PAGE, PROTECTION_PAGE)).toEqual([]);
    expect(file.counter).toBe(0n);
    expect(file.read(4)).toEqual([]);
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.counter).toBe(1n);
    expect(file.read(4)).toEqual([inval(1n, 0n, PAGE, EVENT_FLAG_HINT), last(1n)]);
  });

  it('counts an invalidation another registration does not ignore', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_FILTER);
    file.register(0n, PAGE, 1n, 1 << CLEAR);
    file.register(0n, PAGE, 2n, 0);
    expect(file.invalidate(0n, PAGE, CLEAR)).toEqual([2n]);
    expect(file.counter).toBe(1n);
    expect(file.query().queue).toEqual([2n]);
  });

  it('an ignored hit leaves a queued report and its hint untouched', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_FILTER | FEATURE_REASON);
    file.register(0n, 4n * PAGE, 1n, 1 << PROTECTION_PAGE);
    file.invalidate(0n, PAGE, UNMAP);
    file.invalidate(0n, 4n * PAGE, PROTECTION_PAGE);
    expect(file.read(1)).toEqual([inval(1n, 0n, PAGE, EVENT_FLAG_HINT | ((1 << UNMAP) << 16))]);
  });
});

describe('FEATURE_HINT_UNION', () => {
  it('reports the clipped union of the hits with HINT and HINT_UNION', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_HINT_UNION);
    file.register(0x10000n, 0x30000n, 1n);
    file.invalidate(0x1a000n, 0x1b000n, UNMAP);
    file.invalidate(0x28000n, 0x29000n, UNMAP);
    file.invalidate(0x2f000n, 0x40000n, CLEAR);
    expect(file.read(1)).toEqual([inval(1n, 0x1a000n, 0x30000n, EVENT_FLAG_HINT | EVENT_FLAG_HINT_UNION)]);
  });

  it('sets HINT_UNION on a re-hit even inside the first hint', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_HINT_UNION);
    file.register(0n, 4n * PAGE, 1n);
    file.invalidate(0n, 2n * PAGE, UNMAP);
    file.invalidate(0n, PAGE, UNMAP);
    expect(file.read(1)).toEqual([inval(1n, 0n, 2n * PAGE, EVENT_FLAG_HINT | EVENT_FLAG_HINT_UNION)]);
  });

  it('a single hit is a plain HINT', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_HINT_UNION);
    file.register(0n, 4n * PAGE, 1n);
    file.invalidate(PAGE, 2n * PAGE, UNMAP);
    expect(file.read(1)).toEqual([inval(1n, PAGE, 2n * PAGE, EVENT_FLAG_HINT)]);
  });
});

describe('QUERY', () => {
  it('lists registrations by (start, end, cookie) with their state, and changes nothing', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURES_ALL);
    file.register(0x5000n, 0x6000n, 4n, 1 << CLEAR);
    file.register(0x1000n, 0x3000n, 9n);
    file.register(0x1000n, 0x2000n, 7n);
    file.register(0x1000n, 0x2000n, 3n);
    file.invalidate(0x1000n, 0x1800n, UNMAP);
    file.invalidate(0x2800n, 0x3000n, PROTECTION_VMA);
    const snapshot = file.query();
    expect(snapshot.registrations.map((r) => r.cookie)).toEqual([3n, 7n, 9n, 4n]);
    expect(snapshot.registrations[0]).toEqual({
      start: 0x1000n,
      end: 0x2000n,
      cookie: 3n,
      hintStart: 0x1000n,
      hintEnd: 0x1800n,
      state: QUERY_REG_QUEUED | QUERY_REG_HINT,
      reasonFlags: (1 << UNMAP) << 16,
      filter: 0,
    });
    expect(snapshot.registrations[2]).toEqual({
      start: 0x1000n,
      end: 0x3000n,
      cookie: 9n,
      hintStart: 0x1000n,
      hintEnd: 0x3000n,
      state: QUERY_REG_QUEUED | QUERY_REG_HINT | QUERY_REG_HINT_UNION,
      reasonFlags: ((1 << UNMAP) | (1 << PROTECTION_VMA)) << 16,
      filter: 0,
    });
    expect(snapshot.registrations[3]).toEqual({
      start: 0x5000n,
      end: 0x6000n,
      cookie: 4n,
      hintStart: 0n,
      hintEnd: 0n,
      state: 0,
      reasonFlags: 0,
      filter: 1 << CLEAR,
    });
    expect(snapshot.queue).toEqual([9n, 7n, 3n]);
    expect(snapshot.counter).toBe(2n);
    expect(snapshot.flags).toBe(0);
    expect(file.query()).toEqual(snapshot);
    expect(file.read(8).map((e) => e.cookieOrCounter)).toEqual([9n, 7n, 3n, 2n]);
  });

  it('shows the whole range for a report that lost its HINT, and no reason bits without FEATURE_REASON', () => {
    const file = new UmmuFile();
    file.negotiateFeatures(FEATURE_QUERY);
    file.register(0n, 4n * PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    file.invalidate(PAGE, 2n * PAGE, UNMAP);
    const [reg] = file.query().registrations;
    expect(reg).toMatchObject({ hintStart: 0n, hintEnd: 4n * PAGE, state: QUERY_REG_QUEUED, reasonFlags: 0 });
  });

  it('keeps need-empty: a read after a query still returns LAST', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.invalidate(0n, PAGE, UNMAP);
    file.read(1);
    expect(file.query().flags).toBe(QUERY_NEED_EMPTY);
    expect(file.query().flags).toBe(QUERY_NEED_EMPTY);
    expect(file.read(1)).toEqual([last(1n)]);
  });
});

describe('close', () => {
  it('makes every file operation EBADF', () => {
    const file = new UmmuFile();
    file.register(0n, PAGE, 1n);
    file.close();
    expect(errno(() => file.register(PAGE, 2n * PAGE, 2n))).toBe('EBADF');
    expect(errno(() => file.unregister(1n))).toBe('EBADF');
    expect(errno(() => file.read(1))).toBe('EBADF');
    expect(errno(() => file.query())).toBe('EBADF');
    expect(errno(() => file.negotiateFeatures(0))).toBe('EBADF');
    expect(errno(() => file.exchangeFeatures(0))).toBe('EBADF');
    expect(file.invalidate(0n, PAGE, UNMAP)).toEqual([]);
  });
});
