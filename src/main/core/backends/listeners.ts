/** Adds `listener` to `listeners`; returns the function that removes it. */
export function subscribe<L>(listeners: Set<L>, listener: L): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
