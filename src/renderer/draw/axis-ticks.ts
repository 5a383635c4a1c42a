// Tick lines and labels of an axis along the top of a view (address map,
// timeline): a label, and below it a second line where the tick has one
// (the map's page numbers). A label that would be cut off at the right
// edge is left out.

import type { Tick } from './address-scale';
import type { Painter } from './painter';
import type { Palette } from './palette';
import { LABEL_FONT_SIZE, textWidth } from './text-metrics';

/** Height of one line of axis labels. */
export const AXIS_LINE_HEIGHT = 15;

export function drawAxisTicks(p: Painter, ticks: readonly Tick[], axisHeight: number, bottom: number, right: number, palette: Palette): void {
  const lines = ticks.some((t) => t.sublabel !== undefined) ? 2 : 1;
  const top = (axisHeight - lines * AXIS_LINE_HEIGHT) / 2 + AXIS_LINE_HEIGHT / 2;
  for (const tick of ticks) {
    p.line(tick.x, axisHeight - 4, tick.x, bottom, { stroke: palette.grid });
    const widest = Math.max(textWidth(tick.label), tick.sublabel === undefined ? 0 : textWidth(tick.sublabel));
    if (tick.x + 3 + widest > right) continue;
    p.text(tick.x + 3, top, tick.label, { fill: palette.muted, size: LABEL_FONT_SIZE });
    if (tick.sublabel !== undefined) p.text(tick.x + 3, top + AXIS_LINE_HEIGHT, tick.sublabel, { fill: palette.text, size: LABEL_FONT_SIZE });
  }
}
