// The one owner of requestAnimationFrame for the views: canvases ask for a
// redraw and every request made before the next frame runs once in it.

type Draw = () => void;

const pending = new Set<Draw>();
let scheduled = false;

function flush(): void {
  scheduled = false;
  const draws = [...pending];
  pending.clear();
  for (const draw of draws) draw();
}

export function requestDraw(draw: Draw): void {
  pending.add(draw);
  if (scheduled) return;
  scheduled = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
  else setTimeout(flush, 16);
}

export function cancelDraw(draw: Draw): void {
  pending.delete(draw);
}
