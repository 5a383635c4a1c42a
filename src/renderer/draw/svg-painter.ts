// Painter that writes SVG markup (exports). Elements carry data-* attributes
// saying what they depict, so an exported picture can be inspected.

import { DEFAULT_FONT_SIZE, FONT_FAMILY, resolveMeta, type MetaSource, type Painter, type ShapeStyle, type TextStyle } from './painter';

export interface SvgPainter extends Painter {
  /** The painted elements (no <svg> wrapper). */
  body(): string;
}

const num = (value: number): string => String(Math.round(value * 100) / 100);

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const metaAttributes = (source: MetaSource | undefined): string => {
  const meta = resolveMeta(source);
  return meta
    ? Object.entries(meta)
        .map(([key, value]) => ` data-${key}="${escapeXml(value)}"`)
        .join('')
    : '';
};

function shapeAttributes(style: ShapeStyle): string {
  let out = ` fill="${style.fill ? escapeXml(style.fill) : 'none'}"`;
  if (style.stroke) out += ` stroke="${escapeXml(style.stroke)}" stroke-width="${num(style.lineWidth ?? 1)}"`;
  if (style.opacity !== undefined && style.opacity !== 1) out += ` opacity="${num(style.opacity)}"`;
  if (style.dash) out += ` stroke-dasharray="${style.dash.map(num).join(' ')}"`;
  return out;
}

const ANCHOR = { start: 'start', middle: 'middle', end: 'end' } as const;
const BASELINE = { top: 'hanging', middle: 'central', bottom: 'alphabetic' } as const;

export function createSvgPainter(): SvgPainter {
  const parts: string[] = [];
  let clips = 0;
  return {
    body: () => parts.join(''),
    group(role, draw, meta) {
      parts.push(`<g data-role="${escapeXml(role)}"${metaAttributes(meta)}>`);
      draw();
      parts.push('</g>');
    },
    translate(x, y, draw) {
      parts.push(`<g transform="translate(${num(x)} ${num(y)})">`);
      draw();
      parts.push('</g>');
    },
    clip(x, y, width, height, draw) {
      const id = `clip${clips++}`;
      parts.push(`<clipPath id="${id}"><rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}"/></clipPath>`);
      parts.push(`<g clip-path="url(#${id})">`);
      draw();
      parts.push('</g>');
    },
    rect(x, y, width, height, style, meta) {
      parts.push(
        `<rect x="${num(x)}" y="${num(y)}" width="${num(Math.max(0, width))}" height="${num(Math.max(0, height))}"${shapeAttributes(style)}${metaAttributes(meta)}/>`,
      );
    },
    line(x1, y1, x2, y2, style) {
      parts.push(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}"${shapeAttributes({ ...style, fill: undefined })}/>`);
    },
    polyline(points, style) {
      if (points.length < 4) return;
      const list: string[] = [];
      for (let i = 0; i + 1 < points.length; i += 2) list.push(`${num(points[i] ?? 0)},${num(points[i + 1] ?? 0)}`);
      parts.push(`<polyline points="${list.join(' ')}"${shapeAttributes({ ...style, fill: undefined })}/>`);
    },
    text(x, y, text, style: TextStyle) {
      parts.push(
        `<text x="${num(x)}" y="${num(y)}" fill="${escapeXml(style.fill)}" font-size="${num(style.size ?? DEFAULT_FONT_SIZE)}"${style.bold ? ' font-weight="bold"' : ''} text-anchor="${ANCHOR[style.align ?? 'start']}" dominant-baseline="${BASELINE[style.baseline ?? 'middle']}">${escapeXml(text)}</text>`,
      );
    },
  };
}

/** A complete SVG document; `metadata` (already XML) goes in <metadata>. */
export function svgDocument(width: number, height: number, body: string, background: string, metadata = ''): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="${escapeXml(FONT_FAMILY)}">` +
    (metadata ? `<metadata>${metadata}</metadata>` : '') +
    `<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="${escapeXml(background)}"/>` +
    body +
    '</svg>'
  );
}
