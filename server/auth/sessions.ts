// Staff sessions: the cookie holds a random token, the database only its hash.
// Expiry slides forward while the session is used.
import { and, eq, lt, ne } from 'drizzle-orm';
import { sessions, staffUsers } from '../../db/schema';
import { prepared, rowReader, type Db } from '../db';
import { hashToken, newToken } from '../security/tokens';

export type StaffUser = typeof staffUsers.$inferSelect;

export function createSession(db: Db, userId: number, now: number, ttlMs: number): string {
  const token = newToken();
  db.insert(sessions)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt: now + ttlMs })
    .run();
  return token;
}

// Read on every staff request: plain prepared SQL (see rowReader in db.ts).
const U = rowReader(staffUsers, 'u');

export function findSessionUser(db: Db, token: string, now: number, ttlMs: number): StaffUser | null {
  const tokenHash = hashToken(token);
  const row = prepared(db, `SELECT ${U.select}, s.expires_at AS sessionExpiresAt FROM sessions s JOIN staff_users u ON u.id = s.user_id WHERE s.token_hash = ?`).get(
    tokenHash,
  ) as (Record<string, unknown> & { sessionExpiresAt: number }) | undefined;
  if (!row || row.sessionExpiresAt <= now) return null;
  const user = U.map(row);
  if (!user.active) return null;
  if (row.sessionExpiresAt - now < ttlMs / 2) {
    prepared(db, 'UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(now + ttlMs, tokenHash);
  }
  return user;
}

export function deleteSession(db: Db, token: string): void {
  db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token))).run();
}

export function deleteExpiredSessions(db: Db, now: number): void {
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
}

/**
 * Ends every session of a user (disabled, or a password changed), except the one
 * whose token hash is `exceptTokenHash` (the session making the change). Returns how many ended.
 */
export function endUserSessions(db: Db, userId: number, opts: { exceptTokenHash?: string } = {}): number {
  const mine = eq(sessions.userId, userId);
  const where = opts.exceptTokenHash === undefined ? mine : and(mine, ne(sessions.tokenHash, opts.exceptTokenHash));
  return db.delete(sessions).where(where).run().changes;
}
