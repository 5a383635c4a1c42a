// A legend: what each colour and mark of a view means, laid out in rows
// that wrap at the view's width and drawn by the view's own function, so
// the screen and every exported picture carry it.

import type { Palette } from './palette';
import type { Painter } from './painter';
import { LABEL_FONT_SIZE, textWidth } from './text-metrics';

/** box: a filled square; band: a bar with an inner band; line: a stroke; mark: a thin tick. */
export type SwatchShape = 'box' | 'band' | 'line' | 'mark';

export interface LegendEntry {
  label: string;
  shape: SwatchShape;
  colour: keyof Palette;
  /** The inner band's colour (shape 'band'). */
  inner?: keyof Palette;
}

export interface LegendItem extends LegendEntry {
  /** The swatch's top left corner, relative to the legend. */
  x: number;
  y: number;
}

export interface Legend {
  items: LegendItem[];
  height: number;
}

export const LEGEND_LAYOUT = { rowHeight: 18, swatch: 12, labelGap: 5, itemGap: 16, padding: 4 };

/** Lays the entries out left to right, wrapping to a new row where one would pass `width`. */
export function layoutLegend(entries: readonly LegendEntry[], width: number): Legend {
  const L = LEGEND_LAYOUT;
  const items: LegendItem[] = [];
  let x = L.padding;
  let row = 0;
  for (const entry of entries) {
    const itemWidth = L.swatch + L.labelGap + textWidth(entry.label);
    if (x > L.padding && x + itemWidth > width - L.padding) {
      x = L.padding;
      row++;
    }
    items.push({ ...entry, x, y: row * L.rowHeight + (L.rowHeight - L.swatch) / 2 });
    x += itemWidth + L.itemGap;
  }
  return { items, height: entries.length === 0 ? 0 : (row + 1) * L.rowHeight };
}

/** The height a legend of `entries` takes at `width`. */
export const legendHeight = (entries: readonly LegendEntry[], width: number): number => layoutLegend(entries, width).height;

export function drawLegend(p: Painter, legend: Legend, top: number, palette: Palette): void {
  const S = LEGEND_LAYOUT.swatch;
  p.translate(0, top, () =>
    p.group('legend', () => {
      for (const item of legend.items) {
        const meta = { legend: item.label };
        const colour = palette[item.colour];
        if (item.shape === 'line') p.rect(item.x, item.y + S / 2 - 1, S, 2, { fill: colour }, meta);
        else if (item.shape === 'mark') p.rect(item.x + S / 2 - 1.5, item.y, 3, S, { fill: colour }, meta);
        else p.rect(item.x, item.y, S, S, { fill: colour, stroke: palette.border }, meta);
        if (item.shape === 'band' && item.inner) p.rect(item.x, item.y + S - 4, S, 4, { fill: palette[item.inner] });
        p.text(item.x + S + LEGEND_LAYOUT.labelGap, item.y + S / 2, item.label, { fill: palette.text, size: LABEL_FONT_SIZE });
      }
    }),
  );
}
