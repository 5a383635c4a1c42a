// Painter onto a Canvas 2D context (the screen).

import { DEFAULT_FONT_SIZE, FONT_FAMILY, type Painter, type ShapeStyle, type TextStyle } from './painter';

const CANVAS_ALIGN = { start: 'left', middle: 'center', end: 'right' } as const;
const CANVAS_BASELINE = { top: 'top', middle: 'middle', bottom: 'bottom' } as const;

export function createCanvasPainter(ctx: CanvasRenderingContext2D): Painter {
  // save/restore per shape dominates when tens of thousands of bars are
  // drawn; plain opaque shapes skip it.
  const withStyle = (style: ShapeStyle, paint: () => void): void => {
    if ((style.opacity ?? 1) === 1 && !style.dash && (style.lineWidth ?? 1) === 1) {
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1;
      paint();
      return;
    }
    ctx.save();
    ctx.globalAlpha = style.opacity ?? 1;
    if (style.dash) ctx.setLineDash([...style.dash]);
    ctx.lineWidth = style.lineWidth ?? 1;
    paint();
    ctx.restore();
  };
  return {
    group: (_role, draw) => draw(),
    translate(x, y, draw) {
      ctx.save();
      ctx.translate(x, y);
      draw();
      ctx.restore();
    },
    clip(x, y, width, height, draw) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x, y, width, height);
      ctx.clip();
      draw();
      ctx.restore();
    },
    rect(x, y, width, height, style) {
      withStyle(style, () => {
        if (style.fill) {
          ctx.fillStyle = style.fill;
          ctx.fillRect(x, y, width, height);
        }
        if (style.stroke) {
          ctx.strokeStyle = style.stroke;
          ctx.strokeRect(x + 0.5, y + 0.5, Math.max(0, width - 1), Math.max(0, height - 1));
        }
      });
    },
    line(x1, y1, x2, y2, style) {
      withStyle(style, () => {
        ctx.strokeStyle = style.stroke ?? 'black';
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
        ctx.stroke();
      });
    },
    polyline(points, style) {
      if (points.length < 4) return;
      withStyle(style, () => {
        ctx.strokeStyle = style.stroke ?? 'black';
        ctx.beginPath();
        ctx.moveTo(points[0] ?? 0, points[1] ?? 0);
        for (let i = 2; i + 1 < points.length; i += 2) ctx.lineTo(points[i] ?? 0, points[i + 1] ?? 0);
        ctx.stroke();
      });
    },
    text(x, y, text, style: TextStyle) {
      ctx.save();
      ctx.fillStyle = style.fill;
      ctx.font = `${style.bold ? 'bold ' : ''}${style.size ?? DEFAULT_FONT_SIZE}px ${FONT_FAMILY}`;
      ctx.textAlign = CANVAS_ALIGN[style.align ?? 'start'];
      ctx.textBaseline = CANVAS_BASELINE[style.baseline ?? 'middle'];
      ctx.fillText(text, x, y);
      ctx.restore();
    },
  };
}
