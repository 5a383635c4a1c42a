// Decodes the raw struct ummunotify_event records that watch() batches
// arrive in (32 bytes each: u32 type, u32 flags, u64 hint_start, u64
// hint_end, u64 user_cookie_counter, in the machine's byte order).

import type { UmmuEvent } from '../../src/shared/domain';
import { decodeFixedRecords, LITTLE_ENDIAN } from './fixed-records';

const EVENT_SIZE = 32;

export const decodeEvents = (buffer: ArrayBuffer): UmmuEvent[] =>
  decodeFixedRecords(buffer, EVENT_SIZE, (view, at) => ({
    type: view.getUint32(at, LITTLE_ENDIAN) as UmmuEvent['type'],
    flags: view.getUint32(at + 4, LITTLE_ENDIAN),
    hintStart: view.getBigUint64(at + 8, LITTLE_ENDIAN),
    hintEnd: view.getBigUint64(at + 16, LITTLE_ENDIAN),
    cookieOrCounter: view.getBigUint64(at + 24, LITTLE_ENDIAN),
  }));
