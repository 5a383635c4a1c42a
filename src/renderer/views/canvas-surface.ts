// Sizes a canvas for the device pixel ratio and returns a painter over it,
// or null where there is no 2D context (jsdom).

import { createCanvasPainter } from '../draw/canvas-painter';
import type { Painter } from '../draw/painter';

export function canvasPainter(canvas: HTMLCanvasElement | null, width: number, height: number): Painter | null {
  if (!canvas) return null;
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = canvas.getContext('2d');
  } catch {
    return null;
  }
  if (!ctx) return null;
  const ratio = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return createCanvasPainter(ctx);
}
