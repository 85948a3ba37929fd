// Folders of short-lived files (import previews, export downloads): delete the ones
// whose names match and that are older than their time to live.
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Removes the files whose names match (a pattern, or a test) and that were last
 * modified `ttlMs` or more before `now`; a missing folder is empty. Returns their names.
 */
export async function purgeOldFiles(dir: string, matches: RegExp | ((name: string) => boolean), ttlMs: number, now: number): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const test = typeof matches === 'function' ? matches : (name: string) => matches.test(name);
  const removed: string[] = [];
  for (const { name } of entries.filter((e) => e.isFile() && test(e.name))) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat && now - stat.mtimeMs >= ttlMs) {
      await fs.rm(file, { force: true });
      removed.push(name);
    }
  }
  return removed;
}
