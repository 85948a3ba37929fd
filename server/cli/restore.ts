// npm run restore -- <backup folder>
// Puts a backup made by `npm run backup` back: checks every file against the
// manifest first, refuses while a desk has the database open, moves the current
// database, upload folder and secret aside (*.before-restore-<time>), copies the
// backup in and checks the row counts. Stop the desk first; start it after.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config';
import { secretFile } from '../runtime';
import { STORED_NAME } from '../uploads/store';
import { checkCopy, DATABASE, MANIFEST, readCopy, SECRET_FILE, sha256File, stamp, UPLOADS, type Manifest } from './backup-files';
import { cliConfig, parseArgs, runCli, UsageError } from './context';

const USAGE = 'Usage: npm run restore -- <backup folder>   (restores into DATA_DIR and UPLOAD_DIR from the environment or .env)';

/** Why nothing was restored: a backup that does not check out, or a desk still running. */
class RestoreRefused extends Error {}

interface RestoreReport {
  restored: { tables: Record<string, number>; uploads: number; secret: boolean };
  /** where the replaced database, upload folder and secret went */
  setAside: string[];
}

async function restoreBackup(config: Readonly<Config>, folder: string, now: number): Promise<RestoreReport> {
  const manifest = await verifyBackup(folder);
  assertNotOpen(config.databaseFile);
  const setAside = await setAsideCurrent(config, `.before-restore-${stamp(now)}`, manifest.secretIncluded);

  await fsp.mkdir(config.dataDir, { recursive: true });
  const incoming = `${config.databaseFile}.restoring`;
  await fsp.copyFile(path.join(folder, DATABASE), incoming);
  await fsp.chmod(incoming, 0o600);
  await fsp.rename(incoming, config.databaseFile);
  await fsp.mkdir(config.uploadDir, { recursive: true });
  const uploads = manifest.files.filter((f) => f.path.startsWith(`${UPLOADS}/`));
  for (const f of uploads) await fsp.copyFile(path.join(folder, f.path), path.join(config.uploadDir, path.basename(f.path)));
  if (manifest.secretIncluded) {
    await fsp.copyFile(path.join(folder, SECRET_FILE), secretFile(config));
    await fsp.chmod(secretFile(config), 0o600);
  }

  const tables = checkRestored(config.databaseFile, manifest);
  return { restored: { tables, uploads: uploads.length, secret: manifest.secretIncluded }, setAside };
}

/** Renames the current database (with its WAL), upload folder and secret to `<name><suffix>`; returns the new names. */
async function setAsideCurrent(config: Readonly<Config>, suffix: string, secretToo: boolean): Promise<string[]> {
  const setAside: string[] = [];
  const moveAside = async (from: string, to = `${from}${suffix}`) => {
    if (!fs.existsSync(from)) return;
    await fsp.rename(from, to);
    setAside.push(to);
  };
  // The WAL and its index go with their database, named so that the pair still opens together.
  await moveAside(config.databaseFile);
  await moveAside(`${config.databaseFile}-wal`, `${config.databaseFile}${suffix}-wal`);
  await moveAside(`${config.databaseFile}-shm`, `${config.databaseFile}${suffix}-shm`);
  try {
    await moveAside(config.uploadDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EBUSY' && code !== 'EXDEV') throw err;
    // A mount point (a container volume) cannot be renamed: its files move into a subfolder, which the desk ignores.
    const inside = path.join(config.uploadDir, suffix);
    await fsp.mkdir(inside);
    for (const entry of await fsp.readdir(config.uploadDir, { withFileTypes: true })) {
      if (entry.isFile()) await fsp.rename(path.join(config.uploadDir, entry.name), path.join(inside, entry.name));
    }
    setAside.push(inside);
  }
  if (secretToo) await moveAside(secretFile(config));
  return setAside;
}

/** Reads the manifest and checks each file it lists: present, same size, same SHA-256. */
async function verifyBackup(folder: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fsp.readFile(path.join(folder, MANIFEST), 'utf8')) as Manifest;
  } catch {
    throw new RestoreRefused(`${folder} has no readable ${MANIFEST}: not a RefundDesk backup.`);
  }
  if (manifest.format !== 'refunddesk-backup/1' || !Array.isArray(manifest.files) || typeof manifest.tables !== 'object') {
    throw new RestoreRefused(`${MANIFEST} is not in a format this version reads.`);
  }
  const allowed = (p: string) => p === DATABASE || p === SECRET_FILE || (p.startsWith(`${UPLOADS}/`) && STORED_NAME.test(p.slice(UPLOADS.length + 1)));
  const problems: string[] = [];
  for (const f of manifest.files) {
    // Paths come from a file anyone could edit: only the names a backup writes, nothing outside the folder.
    if (typeof f.path !== 'string' || !allowed(f.path)) throw new RestoreRefused(`${MANIFEST} lists an unexpected file: ${String(f.path)}`);
    const file = path.join(folder, f.path);
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat) problems.push(`${f.path}: missing`);
    else if (stat.size !== f.bytes || (await sha256File(file)) !== f.sha256) problems.push(`${f.path}: content differs from the manifest`);
  }
  if (!manifest.files.some((f) => f.path === DATABASE)) problems.push(`${DATABASE}: not listed`);
  if (manifest.secretIncluded && !manifest.files.some((f) => f.path === SECRET_FILE)) problems.push(`${SECRET_FILE}: not listed`);
  if (problems.length > 0) throw new RestoreRefused(`The backup does not match its manifest; nothing was changed:\n  ${problems.join('\n  ')}`);
  return manifest;
}

/**
 * A desk (or any tool) with the database open holds a shared lock on it for as long
 * as its connection is open, even idle, in WAL mode. Taking the exclusive lock with
 * a short wait therefore fails while anyone has the file open, and needs no pid file
 * that a killed process would leave behind.
 */
function assertNotOpen(file: string): void {
  if (!fs.existsSync(file)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 1000 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new RestoreRefused(`${file} is open by a running desk (or another tool); stop it and run the restore again. Nothing was changed.`);
    }
    // A damaged file (not a database, …) is what a restore is for: it is set aside like any other.
    console.warn(`Warning: the current database could not be opened (${code || String(err)}); it is set aside.`);
  } finally {
    db?.close();
  }
}

function checkRestored(file: string, manifest: Manifest): Record<string, number> {
  const tables = readCopy(file, (db) => checkCopy(db, 'the restored database'));
  const differ = Object.keys({ ...tables, ...manifest.tables }).filter((t) => tables[t] !== manifest.tables[t]);
  if (differ.length > 0) throw new Error(`row counts differ from the manifest in: ${differ.join(', ')}`);
  return tables;
}

await runCli(async () => {
  const { positional } = parseArgs(process.argv.slice(2));
  if (positional.length !== 1) throw new UsageError(USAGE);
  const config = cliConfig();
  try {
    const report = await restoreBackup(config, path.resolve(positional[0]!), Date.now());
    const { tables, uploads, secret } = report.restored;
    console.log(`Restored ${tables.tickets ?? 0} tickets, ${uploads} upload files${secret ? ' and the secret' : ''} into ${config.dataDir} and ${config.uploadDir}.`);
    for (const p of report.setAside) console.log(`Set aside: ${p}`);
    if (!secret) console.warn('Warning: the backup has no secret (SECRET came from the environment); start the desk with the same SECRET.');
    return 0;
  } catch (err) {
    if (!(err instanceof RestoreRefused)) throw err;
    console.error(err.message);
    return 1;
  }
});
