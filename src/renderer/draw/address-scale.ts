// The address axis: a d3 linear scale over addresses (user addresses fit
// exactly in a double) and hex tick labels on page boundaries.

import { scaleLinear, type ScaleLinear } from 'd3';
import type { AddressRange } from '../view-state/view-store';
import { hex } from './format';

export type AddressScale = ScaleLinear<number, number>;

export function addressScale(domain: AddressRange, x0: number, x1: number): AddressScale {
  return scaleLinear().domain([Number(domain.start), Number(domain.end)]).range([x0, x1]);
}

/** The page-aligned address under pixel x (rounded down). */
export function addressAt(scale: AddressScale, x: number, pageSize: number): bigint {
  const page = BigInt(pageSize);
  const address = BigInt(Math.max(0, Math.floor(scale.invert(x))));
  return (address / page) * page;
}

export interface Tick {
  x: number;
  label: string;
  /** A second line under the label (the page number on the address map). */
  sublabel?: string;
}

/**
 * About `count` ticks on page boundaries: the step is a power of two times
 * the page size, the one nearest to an even split of the domain, and never
 * less than one page, so that zoomed in below a page per tick only page
 * boundaries are labelled (a domain inside one page may have none).
 * Given the arena's base, each tick also says which page of the arena it
 * starts.
 */
export function addressTicks(scale: AddressScale, count: number, pageSize: number, base?: bigint): Tick[] {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`page size must be a positive integer, got ${pageSize}`);
  const [a, b] = scale.domain() as [number, number];
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const pagesPerTick = (hi - lo) / pageSize / Math.max(1, count);
  const step = BigInt(pageSize) << BigInt(pagesPerTick > 1 ? Math.round(Math.log2(pagesPerTick)) : 0);
  const first = BigInt(Math.ceil(Math.max(0, lo)));
  const last = BigInt(Math.floor(Math.max(0, hi)));
  const ticks: Tick[] = [];
  for (let value = ((first + step - 1n) / step) * step; value <= last; value += step) {
    const tick: Tick = { x: scale(Number(value)), label: hex(value) };
    if (base !== undefined && value >= base) tick.sublabel = `page ${(value - base) / BigInt(pageSize)}`;
    ticks.push(tick);
  }
  return ticks;
}
