// The recordings in docs/samples are what a user without the module opens
// first: each must read as a monitor recording of its rank, with the
// registrations and invalidations a real job makes.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readRecordingFile } from '../../../src/main/core/recording/reader';

const sample = join(__dirname, '../../../docs/samples/mpi-4-ranks');

describe('the 4-rank MPI sample', () => {
  const files = readdirSync(sample).filter((name) => name.endsWith('.ummutrace'));

  test('holds one recording per rank, 0 to 3', () => {
    expect(files).toHaveLength(4);
  });

  test.each(files)('%s reads as a monitor recording of a rank that registered, was invalidated and closed', async (name) => {
    const { header, records } = await readRecordingFile(join(sample, name));
    expect(header.backend).toBe('monitor');
    expect(name).toContain(`rank${header.process?.rank}`);
    const ops = records.filter((r) => r.kind === 'op').map((r) => (r.kind === 'op' ? r.op.op : ''));
    expect(ops.filter((op) => op === 'register').length).toBeGreaterThan(5);
    expect(records.some((r) => r.kind === 'notice' && r.notice.kind === 'invalidation' && r.notice.hits.length > 0)).toBe(true);
    expect(records.at(-1)).toMatchObject({ kind: 'notice', notice: { kind: 'closed' } });
  });
});
