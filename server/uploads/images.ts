// Screenshots are judged by their content: sharp must decode them as PNG, JPEG,
// WebP or GIF within the pixel limit. The size a file declares is checked from its
// header before any pixel is decoded, so a small file claiming 20,000 × 20,000
// pixels (a decompression bomb) costs nothing. Then it is re-encoded (auto-oriented,
// metadata dropped, and anything after the image data, such as HTML appended to a
// JPEG, left behind) with fast settings, so a phone screenshot costs a few tens of
// milliseconds; the small WebP thumbnail is made later, on first view.
import type SharpModule from 'sharp';

type Sharp = typeof SharpModule;
let loaded: Promise<Sharp> | null = null;

/**
 * sharp (libvips) is loaded with the first image, not at start: a desk that has not
 * seen a screenshot yet starts faster and idles in less memory. Its operation
 * cache is off, since every screenshot is different.
 */
function sharpLib(): Promise<Sharp> {
  return (loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  }));
}

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

/** empty: no bytes; type: not one of our formats; pixels: too many; damaged: our format, but it does not decode (e.g. truncated). */
export type RejectReason = 'empty' | 'type' | 'pixels' | 'damaged';

export class ImageRejected extends Error {
  constructor(readonly key: RejectReason) {
    super(key);
  }
}

export async function encodeImage(input: Buffer): Promise<EncodedImage> {
  if (input.length === 0) throw new ImageRejected('empty');
  const sharp = await sharpLib();
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
    throw new ImageRejected('damaged');
  }
}

/** A WebP thumbnail of an image the desk already re-encoded. */
export async function makeThumbnail(image: Buffer): Promise<Buffer> {
  const sharp = await sharpLib();
  return sharp(image, { limitInputPixels: MAX_PIXELS })
    .resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 70 })
    .toBuffer();
}

function reencode(img: SharpModule.Sharp, fmt: Format): SharpModule.Sharp {
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
