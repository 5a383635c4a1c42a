// Delta debugging (ddmin over steps): the shortest script that still shows
// a mismatch, so a disagreement is reported as a handful of operations.

import { compare, type Mismatch, type Script } from './script';

/**
 * `found` is the mismatch already seen on `script`. A candidate that does
 * not reproduce is simply not taken, so a flaky mismatch (the kernel is
 * not always deterministic: per-CPU LRU batches, reclaim) shrinks less but
 * is still reported.
 */
export async function shrink(script: Script, found: Mismatch, budget = 200): Promise<{ script: Script; mismatch: Mismatch }> {
  let best = script;
  let mismatch = found;
  // Steps after the first mismatching one cannot matter.
  best = { ...best, steps: best.steps.slice(0, mismatch.step + 1) };
  let chunks = 2;
  let tries = 0;
  while (best.steps.length > 1 && tries < budget) {
    const size = Math.ceil(best.steps.length / chunks);
    let reduced = false;
    for (let start = 0; start < best.steps.length && tries < budget; start += size) {
      const candidate = { ...best, steps: [...best.steps.slice(0, start), ...best.steps.slice(start + size)] };
      tries++;
      const again = await compare(candidate);
      if (again) {
        best = { ...candidate, steps: candidate.steps.slice(0, again.step + 1) };
        mismatch = again;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size === 1) break;
      chunks = Math.min(chunks * 2, best.steps.length);
    }
  }
  return { script: best, mismatch };
}
