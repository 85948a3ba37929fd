// npm run backup
// An online, consistent copy of the desk, taken while it runs: the database through
// SQLite's backup API (one snapshot, whatever the desk writes meanwhile), the
// screenshots that snapshot refers to, and the data folder's secret, into
// <BACKUP_DIR>/refunddesk-YYYYMMDD-HHMMSS/ with a manifest of row counts and SHA-256
// hashes that `npm run restore` checks.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config';
import { secretFile } from '../runtime';
import { STORED_NAME } from '../uploads/store';
import { checkCopy, DATABASE, MANIFEST, readCopy, SECRET_FILE, sha256File, stamp, UPLOADS, type Manifest, type ManifestFile } from './backup-files';
import { cliConfig, runCli, UsageError } from './context';

async function createBackup(config: Readonly<Config>, now: number): Promise<{ dir: string; manifest: Manifest }> {
  if (!fs.existsSync(config.databaseFile)) throw new UsageError(`No database at ${config.databaseFile}: nothing to back up.`);
  await fsp.mkdir(config.backupDir, { recursive: true });
  const name = freeName(config.backupDir, `refunddesk-${stamp(now)}`);
  // Built under a temporary name and renamed when complete: a folder without the suffix is whole.
  const work = path.join(config.backupDir, `${name}.partial`);
  await fsp.mkdir(work);
  try {
    const dbCopy = path.join(work, DATABASE);
    await snapshotDatabase(config.databaseFile, dbCopy);
    const { tables, attachments } = readCopy(dbCopy, (db) => ({ tables: checkCopy(db), attachments: readAttachments(db) }));
    const { copied, missing } = await copyUploads(config.uploadDir, attachments, work);
    // With SECRET in the environment the data folder's file (if any) is not what the desk uses.
    const secret = secretFile(config);
    const secretIncluded = !config.secret && fs.existsSync(secret);
    if (secretIncluded) await fsp.copyFile(secret, path.join(work, SECRET_FILE));

    const files: ManifestFile[] = [];
    for (const rel of [DATABASE, ...(secretIncluded ? [SECRET_FILE] : []), ...copied.sort()]) {
      const abs = path.join(work, rel);
      files.push({ path: rel, bytes: (await fsp.stat(abs)).size, sha256: await sha256File(abs) });
    }
    const manifest: Manifest = { format: 'refunddesk-backup/1', createdAt: new Date(now).toISOString(), tables, files, missing, secretIncluded };
    await fsp.writeFile(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    const dir = path.join(config.backupDir, name);
    await fsp.rename(work, dir);
    return { dir, manifest };
  } catch (err) {
    await fsp.rm(work, { recursive: true, force: true });
    throw err;
  }
}

/** Copies each named image (and its thumbnail, when made) into `<work>/uploads`; returns backup-relative paths. */
async function copyUploads(uploadDir: string, attachments: { storage_name: string; thumb_name: string }[], work: string) {
  await fsp.mkdir(path.join(work, UPLOADS));
  const copied: string[] = [];
  const missing: string[] = [];
  for (const a of attachments) {
    for (const [file, required] of [[a.storage_name, true], [a.thumb_name, false]] as const) {
      if (!STORED_NAME.test(file)) throw new Error(`unexpected storage name in attachments: ${file}`);
      try {
        await fsp.copyFile(path.join(uploadDir, file), path.join(work, UPLOADS, file), fs.constants.COPYFILE_EXCL);
        copied.push(`${UPLOADS}/${file}`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // A thumbnail is made on first view; an image can go between the snapshot and the copy (a staged one removed).
        if (required) missing.push(`${UPLOADS}/${file}`);
      }
    }
  }
  return { copied, missing };
}

/**
 * SQLite's online backup, all pages in one step: the step reads one snapshot, so the
 * copy is consistent, and in WAL mode the desk keeps writing meanwhile. (Copying in
 * small steps would start over each time the desk commits between two of them.)
 */
async function snapshotDatabase(source: string, target: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  await fsp.chmod(target, 0o600);
}

function readAttachments(db: Database.Database): { storage_name: string; thumb_name: string }[] {
  return db.prepare('SELECT storage_name, thumb_name FROM attachments ORDER BY id').all() as { storage_name: string; thumb_name: string }[];
}

function freeName(dir: string, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(dir, `${name}.partial`))) return name;
  }
}

await runCli(async () => {
  if (process.argv.length > 2) throw new UsageError('Usage: npm run backup   (settings from the environment or .env: DATA_DIR, UPLOAD_DIR, BACKUP_DIR)');
  const { dir, manifest } = await createBackup(cliConfig(), Date.now());
  const uploads = manifest.files.filter((f) => f.path.startsWith(`${UPLOADS}/`)).length;
  console.log(`Backed up ${manifest.tables.tickets ?? 0} tickets and ${uploads} upload files.`);
  if (manifest.missing.length > 0) console.warn(`Warning: ${manifest.missing.length} screenshots were already gone: ${manifest.missing.join(', ')}`);
  if (!manifest.secretIncluded) console.warn('Warning: SECRET comes from the environment, not the data folder; keep it with this backup yourself.');
  console.log(dir);
  return 0;
});
