// The hover box of the canvas views, placed beside the pointer: right of it
// in the left half of the area, left of it in the right half, so that it
// stays inside the area.

import type { ReactNode } from 'react';

const OFFSET = 12;

export interface TooltipProps {
  /** Pointer position within the (positioned) area the tooltip belongs to. */
  x: number;
  y: number;
  areaWidth: number;
  testId: string;
  children: ReactNode;
}

export function Tooltip({ x, y, areaWidth, testId, children }: TooltipProps) {
  const style = x > areaWidth / 2 ? { right: areaWidth - x + OFFSET, top: y + OFFSET } : { left: x + OFFSET, top: y + OFFSET };
  return (
    <div className="um-tooltip" style={style} data-testid={testId}>
      {children}
    </div>
  );
}
