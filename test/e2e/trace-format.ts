// The Trace Event format's required fields per phase (the "JSON Array" or
// "JSON Object" form Perfetto and chrome://tracing load): what each event
// must carry for its phase to be understood. Returns the problems found.

const COMMON = ['name', 'ph', 'pid', 'tid', 'ts'] as const;
const PER_PHASE: Record<string, readonly string[]> = {
  B: [],
  E: [],
  X: ['dur'],
  i: [],
  I: [],
  C: ['args'],
  b: ['id', 'cat'],
  e: ['id', 'cat'],
  n: ['id', 'cat'],
  M: ['args'],
};
const INSTANT_SCOPES = ['g', 'p', 't'];

export function traceProblems(json: unknown): string[] {
  const events = Array.isArray(json) ? json : (json as { traceEvents?: unknown }).traceEvents;
  if (!Array.isArray(events)) return ['neither an array of events nor an object with traceEvents'];
  const problems: string[] = [];
  events.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null) return problems.push(`#${i}: not an object`);
    const e = raw as Record<string, unknown>;
    const ph = String(e.ph);
    const needed = PER_PHASE[ph];
    if (!needed) return problems.push(`#${i}: unknown phase ${ph}`);
    for (const key of [...COMMON, ...needed]) if (!(key in e)) problems.push(`#${i} (${ph}): no ${key}`);
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts)) problems.push(`#${i}: ts is not a number`);
    if (typeof e.pid !== 'number' || typeof e.tid !== 'number') problems.push(`#${i}: pid/tid are not numbers`);
    if ((ph === 'i' || ph === 'I') && e.s !== undefined && !INSTANT_SCOPES.includes(String(e.s))) problems.push(`#${i}: instant scope ${String(e.s)}`);
    if (ph === 'C' && Object.values(e.args as object).some((v) => typeof v !== 'number')) problems.push(`#${i}: counter values must be numbers`);
    return undefined;
  });
  return problems;
}
