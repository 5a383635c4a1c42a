// Journal records reach a viewer numbered: one by one (first = last) or
// counted in a summary (first..last). A viewer applies each once, in order,
// from the number it expects next: what ends before that number it has
// already (a greeting's history held it); what starts after it shows that
// something in between is missing.

export interface NumberedRun {
  first: number;
  last: number;
}

export interface TakenInOrder<T> {
  taken: T[];
  /** The number expected after the taken runs. */
  next: number;
  /** A run started after the number expected: the runs from there on were not taken. */
  gap: boolean;
}

export function takeInOrder<T extends NumberedRun>(runs: Iterable<T>, next: number): TakenInOrder<T> {
  const taken: T[] = [];
  for (const run of runs) {
    if (run.last < next) continue;
    if (run.first > next) return { taken, next, gap: true };
    taken.push(run);
    next = run.last + 1;
  }
  return { taken, next, gap: false };
}
