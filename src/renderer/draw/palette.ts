// Colours of both themes. Canvas and SVG need concrete colours, and the
// page's CSS variables are generated from the same table, so screen,
// exports and HTML chrome always agree.

import type { Theme } from '../view-state/view-store';

export interface Palette {
  background: string;
  panel: string;
  text: string;
  muted: string;
  grid: string;
  border: string;
  accent: string;
  pageUnmapped: string;
  pageMapped: string;
  pagePresent: string;
  pageProtected: string;
  clean: string;
  queuedHint: string;
  queuedUnion: string;
  queuedWhole: string;
  hint: string;
  /** Cookie labels on registration bars (dark on every bar colour of both themes). */
  barLabel: string;
  flash: string;
  selection: string;
  lifetime: string;
  invalidation: string;
  read: string;
  counter: string;
  queueDepth: string;
}

export const PALETTES: Record<Theme, Palette> = {
  light: {
    background: '#ffffff',
    panel: '#f5f6f8',
    text: '#1d232b',
    muted: '#66707c',
    grid: '#e2e5ea',
    border: '#cdd2d9',
    accent: '#2563eb',
    pageUnmapped: '#f1f1f1',
    pageMapped: '#d6e4f5',
    pagePresent: '#9fc1ea',
    pageProtected: '#f3d6a6',
    clean: '#5a9e6f',
    queuedHint: '#e08a1e',
    queuedUnion: '#b5651d',
    queuedWhole: '#d1453b',
    hint: '#7a1f00',
    barLabel: '#10141a',
    flash: '#ffcc00',
    selection: '#2563eb',
    lifetime: '#b9c7d9',
    invalidation: '#d1453b',
    read: '#2563eb',
    counter: '#6d28d9',
    queueDepth: '#e08a1e',
  },
  dark: {
    background: '#16191e',
    panel: '#1f242b',
    text: '#e6e9ee',
    muted: '#9aa4b1',
    grid: '#2c323b',
    border: '#3a424d',
    accent: '#60a5fa',
    pageUnmapped: '#22262c',
    pageMapped: '#27405f',
    pagePresent: '#3d6798',
    pageProtected: '#6b5220',
    clean: '#4caf6e',
    queuedHint: '#f0a040',
    queuedUnion: '#d08848',
    queuedWhole: '#ef6a5f',
    hint: '#ffe2b0',
    barLabel: '#10141a',
    flash: '#ffd83d',
    selection: '#60a5fa',
    lifetime: '#39485a',
    invalidation: '#ef6a5f',
    read: '#60a5fa',
    counter: '#b59cf5',
    queueDepth: '#f0a040',
  },
};

/** CSS custom properties (--um-<name>) for the HTML parts of the views. */
const cssVariables = new WeakMap<Palette, Record<string, string>>();

/** The palette as CSS custom properties; one object per palette, so a re-render passes React the same style. */
export function paletteCssVariables(palette: Palette): Record<string, string> {
  let vars = cssVariables.get(palette);
  if (vars) return vars;
  vars = {};
  for (const [name, value] of Object.entries(palette)) vars[`--um-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = value;
  cssVariables.set(palette, vars);
  return vars;
}
