// All view state of the workbench in one store (zoom and pan of both axes,
// selection, follow-live, filters, search, theme), serializable to JSON so
// that an export can carry it and opening the export restores the view.

import { createStore, type StoreApi } from 'zustand/vanilla';
import { hexToU64, u64ToHex } from '../../shared/u64';
import type { Span } from './ranges';
import { RECORD_KINDS, type RecordKind } from '../../shared/timeline-record';

export type Theme = 'light' | 'dark';

export interface AddressRange {
  start: bigint;
  end: bigint;
}

export interface LogFilters {
  cookie: bigint | null;
  /** Record kinds shown; empty shows every kind. */
  kinds: RecordKind[];
  reason: number | null;
}

export interface Selection {
  addresses: AddressRange | null;
  time: Span | null;
  cookie: bigint | null;
}

export interface ViewStateData {
  /** Visible address range of the address map; null fits the arena. */
  addressDomain: AddressRange | null;
  /** Visible time range of the timeline; null fits the recording. */
  timeDomain: Span | null;
  followLive: boolean;
  selection: Selection;
  filters: LogFilters;
  search: string;
  theme: Theme;
  /** First registration lane shown in the timeline. */
  laneOffset: number;
}

export interface ViewActions {
  setAddressDomain(domain: AddressRange | null): void;
  /** Manual time navigation: sets the domain and pauses follow-live. */
  navigateTime(domain: Span | null): void;
  /** Follow-live's own moves: sets the domain and keeps following. */
  followTime(domain: Span): void;
  setFollowLive(follow: boolean): void;
  selectAddresses(range: AddressRange | null): void;
  selectTime(range: Span | null): void;
  selectCookie(cookie: bigint | null): void;
  setFilters(filters: Partial<LogFilters>): void;
  setSearch(search: string): void;
  setTheme(theme: Theme): void;
  setLaneOffset(offset: number): void;
  restore(data: ViewStateData): void;
}

export type ViewState = ViewStateData & ViewActions;
export type ViewStore = StoreApi<ViewState>;

export const initialViewState = (theme: Theme = 'light'): ViewStateData => ({
  addressDomain: null,
  timeDomain: null,
  followLive: true,
  selection: { addresses: null, time: null, cookie: null },
  filters: { cookie: null, kinds: [], reason: null },
  search: '',
  theme,
  laneOffset: 0,
});

export function createViewStore(initial: Partial<ViewStateData> = {}): ViewStore {
  return createStore<ViewState>()((set) => ({
    ...initialViewState(),
    ...initial,
    setAddressDomain: (addressDomain) => set({ addressDomain }),
    navigateTime: (timeDomain) => set({ timeDomain, followLive: false }),
    followTime: (timeDomain) => set({ timeDomain }),
    setFollowLive: (followLive) => set({ followLive }),
    selectAddresses: (addresses) => set((s) => ({ selection: { ...s.selection, addresses } })),
    selectTime: (time) => set((s) => ({ selection: { ...s.selection, time } })),
    selectCookie: (cookie) => set((s) => ({ selection: { ...s.selection, cookie } })),
    setFilters: (filters) => set((s) => ({ filters: { ...s.filters, ...filters } })),
    setSearch: (search) => set({ search }),
    setTheme: (theme) => set({ theme }),
    setLaneOffset: (laneOffset) => set({ laneOffset: Math.max(0, Math.floor(laneOffset)) }),
    restore: (data) => set(data),
  }));
}

export function viewStateData(state: ViewStateData): ViewStateData {
  const { addressDomain, timeDomain, followLive, selection, filters, search, theme, laneOffset } = state;
  return { addressDomain, timeDomain, followLive, selection, filters, search, theme, laneOffset };
}

/* JSON form: u64 values as hex strings (the project's wire convention). */

export const VIEW_STATE_FORMAT = 'ummunotify-view-state';
export const VIEW_STATE_VERSION = 1;

interface AddressRangeJson {
  start: string;
  end: string;
}

export interface ViewStateJson {
  format: typeof VIEW_STATE_FORMAT;
  version: typeof VIEW_STATE_VERSION;
  addressDomain: AddressRangeJson | null;
  timeDomain: Span | null;
  followLive: boolean;
  selection: { addresses: AddressRangeJson | null; time: Span | null; cookie: string | null };
  filters: { cookie: string | null; kinds: RecordKind[]; reason: number | null };
  search: string;
  theme: Theme;
  laneOffset: number;
}

const rangeToJson = (range: AddressRange | null): AddressRangeJson | null =>
  range && { start: u64ToHex(range.start), end: u64ToHex(range.end) };

export function serializeViewState(state: ViewStateData): ViewStateJson {
  return {
    format: VIEW_STATE_FORMAT,
    version: VIEW_STATE_VERSION,
    addressDomain: rangeToJson(state.addressDomain),
    timeDomain: state.timeDomain && { ...state.timeDomain },
    followLive: state.followLive,
    selection: {
      addresses: rangeToJson(state.selection.addresses),
      time: state.selection.time && { ...state.selection.time },
      cookie: state.selection.cookie === null ? null : u64ToHex(state.selection.cookie),
    },
    filters: {
      cookie: state.filters.cookie === null ? null : u64ToHex(state.filters.cookie),
      kinds: [...state.filters.kinds],
      reason: state.filters.reason,
    },
    search: state.search,
    theme: state.theme,
    laneOffset: state.laneOffset,
  };
}

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError(`${what}: expected an object`);
  return value as Json;
}

function finite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${what}: expected a finite number`);
  return value;
}

function addressRange(value: unknown, what: string): AddressRange | null {
  if (value === null) return null;
  const o = object(value, what);
  const range = { start: hexToU64(o.start, `${what}.start`), end: hexToU64(o.end, `${what}.end`) };
  if (range.end <= range.start) throw new RangeError(`${what}: end must be above start`);
  return range;
}

function span(value: unknown, what: string): Span | null {
  if (value === null) return null;
  const o = object(value, what);
  const range = { start: finite(o.start, `${what}.start`), end: finite(o.end, `${what}.end`) };
  if (range.end < range.start) throw new RangeError(`${what}: end must not be below start`);
  return range;
}

const optionalCookie = (value: unknown, what: string): bigint | null => (value === null ? null : hexToU64(value, what));

/** Reads a serialized view state; throws RangeError naming the bad field. */
export function parseViewState(value: unknown): ViewStateData {
  const o = object(value, 'view state');
  if (o.format !== VIEW_STATE_FORMAT) throw new RangeError(`view state: format is not ${VIEW_STATE_FORMAT}`);
  if (o.version !== VIEW_STATE_VERSION) throw new RangeError(`view state: unsupported version ${String(o.version)}`);
  const selection = object(o.selection, 'selection');
  const filters = object(o.filters, 'filters');
  const kinds = filters.kinds;
  if (!Array.isArray(kinds) || !kinds.every((k): k is RecordKind => RECORD_KINDS.includes(k as RecordKind)))
    throw new RangeError('filters.kinds: expected record kinds');
  if (o.theme !== 'light' && o.theme !== 'dark') throw new RangeError('theme: expected light or dark');
  if (typeof o.followLive !== 'boolean') throw new RangeError('followLive: expected a boolean');
  if (typeof o.search !== 'string') throw new RangeError('search: expected a string');
  return {
    addressDomain: addressRange(o.addressDomain, 'addressDomain'),
    timeDomain: span(o.timeDomain, 'timeDomain'),
    followLive: o.followLive,
    selection: {
      addresses: addressRange(selection.addresses, 'selection.addresses'),
      time: span(selection.time, 'selection.time'),
      cookie: optionalCookie(selection.cookie, 'selection.cookie'),
    },
    filters: {
      cookie: optionalCookie(filters.cookie, 'filters.cookie'),
      kinds,
      reason: filters.reason === null ? null : finite(filters.reason, 'filters.reason'),
    },
    search: o.search,
    theme: o.theme,
    laneOffset: Math.max(0, Math.floor(finite(o.laneOffset, 'laneOffset'))),
  };
}
