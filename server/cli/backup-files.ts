// What `npm run backup` writes and `npm run restore` reads: the backup folder's file
// names, its manifest, and the checks both tools make on a database copy.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';

export const MANIFEST = 'manifest.json';
export const DATABASE = 'refunddesk.sqlite';
export const SECRET_FILE = 'secret';
export const UPLOADS = 'uploads';

export interface ManifestFile {
  /** relative to the backup folder, with forward slashes */
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: 'refunddesk-backup/1';
  createdAt: string;
  /** rows per table of the database copy */
  tables: Record<string, number>;
  /** every file of the backup but the manifest: database, secret, uploads */
  files: ManifestFile[];
  /** screenshots the database names that were gone when they were copied */
  missing: string[];
  /** false when the desk takes SECRET from the environment: keep it with the backup yourself */
  secretIncluded: boolean;
}

/** 2025-03-09T14:05:01Z → 20250309-140501 (UTC). */
export function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, '').replace(/-|:/g, '').replace('T', '-');
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function countRows(db: Database.Database): Record<string, number> {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(names.map((n) => [n, db.prepare(`SELECT count(*) FROM "${n.replace(/"/g, '""')}"`).pluck().get() as number]));
}

/** Opens a database copy, runs `read` on it and closes it again. */
export function readCopy<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { fileMustExist: true });
  try {
    return read(db);
  } finally {
    // Closing the only connection folds its WAL back in, so the copy is one file again.
    db.close();
  }
}

/**
 * Runs SQLite's integrity check on a database copy and returns its rows per table;
 * throws `<what> fails its integrity check: …` when the check fails.
 */
export function checkCopy(db: Database.Database, what = 'the database copy'): Record<string, number> {
  const check = db.pragma('integrity_check', { simple: true });
  if (check !== 'ok') throw new Error(`${what} fails its integrity check: ${String(check)}`);
  return countRows(db);
}
