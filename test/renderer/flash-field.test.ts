import { describe, expect, it } from 'vitest';
import { addressScale } from '../../src/renderer/draw/address-scale';
import { FlashField, flashSpansOf } from '../../src/renderer/draw/flash-field';

// 100 columns over 100 pages: one page per pixel.
const PAGE = 4096;
const scale = addressScale({ start: 0n, end: BigInt(100 * PAGE) }, 0, 100);

describe('flash field', () => {
  it('flashes the columns a range covers, fading over the duration, and forgets faded ones', () => {
    const f = new FlashField(1000);
    f.project(scale, 100);
    f.add(10 * PAGE, 13 * PAGE, 0);
    expect(f.spans(0)).toEqual([{ x: 10, width: 3, strength: 1 }]);
    f.add(50 * PAGE, 50 * PAGE + 1, 500);
    expect(f.spans(500)).toEqual([
      { x: 10, width: 3, strength: 0.5 },
      { x: 50, width: 1, strength: 1 },
    ]);
    expect(f.live(1000)).toBe(true);
    expect(f.spans(1000)).toEqual([{ x: 50, width: 1, strength: 0.5 }]);
    expect(f.live(1500)).toBe(false);
    expect(f.spans(1500)).toEqual([]);
  });

  it('keeps one span per column however many flashes land on it, the newest winning', () => {
    const f = new FlashField(1000);
    f.project(scale, 100);
    for (let i = 0; i < 100000; i++) f.add(20 * PAGE + (i % 4000), 20 * PAGE + (i % 4000) + 64, i / 100);
    expect(f.spans(1000)).toEqual([{ x: 20, width: 1, strength: 1 }]);
  });

  it('re-projects live flashes when the view pans or zooms', () => {
    const f = new FlashField(1000);
    f.project(scale, 100);
    f.add(60 * PAGE, 62 * PAGE, 0);
    f.project(addressScale({ start: BigInt(50 * PAGE), end: BigInt(70 * PAGE) }, 0, 100), 100);
    expect(f.spans(0)).toEqual([{ x: 50, width: 10, strength: 1 }]);
    f.project(addressScale({ start: 0n, end: BigInt(10 * PAGE) }, 0, 100), 100);
    expect(f.spans(0)).toEqual([]);
  });

  it('draws given strengths for pictures', () => {
    expect(flashSpansOf(scale, [{ start: BigInt(3 * PAGE), end: BigInt(4 * PAGE), strength: 0.5 }], 100)).toEqual([{ x: 3, width: 1, strength: 0.5 }]);
  });
});
