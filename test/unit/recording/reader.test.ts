import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingError, parseRecording, readRecordingFile } from '../../../src/main/core/recording';

const HEADER = {
  format: 'ummutrace',
  version: 1,
  backend: 'kernel',
  description: 'lab demo',
  kernelRelease: '6.12.95+deb12-amd64',
  features: 15,
  pageSize: 4096,
  arena: { base: '0x7f0000000000', pages: 64 },
  createdAt: '2026-11-25T12:00:00.000Z',
};

const inval = (cookie: string) => ({
  type: 0,
  flags: 1,
  hintStart: '0x7f0000001000',
  hintEnd: '0x7f0000002000',
  cookieOrCounter: cookie,
});
const last = (counter: string) => ({ type: 1, flags: 0, hintStart: '0x0', hintEnd: '0x0', cookieOrCounter: counter });

/** A valid recording, one JSON value per line (line n is lines[n - 1]). */
function validLines(): Record<string, unknown>[] {
  return [
    HEADER,
    { t: 0, kind: 'op', op: { op: 'register', start: '0x7f0000000000', end: '0x7f0000004000', cookie: '0x1', flags: 0 }, ok: true, result: null },
    { t: 1.5, kind: 'op', op: { op: 'register', start: '0x7f0000000000', end: '0x7f0000008000', cookie: '0x2', flags: 0 }, ok: true, result: null },
    { t: 2, kind: 'op', op: { op: 'register', start: '0x7f0000000000', end: '0x7f0000008000', cookie: '0x2', flags: 0 }, ok: false, error: { code: 'EINVAL', message: 'cookie 0x2 is already registered' } },
    { t: 3, kind: 'notice', notice: { kind: 'invalidation', start: '0x7f0000001000', end: '0x7f0000002000', reason: 0, hits: ['0x1', '0x2'] } },
    { t: 3, kind: 'op', op: { op: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } }, ok: true, result: { op: 'munmap', start: '0x7f0000001000', end: '0x7f0000002000' } },
    { t: 4.25, kind: 'events', events: [inval('0x1'), inval('0x2'), last('0x1')] },
    { t: 5, kind: 'snapshot', snapshot: { counter: '0x1', flags: 0, registrations: [], queue: [] } },
  ];
}

const text = (lines: unknown[]): string => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';

function problemOf(source: string): { line: number; problem: string; message: string } {
  try {
    parseRecording(source);
  } catch (error) {
    if (error instanceof RecordingError) return { line: error.line, problem: error.problem, message: error.message };
    throw error;
  }
  throw new Error('parseRecording accepted a bad recording');
}

function withLine(n: number, change: (value: Record<string, unknown>) => unknown): string {
  const lines: unknown[] = validLines();
  lines[n - 1] = change(structuredClone(validLines()[n - 1]));
  return text(lines);
}

describe('parseRecording', () => {
  it('reads a valid recording', () => {
    const recording = parseRecording(text(validLines()));
    expect(recording.header.kernelRelease).toBe('6.12.95+deb12-amd64');
    expect(recording.header.arena).toEqual({ base: 0x7f0000000000n, pages: 64 });
    expect(recording.records.map((r) => r.kind)).toEqual(['op', 'op', 'op', 'notice', 'op', 'events', 'snapshot']);
    const events = recording.records[5];
    expect(events.kind === 'events' && events.events[2]).toEqual({
      type: 1,
      flags: 0,
      hintStart: 0n,
      hintEnd: 0n,
      cookieOrCounter: 1n,
    });
  });

  it('accepts a header-only recording, CRLF line ends, a byte order mark and a complete last line without newline', () => {
    expect(parseRecording(JSON.stringify(HEADER)).records).toEqual([]);
    expect(parseRecording(`\uFEFF${text(validLines())}`).records).toHaveLength(7);
    expect(parseRecording(text(validLines()).replaceAll('\n', '\r\n')).records).toHaveLength(7);
    expect(parseRecording(text(validLines()).slice(0, -1)).records).toHaveLength(7);
  });

  it('names the field and line of a wrong field type', () => {
    const bad = withLine(7, (line) => {
      (line.events as Record<string, unknown>[])[2].hintStart = 4096;
      return line;
    });
    expect(problemOf(bad)).toEqual({
      line: 7,
      problem: 'events[2].hintStart: expected a 0x-prefixed hex u64',
      message: 'line 7: events[2].hintStart: expected a 0x-prefixed hex u64',
    });
  });

  it.each([
    ['a missing field', 2, (l: Record<string, unknown>) => ({ ...l, kind: undefined }), 'kind: missing'],
    ['an unknown record kind', 8, (l: Record<string, unknown>) => ({ ...l, kind: 'marker' }), 'kind: expected one of "op", "events", "notice", "snapshot"'],
    ['a negative time', 2, (l: Record<string, unknown>) => ({ ...l, t: -1 }), 't: expected milliseconds since the start (>= 0)'],
    ['an unknown errno', 4, (l: Record<string, unknown>) => ({ ...l, error: { code: 'EPERM', message: 'x' } }), 'error.code: expected an errno name such as "EINVAL"'],
    ['a u64 in a nested op', 6, (l: Record<string, unknown>) => ({ ...l, result: { op: 'munmap', start: '4096', end: '0x2000' } }), 'result.start: expected a 0x-prefixed hex u64'],
    ['a u64 out of range', 2, (l: Record<string, unknown>) => ({ ...l, op: { op: 'unregister', cookie: '0x10000000000000000' } }), 'op.cookie: expected a 0x-prefixed hex u64'],
    ['a lab op field', 6, (l: Record<string, unknown>) => ({ ...l, op: { op: 'lab', lab: { op: 'madvise', page: 1, pages: 1, advice: 'HUGEPAGE' } } }), 'op.lab.advice: expected one of "DONTNEED", "FREE", "PAGEOUT", "COLD", "DONTFORK", "DOFORK", "WILLNEED"'],
    ['a notice hit', 5, (l: Record<string, unknown>) => ({ ...l, notice: { ...(l.notice as object), hits: ['0x1', 2] } }), 'notice.hits[1]: expected a 0x-prefixed hex u64'],
    ['a snapshot field', 8, (l: Record<string, unknown>) => ({ ...l, snapshot: { counter: '0x1', flags: -1, registrations: [], queue: [] } }), 'snapshot.flags: expected an unsigned 32-bit integer'],
    ['a result of the wrong op', 3, (l: Record<string, unknown>) => ({ ...l, result: 5 }), 'result: expected null'],
    ['a missing result', 6, (l: Record<string, unknown>) => ({ ...l, result: undefined }), 'result: missing'],
    ['an event type', 7, (l: Record<string, unknown>) => ({ ...l, events: [{ ...inval('0x1'), type: 2 }] }), 'events[0].type: expected 0 (INVAL) or 1 (LAST)'],
    ['a record that is not an object', 3, () => [1, 2], 'record: expected an object'],
    ['a header field', 1, (l: Record<string, unknown>) => ({ ...l, pageSize: '4096' }), 'pageSize: expected a non-negative integer'],
    ['a header backend', 1, (l: Record<string, unknown>) => ({ ...l, backend: 'mpi' }), 'backend: expected one of "model", "kernel", "replay", "monitor"'],
    ['a header date', 1, (l: Record<string, unknown>) => ({ ...l, createdAt: 'yesterday' }), 'createdAt: expected an ISO 8601 date and time'],
  ])('rejects %s with its line and field', (_what, line, change, problem) => {
    expect(problemOf(withLine(line, change))).toMatchObject({ line, problem, message: `line ${line}: ${problem}` });
  });

  it('rejects time going backwards', () => {
    const bad = withLine(6, (line) => ({ ...line, t: 2.5 }));
    expect(problemOf(bad)).toMatchObject({ line: 6, problem: 't: time goes backwards (2.5 ms after 3 ms)' });
  });

  it('rejects a corrupt line', () => {
    const lines: unknown[] = validLines();
    lines[4] = '{"t": 3, "kind": "notice", "notice": {"kind"';
    const { line, problem } = problemOf(text(lines));
    expect(line).toBe(5);
    expect(problem).toMatch(/^corrupt line: not valid JSON \(.+\)$/);
  });

  it('rejects an empty line in the middle', () => {
    const lines: unknown[] = validLines();
    lines.splice(3, 0, '');
    expect(problemOf(text(lines))).toMatchObject({ line: 4, problem: 'empty line' });
  });

  it('reports a truncated file at its last line', () => {
    const full = text(validLines());
    const cut = full.slice(0, full.length - 20);
    expect(problemOf(cut)).toMatchObject({
      line: 8,
      problem: 'truncated: the last line is incomplete (the recording was cut off while being written)',
    });
    expect(problemOf(JSON.stringify(HEADER).slice(0, 30))).toMatchObject({ line: 1, problem: expect.stringMatching(/^truncated/) });
  });

  it('reports an empty file', () => {
    expect(problemOf('')).toEqual({
      line: 1,
      problem: 'empty file: not a ummutrace recording',
      message: 'line 1: empty file: not a ummutrace recording',
    });
  });

  it.each([
    ['a binary file', '\u0089PNG\r\n\u001a\n'],
    ['another JSON file', '{"name": "ummunotify", "version": "0.1.0"}\n'],
    ['a JSON array', '[1, 2, 3]\n'],
    ['plain text', 'hello\nworld\n'],
  ])('rejects %s as foreign', (_what, source) => {
    expect(problemOf(source)).toMatchObject({
      line: 1,
      problem: 'not a ummutrace recording (the first line is not a ummutrace header)',
    });
  });

  it('refuses a recording from a newer format version, naming the version', () => {
    const newer = withLine(1, (line) => ({ ...line, version: 3, somethingNew: true }));
    expect(problemOf(newer)).toEqual({
      line: 1,
      problem: 'written by a newer ummunotify (format version 3); this build reads version 2',
      message: 'line 1: written by a newer ummunotify (format version 3); this build reads version 2',
    });
    expect(problemOf(withLine(1, (line) => ({ ...line, version: 0 })))).toMatchObject({ line: 1, problem: 'version: expected 1 or 2' });
    expect(problemOf(withLine(1, (line) => ({ ...line, version: '1' })))).toMatchObject({
      line: 1,
      problem: 'version: expected a non-negative integer',
    });
  });

  it('ignores fields it does not know, so that version 1 can grow optional fields', () => {
    const extended = withLine(8, (line) => ({ ...line, view: { zoom: 2 } }));
    expect(parseRecording(extended).records).toHaveLength(7);
  });
});

describe('readRecordingFile', () => {
  it('reads a file in chunks with the same result and the same errors as parseRecording', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ummutrace-'));
    try {
      const good = join(dir, 'good.ummutrace');
      // Long enough to span several read chunks, with multi-byte characters.
      const lines: unknown[] = [{ ...HEADER, description: 'é'.repeat(70000) }, ...validLines().slice(1)];
      await writeFile(good, text(lines));
      expect(await readRecordingFile(good)).toEqual(parseRecording(text(lines)));

      const bad = join(dir, 'bad.ummutrace');
      await writeFile(bad, withLine(7, (line) => ({ ...line, events: [{ ...inval('0x1'), hintEnd: null }] })));
      await expect(readRecordingFile(bad)).rejects.toMatchObject({
        line: 7,
        problem: 'events[0].hintEnd: expected a 0x-prefixed hex u64',
      });

      const truncated = join(dir, 'truncated.ummutrace');
      await writeFile(truncated, text(validLines()).slice(0, -10));
      await expect(readRecordingFile(truncated)).rejects.toMatchObject({ line: 8, problem: expect.stringMatching(/^truncated/) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
