// Screenshots are judged by their content: sharp must decode them as PNG, JPEG,
// WebP or GIF within the pixel limit. They are re-encoded (auto-oriented, metadata
// dropped) with fast settings, so a phone screenshot costs a few tens of
// milliseconds; the small WebP thumbnail is made later, on first view.
import sharp from 'sharp';

export const MAX_FILE_BYTES = 8 * 1024 * 1024;
export const MAX_PIXELS = 40_000_000;

const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' } as const;
type Format = keyof typeof MIME;

export interface EncodedImage {
  format: Format;
  mime: string;
  data: Buffer;
  width: number;
  height: number;
}

export class ImageRejected extends Error {
  constructor(readonly key: 'type' | 'pixels') {
    super(key);
  }
}

export async function encodeImage(input: Buffer): Promise<EncodedImage> {
  let format: string | undefined;
  let width = 0;
  let height = 0;
  try {
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    format = meta.format;
    width = meta.width ?? 0;
    height = meta.pageHeight ?? meta.height ?? 0;
  } catch {
    throw new ImageRejected('type');
  }
  if (!format || !(format in MIME)) throw new ImageRejected('type');
  if (width * height > MAX_PIXELS) throw new ImageRejected('pixels');
  const fmt = format as Format;
  try {
    const animated = fmt === 'gif' || fmt === 'webp';
    const base = () => sharp(input, { limitInputPixels: MAX_PIXELS, animated }).rotate();
    const encoded = await reencode(base(), fmt).toBuffer({ resolveWithObject: true });
    return {
      format: fmt,
      mime: MIME[fmt],
      data: encoded.data,
      width: encoded.info.width,
      height: encoded.info.pageHeight ?? encoded.info.height,
    };
  } catch {
    throw new ImageRejected('type');
  }
}

/** A WebP thumbnail of an image the desk already re-encoded. */
export function makeThumbnail(image: Buffer): Promise<Buffer> {
  return sharp(image, { limitInputPixels: MAX_PIXELS })
    .resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 70 })
    .toBuffer();
}

function reencode(img: sharp.Sharp, fmt: Format): sharp.Sharp {
  switch (fmt) {
    case 'png':
      // Fast zlib settings: screenshots are re-encoded to drop metadata, not to shrink them.
      return img.png({ compressionLevel: 2, adaptiveFiltering: false });
    case 'jpeg':
      return img.jpeg({ quality: 90 });
    case 'webp':
      return img.webp({ quality: 90 });
    case 'gif':
      return img.gif();
  }
}

export const EXTENSION: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};
