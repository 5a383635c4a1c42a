// Text sizes of the drawn views. Scenes are built without a canvas (SVG
// export and tests build them too), so a label's width is estimated from a
// per-character width no less than the real one for what the views write
// (hex numbers, short words) at LABEL_FONT_SIZE.

/** The smallest text the views draw (pixels). */
export const LABEL_FONT_SIZE = 12;

const CHAR_WIDTH = 7.2;

export const textWidth = (text: string, size = LABEL_FONT_SIZE): number => (text.length * CHAR_WIDTH * size) / LABEL_FONT_SIZE;

/** `text`, or its end after an ellipsis, in at most `width` pixels (a cookie's low digits tell it apart). */
export function fitText(text: string, width: number, size = LABEL_FONT_SIZE): string {
  if (textWidth(text, size) <= width) return text;
  const chars = Math.max(0, Math.floor((width * LABEL_FONT_SIZE) / (CHAR_WIDTH * size)) - 1);
  return `…${text.slice(text.length - chars)}`;
}
