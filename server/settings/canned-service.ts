// Canned responses per language: the overview by key, saving one (the key and
// language pair is unique), deleting one; each change audited.
import { asc, eq } from 'drizzle-orm';
import { cannedResponses } from '../../db/schema';
import { transaction, type Db } from '../db';
import { AppError } from '../domain/errors';
import { LANGUAGES, type Language } from '../domain/ticket';
import type { CannedInput } from './canned-form';
import { auditChange } from './web';

export type Canned = typeof cannedResponses.$inferSelect;

export interface CannedRow {
  key: string;
  /** per language: the response, or null when that language is missing */
  languages: { language: Language; response: Pick<Canned, 'id' | 'title'> | null }[];
  missing: Language[];
}

export function cannedOverview(db: Db): CannedRow[] {
  const all = db
    .select({ id: cannedResponses.id, key: cannedResponses.key, language: cannedResponses.language, title: cannedResponses.title })
    .from(cannedResponses)
    .orderBy(asc(cannedResponses.key))
    .all();
  const keys = [...new Set(all.map((r) => r.key))];
  return keys.map((key) => {
    const languages = LANGUAGES.map((language) => {
      const found = all.find((r) => r.key === key && r.language === language);
      return { language, response: found ? { id: found.id, title: found.title } : null };
    });
    return { key, languages, missing: languages.filter((l) => l.response === null).map((l) => l.language) };
  });
}

export function findCanned(db: Db, id: number): Canned | null {
  return db.select().from(cannedResponses).where(eq(cannedResponses.id, id)).get() ?? null;
}

const taken = () => AppError.invalid({ key: { key: 'settings:errors.cannedTaken' } });

/** Creates (id null) or updates a response; 422 when another one has the same key and language. */
export function saveCanned(db: Db, id: number | null, input: CannedInput, staffId: number, now: number): Canned {
  return transaction(db, () => {
    const existing = id === null ? null : findCanned(db, id);
    if (id !== null && !existing) throw AppError.notFound();
    const twin = db
      .select({ id: cannedResponses.id, key: cannedResponses.key, language: cannedResponses.language })
      .from(cannedResponses)
      .where(eq(cannedResponses.key, input.key))
      .all()
      .find((r) => r.language === input.language && r.id !== id);
    if (twin) throw taken();
    const saved = existing
      ? db.update(cannedResponses).set({ ...input, updatedAt: now }).where(eq(cannedResponses.id, existing.id)).returning().get()
      : db.insert(cannedResponses).values({ ...input, updatedAt: now }).returning().get();
    const keys = existing ? (['key', 'language', 'title', 'body'] as const).filter((k) => existing[k] !== saved[k]) : ['key', 'language', 'title', 'body'];
    if (keys.length > 0) {
      auditChange(db, staffId, existing ? 'canned.updated' : 'canned.created', { id: saved.id, key: saved.key, language: saved.language, keys }, now);
    }
    return saved;
  });
}

export function deleteCanned(db: Db, id: number, staffId: number, now: number): void {
  transaction(db, () => {
    const existing = findCanned(db, id);
    if (!existing) throw AppError.notFound();
    db.delete(cannedResponses).where(eq(cannedResponses.id, id)).run();
    auditChange(db, staffId, 'canned.deleted', { id, key: existing.key, language: existing.language }, now);
  });
}
