import { describe, expect, it } from 'vitest';
import { Recorder, parseRecording, type RecordingHeaderFields } from '../../../src/main/core/recording';

const FIELDS: RecordingHeaderFields = {
  backend: 'kernel',
  description: 'recorder test',
  kernelRelease: '6.1.0-56-amd64',
  features: 9,
  pageSize: 4096,
  arena: { base: 0x7f0000000000n, pages: 64 },
};

function clockOf(readings: number[]): () => number {
  let i = 0;
  return () => readings[Math.min(i++, readings.length - 1)];
}

describe('Recorder', () => {
  it('writes the header as the first line, u64 as hex', () => {
    const lines: string[] = [];
    new Recorder(FIELDS, (line) => lines.push(line), { createdAt: new Date('2026-11-25T12:00:00Z') });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({
      format: 'ummutrace',
      version: 1,
      backend: 'kernel',
      description: 'recorder test',
      kernelRelease: '6.1.0-56-amd64',
      features: 9,
      pageSize: 4096,
      arena: { base: '0x7f0000000000', pages: 64 },
      createdAt: '2026-11-25T12:00:00.000Z',
    });
  });

  it('stamps records with milliseconds since the start, never going backwards', () => {
    const lines: string[] = [];
    // Start at 500; then a step back (a clock adjusted under us) must not make the file invalid.
    const recorder = new Recorder(FIELDS, (line) => lines.push(line), { clock: clockOf([500, 512.3456789, 505, 530]) });
    recorder.notice({ kind: 'dead' });
    recorder.events([]);
    recorder.snapshot({ counter: 0n, flags: 0, registrations: [], queue: [] });
    expect(parseRecording(lines.join('\n')).records.map((r) => r.t)).toEqual([12.346, 12.346, 30]);
  });

  it('drops records offered after stop', () => {
    const lines: string[] = [];
    const recorder = new Recorder(FIELDS, (line) => lines.push(line), { clock: () => 0 });
    recorder.notice({ kind: 'dead' });
    recorder.stop();
    recorder.notice({ kind: 'dead' });
    expect(parseRecording(lines.join('\n')).records).toHaveLength(1);
  });
});
