// How domain values are written for people: addresses in hex, sizes in
// pages, reasons and features by name.

import { FEATURE_FILTER, FEATURE_GENERATIONS, FEATURE_HINT_UNION, FEATURE_QUERY, FEATURE_REASON, Reason, eventReason, eventReasonMask } from '../../shared/domain';

export const hex = (value: bigint): string => `0x${value.toString(16)}`;

/**
 * A whole number with commas between thousands (12,345). Not
 * toLocaleString: its first call loads the locale's number formats, tens
 * of milliseconds on the main thread at the moment a stream starts.
 */
export const thousands = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function pageCount(start: bigint, end: bigint, pageSize: number): number {
  const size = BigInt(pageSize);
  return Number((end - start + size - 1n) / size);
}

const REASON_BY_VALUE = new Map<number, string>(Object.entries(Reason).map(([name, value]) => [value, name]));

export function reasonName(reason: number): string {
  if (reason < 0) return 'unknown to the backend';
  return REASON_BY_VALUE.get(reason) ?? `reason ${reason}`;
}

/** Names of the reasons in a (1 << reason) mask, lowest first. */
function reasonMaskNames(mask: number): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 16; bit++) if (mask & (1 << bit)) names.push(reasonName(bit));
  return names;
}

/**
 * The reasons carried by INVAL flags (or QUERY reason_flags): the first
 * reason, then any others from the mask. Empty without FEATURE_REASON.
 */
export function describeReasons(flags: number): string[] {
  const mask = eventReasonMask(flags);
  if (mask === 0) return [];
  const first = reasonName(eventReason(flags));
  return [first, ...reasonMaskNames(mask).filter((name) => name !== first)];
}

export const FEATURE_NAMES: readonly [number, string][] = [
  [FEATURE_REASON, 'REASON'],
  [FEATURE_FILTER, 'FILTER'],
  [FEATURE_HINT_UNION, 'HINT_UNION'],
  [FEATURE_QUERY, 'QUERY'],
  [FEATURE_GENERATIONS, 'GENERATIONS'],
];

export const featureList = (mask: number): string =>
  FEATURE_NAMES.filter(([bit]) => (mask & bit) !== 0)
    .map(([, name]) => name)
    .join(' ') || 'none';
