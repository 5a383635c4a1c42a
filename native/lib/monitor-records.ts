// Monitor records (kernel/include/uapi/linux/ummunotify.h, "Monitors"):
// the raw 64-byte struct ummunotify_monitor_record batches that
// Monitor.read() and watch() receive, decoded (u64 seq, u64 time_ns, u32
// type, u32 flags, u64 start, u64 end, u64 cookie, u64 counter, u64 aux, in
// the machine's byte order).

import { decodeFixedRecords, LITTLE_ENDIAN } from './fixed-records';
import type { MonitorRecord, MonitorRecordType } from './types';

export const MONITOR_RECORD = {
  FEATURES: 0,
  REGISTER: 1,
  UNREGISTER: 2,
  INVALIDATE: 3,
  HIT: 4,
  READ: 5,
  CLOSE: 6,
} as const;

/** UNREGISTER: a queued report was dropped. */
export const MONITOR_UNREGISTER_QUEUED = 1 << 0;
/** HIT: a report was already queued. */
export const MONITOR_HIT_QUEUED = 2 ** 31;
/** READ: ended with LAST (counter: its value). */
export const MONITOR_READ_LAST = 1 << 0;
/** READ: the owner's copy failed and the reports went back to the queue. */
export const MONITOR_READ_FAULT = 1 << 1;
/** CLOSE: the owner's memory map went away (exit, exec). */
export const MONITOR_CLOSE_MM_GONE = 1 << 0;

const RECORD_SIZE = 64;

export const decodeMonitorRecords = (buffer: ArrayBuffer): MonitorRecord[] =>
  decodeFixedRecords(buffer, RECORD_SIZE, (view, at) => ({
    seq: view.getBigUint64(at, LITTLE_ENDIAN),
    timeNs: view.getBigUint64(at + 8, LITTLE_ENDIAN),
    type: view.getUint32(at + 16, LITTLE_ENDIAN) as MonitorRecordType,
    flags: view.getUint32(at + 20, LITTLE_ENDIAN),
    start: view.getBigUint64(at + 24, LITTLE_ENDIAN),
    end: view.getBigUint64(at + 32, LITTLE_ENDIAN),
    cookie: view.getBigUint64(at + 40, LITTLE_ENDIAN),
    counter: view.getBigUint64(at + 48, LITTLE_ENDIAN),
    aux: view.getBigUint64(at + 56, LITTLE_ENDIAN),
  }));
