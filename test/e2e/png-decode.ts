// A PNG decoder for the tests, independent of the exporter: chunk layout and
// CRCs, IHDR, and the inflated image data, whose size must match the header.

import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export interface DecodedPng {
  width: number;
  height: number;
  /** Chunk types in file order. */
  chunks: string[];
  /** iTXt and tEXt entries by keyword. */
  text: Map<string, string>;
  /** The unfiltered scanlines, each with its filter byte. */
  pixels: Buffer;
}

export function decodePng(file: Buffer): DecodedPng {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG signature');
  const chunks: string[] = [];
  const text = new Map<string, string>();
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  let channels = 0;
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + length);
    if (crc32(file.subarray(at + 4, at + 8 + length)) !== file.readUInt32BE(at + 8 + length)) throw new Error(`bad CRC in ${type}`);
    chunks.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8) throw new Error(`bit depth ${data[8]}`);
      channels = CHANNELS[data[9] ?? -1] ?? 0;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'iTXt' || type === 'tEXt') {
      const nul = data.indexOf(0);
      const keyword = data.toString('latin1', 0, nul);
      // iTXt: keyword, compression flag and method, language tag, translated keyword, then UTF-8 text.
      if (type === 'tEXt') text.set(keyword, data.toString('latin1', nul + 1));
      else {
        const compressed = data[nul + 1] === 1;
        const afterLanguage = data.indexOf(0, nul + 3) + 1;
        const afterTranslated = data.indexOf(0, afterLanguage) + 1;
        const body = data.subarray(afterTranslated);
        text.set(keyword, (compressed ? inflateSync(body) : body).toString('utf8'));
      }
    }
    at += 12 + length;
  }
  if (chunks[0] !== 'IHDR' || chunks.at(-1) !== 'IEND') throw new Error(`chunk order ${chunks.join(',')}`);
  const pixels = inflateSync(Buffer.concat(idat));
  if (pixels.length !== height * (1 + width * channels)) throw new Error(`image data is ${pixels.length} bytes for ${width}x${height}x${channels}`);
  return { width, height, chunks, text, pixels };
}
