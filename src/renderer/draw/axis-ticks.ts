// Tick lines and labels of an axis along the top of a view (address map,
// timeline). A label that would be cut off at the right edge is left out.

import type { Tick } from './address-scale';
import type { Painter } from './painter';
import type { Palette } from './palette';

/** Width of a character of a 10 px axis label, enough to tell whether a label fits. */
const LABEL_CHAR_WIDTH = 6;

export function drawAxisTicks(p: Painter, ticks: readonly Tick[], axisHeight: number, bottom: number, right: number, palette: Palette): void {
  for (const tick of ticks) {
    p.line(tick.x, axisHeight - 4, tick.x, bottom, { stroke: palette.grid });
    if (tick.x + 3 + tick.label.length * LABEL_CHAR_WIDTH <= right) p.text(tick.x + 3, axisHeight / 2, tick.label, { fill: palette.muted, size: 10 });
  }
}
