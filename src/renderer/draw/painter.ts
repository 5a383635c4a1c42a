// The few drawing operations every view needs. Each view is one function
// drawing to a Painter; the canvas painter puts it on screen and the SVG
// painter writes the same picture for export, so a view has one
// implementation.

export interface ShapeStyle {
  fill?: string;
  stroke?: string;
  lineWidth?: number;
  opacity?: number;
  dash?: readonly number[];
}

export interface TextStyle {
  fill: string;
  /** Font size in pixels. */
  size?: number;
  bold?: boolean;
  align?: 'start' | 'middle' | 'end';
  baseline?: 'top' | 'middle' | 'bottom';
}

/** Data attributes an SVG element carries (what it depicts); ignored on canvas. */
export type Meta = Readonly<Record<string, string>>;

/** Meta, or a function giving it: views drawing thousands of shapes per frame pass a function, which only SVG export calls. */
export type MetaSource = Meta | (() => Meta);

export const resolveMeta = (meta: MetaSource | undefined): Meta | undefined => (typeof meta === 'function' ? meta() : meta);

export interface Painter {
  /** Groups what `draw` paints under a role (an SVG <g data-role>). */
  group(role: string, draw: () => void, meta?: Meta): void;
  /** Paints `draw` with its origin moved to (x, y). */
  translate(x: number, y: number, draw: () => void): void;
  /** Restricts what `draw` paints to a rectangle. */
  clip(x: number, y: number, width: number, height: number, draw: () => void): void;
  rect(x: number, y: number, width: number, height: number, style: ShapeStyle, meta?: MetaSource): void;
  line(x1: number, y1: number, x2: number, y2: number, style: ShapeStyle): void;
  /** Connected segments through flat [x0, y0, x1, y1, ...] points. */
  polyline(points: readonly number[], style: ShapeStyle): void;
  text(x: number, y: number, text: string, style: TextStyle): void;
}

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", sans-serif';
export { LABEL_FONT_SIZE as DEFAULT_FONT_SIZE } from './text-metrics';
