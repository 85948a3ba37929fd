// The ready answers agents insert into replies. A starting set per language ships
// in locales/<lng>/canned.json and is copied into the database once, so managers
// can edit them there without the next start overwriting their edits.
import { cannedResponses } from '../../db/schema';
import type { Db } from '../db';
import { LANGUAGES } from '../domain/ticket';
import { getI18n } from '../i18n/index';

export function ensureCannedResponses(db: Db, now: number): number {
  let added = 0;
  for (const language of LANGUAGES) {
    const set = getI18n().getResource(language, 'canned', 'responses') as Record<string, { title: string; body: string }> | undefined;
    for (const [key, { title, body }] of Object.entries(set ?? {})) {
      const done = db.insert(cannedResponses).values({ key, language, title, body, updatedAt: now }).onConflictDoNothing().run();
      added += done.changes;
    }
  }
  return added;
}
