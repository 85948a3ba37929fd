// Files on disk under random names. Writers remove what they wrote when the
// database write that should own the files fails, so nothing is left orphaned.
import fs from 'node:fs/promises';
import path from 'node:path';
import { newToken } from '../security/tokens';
import { EXTENSION, makeThumbnail, type EncodedImage } from './images';

/** What FileStore writes: `<id>.<ext>` and `<id>-thumb.webp`. Names anything else gives (a row, a manifest) are refused. */
export const STORED_NAME = /^[\w-]+\.(png|jpg|webp|gif)$/;

export interface StoredImage {
  storageName: string;
  thumbName: string;
  originalName: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
}

export class FileStore {
  constructor(readonly dir: string) {}

  async ensureDir(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  pathOf(name: string): string {
    if (!STORED_NAME.test(name)) throw new Error('bad storage name');
    return path.join(this.dir, name);
  }

  async write(images: { image: EncodedImage; originalName: string }[]): Promise<StoredImage[]> {
    const stored: StoredImage[] = [];
    try {
      for (const { image, originalName } of images) {
        const id = newToken(18);
        const storageName = `${id}.${EXTENSION[image.mime]}`;
        const thumbName = `${id}-thumb.webp`;
        stored.push({
          storageName,
          thumbName,
          originalName: cleanName(originalName, EXTENSION[image.mime]!),
          mime: image.mime,
          bytes: image.data.length,
          width: image.width,
          height: image.height,
        });
        await fs.writeFile(this.pathOf(storageName), image.data, { flag: 'wx' });
      }
    } catch (err) {
      await this.remove(stored);
      throw err;
    }
    return stored;
  }

  /**
   * The thumbnail's path, made from the stored image on first view (kept off the
   * upload's request path). Only called for files that have a database row.
   */
  async thumbnail(file: { storageName: string; thumbName: string }): Promise<string> {
    const target = this.pathOf(file.thumbName);
    try {
      await fs.access(target);
      return target;
    } catch {
      const thumb = await makeThumbnail(await fs.readFile(this.pathOf(file.storageName)));
      // Two first views at once both make it; the first write wins.
      await fs.writeFile(target, thumb, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      return target;
    }
  }

  async remove(files: { storageName: string; thumbName: string }[]): Promise<void> {
    await Promise.all(
      files.flatMap((f) => [f.storageName, f.thumbName]).map((n) => fs.rm(this.pathOf(n), { force: true })),
    );
  }
}

/** A display name only: no path, no control characters, bounded, with the real extension. */
function cleanName(name: string, ext: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\.[^.]*$/, '')
    .slice(0, 80)
    .trim();
  return `${base || 'screenshot'}.${ext}`;
}
