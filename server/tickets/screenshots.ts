// Screenshots a customer sends: checked and re-encoded all together (one bad file
// rejects the whole upload, so nothing of it is kept), then either staged on the
// form for 24 h or attached to a ticket.
import { and, eq, gt, inArray, isNotNull, lte } from 'drizzle-orm';
import { attachments } from '../../db/schema';
import { prepared, type Db } from '../db';
import { cleanLine } from '../domain/ticket';
import { encodeImage, ImageRejected, type EncodedImage, type RejectReason } from '../uploads/images';
import type { FileStore, StoredImage } from '../uploads/store';
import { hashToken } from '../security/tokens';
import type { FieldErrors } from '../domain/errors';

export const STAGE_TTL_MS = 24 * 3_600_000;

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

export type Attachment = typeof attachments.$inferSelect;

const REJECTED_KEYS: Record<RejectReason, string> = {
  empty: 'screenshots.empty',
  type: 'screenshots.notImage',
  pixels: 'screenshots.tooManyPixels',
  damaged: 'screenshots.damaged',
};

export async function encodeUploads(
  files: UploadedFile[],
): Promise<{ images: { image: EncodedImage; originalName: string }[] } | { error: FieldErrors[string] }> {
  const images: { image: EncodedImage; originalName: string }[] = [];
  for (const file of files) {
    try {
      images.push({ image: await encodeImage(file.buffer), originalName: file.originalname });
    } catch (err) {
      if (!(err instanceof ImageRejected)) throw err;
      // The name is shown in the message: without controls or bidi overrides, like the stored one.
      return { error: { key: REJECTED_KEYS[err.key], params: { name: cleanLine(file.originalname).slice(0, 80) } } };
    }
  }
  return { images };
}

type Owner = { stageKey: string; expiresAt: number } | { ticketId: number; messageId: number | null };

/** Attachment rows for files already written. Call inside the owner's transaction. */
export function insertAttachmentRows(db: Db, stored: StoredImage[], owner: Owner, now: number): void {
  if (stored.length === 0) return;
  db.insert(attachments)
    .values(
      stored.map((s) => ({
        ...s,
        createdAt: now,
        ...('stageKey' in owner
          ? { stageKeyHash: hashToken(owner.stageKey), expiresAt: owner.expiresAt }
          : { ticketId: owner.ticketId, messageId: owner.messageId }),
      })),
    )
    .run();
}

/**
 * Writes the files, then runs `write` (a transaction that must insert their rows);
 * if it fails, the files are removed again, so no file is ever left without a row.
 */
export async function withStoredFiles<T>(
  store: FileStore,
  images: { image: EncodedImage; originalName: string }[],
  write: (stored: StoredImage[]) => T,
): Promise<T> {
  const stored = images.length > 0 ? await store.write(images) : [];
  try {
    return write(stored);
  } catch (err) {
    await store.remove(stored);
    throw err;
  }
}

/** Files and rows of screenshots staged on a form that is not accepted yet. */
export function stageAttachments(
  db: Db,
  store: FileStore,
  images: { image: EncodedImage; originalName: string }[],
  stageKey: string,
  now: number,
): Promise<void> {
  return withStoredFiles(store, images, (stored) =>
    insertAttachmentRows(db, stored, { stageKey, expiresAt: now + STAGE_TTL_MS }, now),
  );
}

export function listStaged(db: Db, stageKey: string, now: number): Attachment[] {
  if (!stageKey) return [];
  return db
    .select()
    .from(attachments)
    .where(and(eq(attachments.stageKeyHash, hashToken(stageKey)), gt(attachments.expiresAt, now)))
    .orderBy(attachments.id)
    .all();
}

/** Moves staged screenshots onto a ticket. Runs inside the ticket's transaction. */
export function claimStaged(db: Db, stageKey: string, ticketId: number, now: number): number {
  if (!stageKey) return 0;
  // Plain prepared SQL: it runs on every intake and reply, most often claiming nothing.
  return prepared(db, 'UPDATE attachments SET ticket_id = ?, stage_key_hash = NULL, expires_at = NULL WHERE stage_key_hash = ? AND expires_at > ?').run(
    ticketId,
    hashToken(stageKey),
    now,
  ).changes;
}

export async function removeStaged(db: Db, store: FileStore, stageKey: string, ids: number[]): Promise<void> {
  if (!stageKey || ids.length === 0) return;
  const where = and(eq(attachments.stageKeyHash, hashToken(stageKey)), inArray(attachments.id, ids));
  const rows = db.select().from(attachments).where(where).all();
  db.delete(attachments).where(where).run();
  await store.remove(rows);
}

/** Staged screenshots nobody came back for: rows and files go after 24 h. */
export async function purgeExpiredStaged(db: Db, store: FileStore, now: number): Promise<number> {
  const where = and(isNotNull(attachments.expiresAt), lte(attachments.expiresAt, now));
  const rows = db.select().from(attachments).where(where).all();
  if (rows.length === 0) return 0;
  db.delete(attachments).where(inArray(attachments.id, rows.map((r) => r.id))).run();
  await store.remove(rows);
  return rows.length;
}
