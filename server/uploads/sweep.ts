// Files in UPLOAD_DIR that no attachments row names. Writers remove their files when
// the transaction that should own them fails, but a process killed between writing a
// screenshot and committing its row cannot; nor can it finish a temp file. Both are
// swept here, at start-up: only a killed process leaves them, so a running desk has none to sweep.
import { prepared, type Db } from '../db';
import { purgeOldFiles } from '../web/old-files';
import { STORED_NAME, type FileStore } from './store';

/**
 * A younger file may belong to a write whose row is not committed yet: its files are
 * written first and the row follows, after at most the 5 s busy timeout. At start-up
 * nothing of this process is writing, so a few seconds cover another process still
 * finishing (a rolling restart).
 */
export const BOOT_ORPHAN_GRACE_MS = 10_000;

/** Leftovers of interrupted writes: `<name>.part`, `<name>.tmp`. */
const TEMP = /^[\w.-]+\.(part|tmp)$/;

/** Removes orphaned and temp files older than `graceMs`; returns the names removed. */
export function sweepOrphanFiles(db: Db, store: FileStore, now: number, graceMs: number): Promise<string[]> {
  // Read once, when the first stored image is met. A file whose row commits after
  // this read is younger than the grace, so the age check keeps it.
  let referenced: Set<string> | null = null;
  const orphan = (name: string) => TEMP.test(name) || (STORED_NAME.test(name) && !(referenced ??= referencedNames(db)).has(name));
  return purgeOldFiles(store.dir, orphan, graceMs, now);
}

/** Every image and thumbnail name a row refers to, staged or attached (a thumbnail may not exist yet). */
function referencedNames(db: Db): Set<string> {
  const names = new Set<string>();
  const rows = prepared(db, 'SELECT storage_name, thumb_name FROM attachments').all() as { storage_name: string; thumb_name: string }[];
  for (const row of rows) {
    names.add(row.storage_name);
    names.add(row.thumb_name);
  }
  return names;
}
