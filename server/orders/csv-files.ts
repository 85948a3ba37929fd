// Uploaded CSV files kept between the preview and the import, under
// <DATA_DIR>/imports/<token>.csv. The token is random and is the only name the
// browser ever sends back: a path from the client is never used.
import fs from 'node:fs/promises';
import path from 'node:path';
import { newToken } from '../security/tokens';
import { purgeOldFiles } from '../web/old-files';

/** newToken()'s shape: 32 random bytes in base64url. */
const TOKEN = /^[\w-]{43}$/;
const FILE = /^[\w-]{43}\.csv$/;
export const IMPORT_TTL_MS = 24 * 3_600_000;

export function importsDir(dataDir: string): string {
  return path.join(dataDir, 'imports');
}

export function isImportToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

function fileOf(dir: string, token: string): string {
  if (!isImportToken(token)) throw new Error('bad import token');
  return path.join(dir, `${token}.csv`);
}

export async function saveImport(dir: string, data: Buffer): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const token = newToken();
  await fs.writeFile(fileOf(dir, token), data, { flag: 'wx', mode: 0o600 });
  return token;
}

/** The saved file, or null when it has expired or was already imported. */
export async function readImport(dir: string, token: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(fileOf(dir, token));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Deletes the saved file; false when it was already gone (another request took it). */
export async function claimImport(dir: string, token: string): Promise<boolean> {
  try {
    await fs.unlink(fileOf(dir, token));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Deletes saved files older than 24 hours (previews never imported); returns how many. */
export function purgeStaleImports(dir: string, now: number): Promise<number> {
  return purgeOldFiles(dir, FILE, IMPORT_TTL_MS, now).then((names) => names.length);
}
