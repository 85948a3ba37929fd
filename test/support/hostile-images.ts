// Files that pretend to be images, built in memory in a few milliseconds.
import sharp from 'sharp';
import { png } from './images';

const SCRIPT = '<html><body><script>alert(1)</script></body></html>';

/** A real, valid JPEG with an HTML page appended after its end marker (a polyglot browsers may sniff). */
export async function jpegWithHtmlAppended(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#44aa66' } }).jpeg().toBuffer();
  return Buffer.concat([jpeg, Buffer.from(SCRIPT)]);
}

/** An HTML page behind the four bytes that start a JPEG (JFIF): the magic number and nothing else. */
export const htmlWithJpegMagic = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(SCRIPT)]);

/**
 * A decompression bomb, cheaply: a tiny real PNG whose header (IHDR) is rewritten to
 * claim width × height pixels, with the header's CRC fixed so decoders accept it.
 * Its pixel data is still the tiny image's, so decoding it would fail: a refusal that
 * names the pixel limit proves the size was judged from the header alone.
 */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const file = Buffer.from(await png(8, 8));
  // Signature (8 bytes), then the IHDR chunk: length (4), type (4), width (4), height (4) …, CRC after 13 data bytes.
  if (file.toString('latin1', 12, 16) !== 'IHDR') throw new Error('unexpected PNG layout');
  file.writeUInt32BE(width, 16);
  file.writeUInt32BE(height, 20);
  file.writeUInt32BE(crc32(file.subarray(12, 29)), 29);
  return file;
}

/** The first half of a real image: its header is intact, its data cut short. */
export async function truncated(format: 'png' | 'jpeg'): Promise<Buffer> {
  const noise = sharp({ create: { width: 200, height: 150, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
  const full = await (format === 'png' ? noise.png() : noise.jpeg()).toBuffer();
  return full.subarray(0, Math.floor(full.length / 2));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
