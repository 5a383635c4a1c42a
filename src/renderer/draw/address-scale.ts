// The address axis: a d3 linear scale over addresses (user addresses fit
// exactly in a double) and hex tick labels.

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
}

export function addressTicks(scale: AddressScale, count: number): Tick[] {
  return scale.ticks(count).map((value) => ({ x: scale(value), label: hex(BigInt(Math.round(value))) }));
}
