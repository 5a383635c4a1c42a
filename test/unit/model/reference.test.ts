// Random operation scripts run on the model's file and on a brute-force
// reference written from the rules alone (arrays, linear scans, no index),
// comparing every result, error, counter and snapshot.

import { describe, expect, it } from 'vitest';
import { UmmuFile } from '../../../src/main/core/backends/model/file-state';
import {
  EVENT_FLAG_HINT,
  EVENT_FLAG_HINT_UNION,
  EVENT_TYPE_INVAL,
  EVENT_TYPE_LAST,
  FEATURE_FILTER,
  FEATURE_HINT_UNION,
  FEATURE_REASON,
  UmmuError,
  type UmmuEvent,
} from '../../../src/shared/domain';
import { randomInt, seededRandom } from './helpers';

interface RefReg {
  start: bigint;
  end: bigint;
  cookie: bigint;
  filter: number;
  hits: { s: bigint; e: bigint; reason: number }[];
}

class ReferenceFile {
  /** In registration order, so a stable sort by start gives the kernel tree walk order. */
  regs: RefReg[] = [];
  queue: RefReg[] = [];
  needEmpty = false;
  counter = 0n;
  constructor(readonly features: number) {}

  register(start: bigint, end: bigint, cookie: bigint, flags: number): string {
    if (start >= end) return 'EINVAL';
    if ((this.features & FEATURE_FILTER) === 0 ? flags !== 0 : (flags & ~0x80ff) !== 0) return 'EINVAL';
    if (this.regs.some((r) => r.cookie === cookie)) return 'EINVAL';
    this.regs.push({ start, end, cookie, filter: flags, hits: [] });
    return 'ok';
  }

  unregister(cookie: bigint): string {
    const reg = this.regs.find((r) => r.cookie === cookie);
    if (reg === undefined) return 'EINVAL';
    this.regs = this.regs.filter((r) => r !== reg);
    this.queue = this.queue.filter((r) => r !== reg);
    return 'ok';
  }

  invalidate(s: bigint, e: bigint, reason: number): bigint[] {
    const hit = this.regs
      .filter((r) => r.start < e && s < r.end && (r.filter & (1 << reason)) === 0)
      .sort((a, b) => (a.start === b.start ? 0 : a.start < b.start ? -1 : 1));
    for (const r of hit) {
      if (r.hits.length === 0) this.queue.push(r);
      r.hits.push({ s, e, reason });
    }
    if (hit.length > 0) this.counter += 1n;
    return hit.map((r) => r.cookie);
  }

  event(r: RefReg): UmmuEvent {
    const clip = r.hits.map((h) => ({ s: h.s > r.start ? h.s : r.start, e: h.e < r.end ? h.e : r.end }));
    const union = (this.features & FEATURE_HINT_UNION) !== 0;
    let flags = 0;
    let hintStart = r.start;
    let hintEnd = r.end;
    if (clip.length === 1 || union) {
      flags |= EVENT_FLAG_HINT;
      hintStart = clip.reduce((m, c) => (c.s < m ? c.s : m), clip[0]?.s ?? 0n);
      hintEnd = clip.reduce((m, c) => (c.e > m ? c.e : m), clip[0]?.e ?? 0n);
    }
    if (union && clip.length > 1) flags |= EVENT_FLAG_HINT_UNION;
    if ((this.features & FEATURE_REASON) !== 0) {
      const mask = r.hits.reduce((m, h) => m | (1 << h.reason), 0);
      flags |= ((r.hits[0]?.reason ?? 0) << 8) | (mask << 16);
    }
    return { type: EVENT_TYPE_INVAL, flags: flags >>> 0, hintStart, hintEnd, cookieOrCounter: r.cookie };
  }

  read(max: number): UmmuEvent[] | string {
    if (max < 1) return 'EINVAL';
    if (this.queue.length === 0 && !this.needEmpty) return [];
    const out: UmmuEvent[] = [];
    for (let n = 0; n < Math.min(max, 128); n++) {
      const r = this.queue.shift();
      if (r === undefined) {
        out.push({ type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: this.counter });
        this.needEmpty = false;
        break;
      }
      out.push(this.event(r));
      r.hits = [];
      this.needEmpty = true;
    }
    return out;
  }
}

function outcome<T>(action: () => T): T | string {
  try {
    const value = action();
    return value === undefined ? 'ok' : value;
  } catch (error) {
    if (error instanceof UmmuError) return error.code;
    throw error;
  }
}

const PAGE = 0x1000n;

describe('the model against a brute-force reference', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`agrees on 2000 random operations (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const features = randomInt(random, 16);
      const model = new UmmuFile();
      expect(model.negotiateFeatures(features).granted).toBe(features);
      const ref = new ReferenceFile(features);
      const randomRange = (): [bigint, bigint] => {
        const start = BigInt(randomInt(random, 64)) * PAGE;
        return [start, start + BigInt(1 + randomInt(random, 16)) * PAGE];
      };
      for (let step = 0; step < 2000; step++) {
        const roll = random();
        if (roll < 0.3) {
          const [start, end] = random() < 0.05 ? [PAGE, PAGE] : randomRange();
          const cookie = BigInt(randomInt(random, 40));
          const flags = random() < 0.7 ? 0 : random() < 0.9 ? 1 << randomInt(random, 8) : 1 << 9;
          expect(outcome(() => model.register(start, end, cookie, flags))).toBe(ref.register(start, end, cookie, flags));
        } else if (roll < 0.4) {
          const cookie = BigInt(randomInt(random, 40));
          expect(outcome(() => model.unregister(cookie))).toBe(ref.unregister(cookie));
        } else if (roll < 0.8) {
          const [s, e] = randomRange();
          const reason = [0, 1, 2, 3, 4, 6, 7, 15][randomInt(random, 8)] as number;
          expect(model.invalidate(s, e, reason)).toEqual(ref.invalidate(s, e, reason));
        } else {
          const max = randomInt(random, 6);
          expect(outcome(() => model.read(max))).toEqual(ref.read(max));
        }
        expect(model.counter).toBe(ref.counter);
        expect(model.query().queue).toEqual(ref.queue.map((r) => r.cookie));
      }
      const snapshot = model.query();
      for (const reg of snapshot.registrations) {
        const refReg = ref.regs.find((r) => r.cookie === reg.cookie);
        expect(refReg).toBeDefined();
        if (refReg !== undefined && refReg.hits.length > 0) {
          const event = ref.event(refReg);
          expect([reg.hintStart, reg.hintEnd]).toEqual([event.hintStart, event.hintEnd]);
          expect(reg.reasonFlags).toBe((event.flags & 0xffffff00) >>> 0);
        }
      }
      expect(snapshot.registrations).toHaveLength(ref.regs.length);
    });
  }
});
