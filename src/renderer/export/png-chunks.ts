// A small PNG chunk reader and writer: enough to embed an iTXt text chunk
// (UTF-8, uncompressed) in a PNG the browser encoded, and to read it back.

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngChunk {
  type: string;
  data: Uint8Array;
}

export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Splits a PNG into its chunks; throws on a bad signature, length or CRC. */
export function readChunks(png: Uint8Array): PngChunk[] {
  if (!isPng(png)) throw new RangeError('not a PNG file (bad signature)');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  let offset = SIGNATURE.length;
  while (offset < png.length) {
    if (offset + 12 > png.length) throw new RangeError('truncated PNG chunk');
    const length = view.getUint32(offset);
    if (offset + 12 + length > png.length) throw new RangeError('truncated PNG chunk');
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    if (crc32(typeAndData) !== view.getUint32(offset + 8 + length)) throw new RangeError('PNG chunk CRC mismatch');
    const type = String.fromCharCode(...typeAndData.subarray(0, 4));
    chunks.push({ type, data: png.slice(offset + 8, offset + 8 + length) });
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  return chunks;
}

export function writeChunks(chunks: readonly PngChunk[]): Uint8Array {
  const size = SIGNATURE.length + chunks.reduce((n, c) => n + 12 + c.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let offset = SIGNATURE.length;
  for (const chunk of chunks) {
    if (!/^[A-Za-z]{4}$/.test(chunk.type)) throw new RangeError(`bad PNG chunk type ${chunk.type}`);
    view.setUint32(offset, chunk.data.length);
    for (let i = 0; i < 4; i++) out[offset + 4 + i] = chunk.type.charCodeAt(i);
    out.set(chunk.data, offset + 8);
    view.setUint32(offset + 8 + chunk.data.length, crc32(out.subarray(offset + 4, offset + 8 + chunk.data.length)));
    offset += 12 + chunk.data.length;
  }
  return out;
}

/** iTXt data: keyword, NUL, compression flag 0, method 0, empty language and translated keyword, UTF-8 text. */
function itxtData(keyword: string, text: string): Uint8Array {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new RangeError('PNG text keyword must be 1-79 printable Latin-1 characters');
  const head = new TextEncoder().encode(keyword);
  const body = new TextEncoder().encode(text);
  const data = new Uint8Array(head.length + 5 + body.length);
  data.set(head, 0);
  data.set(body, head.length + 5);
  return data;
}

/** The PNG with an iTXt chunk `keyword` = `text` (replacing one of that keyword), before IEND. */
export function embedText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  const chunks = readChunks(png).filter((c) => !(c.type === 'iTXt' && parseItxt(c.data)?.keyword === keyword));
  const end = chunks.findIndex((c) => c.type === 'IEND');
  if (end < 0) throw new RangeError('PNG has no IEND chunk');
  chunks.splice(end, 0, { type: 'iTXt', data: itxtData(keyword, text) });
  return writeChunks(chunks);
}

function parseItxt(data: Uint8Array): { keyword: string; text: string } | null {
  const nul = data.indexOf(0);
  if (nul < 1 || data[nul + 1] !== 0) return null;
  const languageEnd = data.indexOf(0, nul + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return null;
  const decoder = new TextDecoder();
  return { keyword: decoder.decode(data.subarray(0, nul)), text: decoder.decode(data.subarray(translatedEnd + 1)) };
}

/** The text of the iTXt chunk `keyword`, or null. */
export function extractText(png: Uint8Array, keyword: string): string | null {
  for (const chunk of readChunks(png)) {
    if (chunk.type !== 'iTXt') continue;
    const parsed = parseItxt(chunk.data);
    if (parsed?.keyword === keyword) return parsed.text;
  }
  return null;
}
