// The addon hands kernel structs over as raw bytes, back to back, in the
// machine's byte order; each decoder reads one struct at a byte offset.

export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Every whole `size`-byte struct in `buffer`, decoded in order. */
export function decodeFixedRecords<T>(buffer: ArrayBuffer, size: number, decodeOne: (view: DataView, at: number) => T): T[] {
  const view = new DataView(buffer);
  const count = Math.floor(buffer.byteLength / size);
  const records = new Array<T>(count);
  for (let i = 0, at = 0; i < count; i++, at += size) records[i] = decodeOne(view, at);
  return records;
}
