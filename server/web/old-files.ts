// Folders of short-lived files (import previews, export downloads): delete the ones
// whose names match and that are older than their time to live.
import fs from 'node:fs/promises';
import path from 'node:path';

/** Removes matching files last modified before `now - ttlMs`; a missing folder is empty. Returns how many. */
export async function purgeOldFiles(dir: string, pattern: RegExp, ttlMs: number, now: number): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names.filter((n) => pattern.test(n))) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat && stat.mtimeMs < now - ttlMs) {
      await fs.rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
