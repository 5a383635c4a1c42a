// A painter that records every operation, to assert what a view draws
// without a canvas (jsdom has no 2D context). Coordinates are recorded as
// painted, translations applied.

import { resolveMeta, type Meta, type Painter, type ShapeStyle, type TextStyle } from '../../src/renderer/draw/painter';

export type PaintOp =
  | { op: 'rect'; x: number; y: number; width: number; height: number; style: ShapeStyle; meta?: Meta; groups: string[] }
  | { op: 'line'; style: ShapeStyle; groups: string[] }
  | { op: 'polyline'; points: readonly number[]; style: ShapeStyle; groups: string[] }
  | { op: 'text'; x: number; y: number; text: string; style: TextStyle; groups: string[] };

export function createRecordingPainter(): Painter & { ops: PaintOp[] } {
  const ops: PaintOp[] = [];
  const groups: string[] = [];
  let dx = 0;
  let dy = 0;
  return {
    ops,
    group(role, draw) {
      groups.push(role);
      draw();
      groups.pop();
    },
    translate(x, y, draw) {
      dx += x;
      dy += y;
      draw();
      dx -= x;
      dy -= y;
    },
    clip: (_x, _y, _w, _h, draw) => draw(),
    rect: (x, y, width, height, style, meta) =>
      void ops.push({ op: 'rect', x: x + dx, y: y + dy, width, height, style, meta: resolveMeta(meta), groups: [...groups] }),
    line: (_x1, _y1, _x2, _y2, style) => void ops.push({ op: 'line', style, groups: [...groups] }),
    polyline: (points, style) => void ops.push({ op: 'polyline', points: [...points], style, groups: [...groups] }),
    text: (x, y, text, style) => void ops.push({ op: 'text', x: x + dx, y: y + dy, text, style, groups: [...groups] }),
  };
}
