// The ready answers agents insert into replies. A starting set per language ships
// in locales/<lng>/canned.json and is copied into the database at the first start
// only (while the table is empty), so managers can edit, rename and delete them
// there without the next start bringing the shipped ones back.
import { cannedResponses } from '../../db/schema';
import { transaction, type Db } from '../db';
import { LANGUAGES } from '../domain/ticket';
import { getI18n } from '../i18n/index';

/** Copies the shipped set in when the table is empty; returns how many were added (0 on every later start). */
export function ensureCannedResponses(db: Db, now: number): number {
  // One immediate transaction: a second process starting at the same moment waits, then finds the table filled.
  return transaction(db, () => {
    if (db.select({ id: cannedResponses.id }).from(cannedResponses).limit(1).get()) return 0;
    let added = 0;
    for (const language of LANGUAGES) {
      const set = getI18n().getResource(language, 'canned', 'responses') as Record<string, { title: string; body: string }> | undefined;
      for (const [key, { title, body }] of Object.entries(set ?? {})) {
        db.insert(cannedResponses).values({ key, language, title, body, updatedAt: now }).run();
        added += 1;
      }
    }
    return added;
  });
}
