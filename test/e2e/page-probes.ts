// Scripts that run inside the page and measure what a user sees. They are
// plain JavaScript text: this directory is type-checked without the DOM.

/** `(testId, points) => [[r, g, b], ...]`: a canvas's pixels at CSS-pixel points (device pixel ratio 1). */
export const CANVAS_PIXELS = `(testId, points) => {
  const canvas = document.querySelector('[data-testid="' + testId + '"]');
  const ctx = canvas.getContext('2d');
  return points.map((p) => [...ctx.getImageData(Math.floor(p.x), Math.floor(p.y), 1, 1).data.slice(0, 3)]);
}`;

/** `(selector) => string[]`: elements of the panels matching selector whose text is cut off (wider than their box, or past the panel's edge). */
export const CLIPPED_TEXT = `(selector) => {
  const found = [];
  for (const panel of document.querySelectorAll(selector)) {
    const edge = panel.getBoundingClientRect().right;
    for (const el of [panel, ...panel.querySelectorAll('*')]) {
      if (!(el instanceof HTMLElement) || ['INPUT', 'SELECT', 'TEXTAREA', 'OPTION'].includes(el.tagName) || el.getClientRects().length === 0) continue;
      const wider = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
      const past = el.getBoundingClientRect().right > edge + 1;
      if (wider || past) found.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + (el.textContent || '').slice(0, 60) + '"');
    }
  }
  return found;
}`;

/** `() => string[]`: visible elements with text of their own set in less than 12 px. */
export const SMALL_TEXT = `() => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!(el instanceof HTMLElement) || el.tagName === 'OPTION' || el.getClientRects().length === 0) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent || '').trim() !== '');
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (own && size < 12) found.push(size + 'px ' + el.tagName.toLowerCase() + ' "' + (el.textContent || '').slice(0, 40) + '"');
  }
  return found;
}`;

/** `() => string[]`: form controls with no accessible name (no <label>, aria-label or aria-labelledby). */
export const UNLABELLED = `() => [...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.labels.length === 0 && !(el.getAttribute('aria-label') || '').trim() && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120))`;

/**
 * `(svgText, pngBase64) => { swatches, corner, pixels }`: the legend swatches
 * of an exported SVG (label, fill, centre), the text in its corner, and the
 * colours of an exported PNG at those centres.
 */
export const EXPORT_LEGENDS = `async (svgText, pngBase64) => {
  const host = document.createElement('div');
  host.style.cssText = 'position:absolute;left:0;top:0';
  host.innerHTML = svgText;
  document.body.append(host);
  const svg = host.querySelector('svg');
  const origin = svg.getBoundingClientRect();
  const swatches = [...svg.querySelectorAll('g[data-role="legend"] rect[data-legend]')].map((r) => {
    const b = r.getBoundingClientRect();
    return { label: r.getAttribute('data-legend'), fill: r.getAttribute('fill'), x: b.x - origin.x + b.width / 2, y: b.y - origin.y + b.height / 2 };
  });
  const cornerText = svg.querySelector('g[data-role="source"] text');
  const corner = cornerText ? cornerText.textContent : '';
  host.remove();
  const bytes = Uint8Array.from(atob(pngBase64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const pixels = swatches.map((s) => [...ctx.getImageData(Math.floor(s.x), Math.floor(s.y), 1, 1).data.slice(0, 3)]);
  return { swatches, corner, pixels };
}`;

/** The expression calling `script` with `args` (JSON). */
export const call = (script: string, ...args: unknown[]): string => `(${script})(${args.map((a) => JSON.stringify(a)).join(', ')})`;
