// Decodes the raw struct ummunotify_event records that watch() batches
// arrive in (32 bytes each: u32 type, u32 flags, u64 hint_start, u64
// hint_end, u64 user_cookie_counter, in the machine's byte order).

import type { UmmuEvent } from '../../src/shared/domain';

const EVENT_SIZE = 32;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeEvents(buffer: ArrayBuffer): UmmuEvent[] {
  const view = new DataView(buffer);
  const count = Math.floor(buffer.byteLength / EVENT_SIZE);
  const events = new Array<UmmuEvent>(count);
  for (let i = 0, at = 0; i < count; i++, at += EVENT_SIZE) {
    events[i] = {
      type: view.getUint32(at, LITTLE_ENDIAN) as UmmuEvent['type'],
      flags: view.getUint32(at + 4, LITTLE_ENDIAN),
      hintStart: view.getBigUint64(at + 8, LITTLE_ENDIAN),
      hintEnd: view.getBigUint64(at + 16, LITTLE_ENDIAN),
      cookieOrCounter: view.getBigUint64(at + 24, LITTLE_ENDIAN),
    };
  }
  return events;
}
