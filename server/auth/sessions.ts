// Staff sessions: the cookie holds a random token, the database only its hash.
// Expiry slides forward while the session is used.
import { eq, lt } from 'drizzle-orm';
import { sessions, staffUsers } from '../../db/schema';
import type { Db } from '../db';
import { hashToken, newToken } from '../security/tokens';

export type StaffUser = typeof staffUsers.$inferSelect;

export function createSession(db: Db, userId: number, now: number, ttlMs: number): string {
  const token = newToken();
  db.insert(sessions)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt: now + ttlMs })
    .run();
  return token;
}

export function findSessionUser(db: Db, token: string, now: number, ttlMs: number): StaffUser | null {
  const tokenHash = hashToken(token);
  const row = db
    .select({ user: staffUsers, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(staffUsers, eq(staffUsers.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .get();
  if (!row || row.expiresAt <= now || !row.user.active) return null;
  if (row.expiresAt - now < ttlMs / 2) {
    db.update(sessions).set({ expiresAt: now + ttlMs }).where(eq(sessions.tokenHash, tokenHash)).run();
  }
  return row.user;
}

export function deleteSession(db: Db, token: string): void {
  db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token))).run();
}

export function deleteExpiredSessions(db: Db, now: number): void {
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
}
