// Bearer tokens of the panel API: created once (the token is shown only then),
// stored as a hash, scoped, revocable, with the time each was last used.
import { and, eq, isNull } from 'drizzle-orm';
import { apiTokens } from '../../db/schema';
import { prepared, type Db } from '../db';
import { hashToken, newToken } from '../security/tokens';

export const SCOPES = ['orders:write', 'tickets:read', 'tickets:write', 'decisions:read'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiToken {
  id: number;
  name: string;
  scopes: Scope[];
}

const PREFIX = 'rdk_';

/**
 * The scopes of a list (a form's checkboxes, the parts of a typed or stored list):
 * at least one and each a known scope, answered in SCOPES order without repeats;
 * null when the list is empty or names anything else.
 */
export function validScopes(list: readonly string[]): Scope[] | null {
  if (list.length === 0 || !list.every((s) => (SCOPES as readonly string[]).includes(s))) return null;
  return SCOPES.filter((s) => list.includes(s));
}

/** "orders:write, tickets:read" (commas or spaces), as typed on the command line or stored with a token. */
export function parseScopes(text: string): Scope[] | null {
  return validScopes(
    text
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

export function createApiToken(db: Db, name: string, scopes: Scope[], now: number): { id: number; token: string } {
  const token = PREFIX + newToken();
  const row = db
    .insert(apiTokens)
    .values({ name: name.trim().slice(0, 100), tokenHash: hashToken(token), scopes: scopes.join(','), createdAt: now })
    .returning({ id: apiTokens.id })
    .get();
  return { id: row.id, token };
}

/** True when a live token was revoked now. */
export function revokeApiToken(db: Db, id: number, now: number): boolean {
  const done = db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .run();
  return done.changes > 0;
}

export function listApiTokens(db: Db) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(apiTokens.id)
    .all();
}

/** The live token behind a bearer value, its last use recorded (at most once a minute). */
export function verifyApiToken(db: Db, token: string, now: number): ApiToken | null {
  if (!token.startsWith(PREFIX) || token.length > 100) return null;
  // Read on every API call: plain prepared SQL.
  const row = prepared(db, 'SELECT id, name, scopes, last_used_at AS lastUsedAt, revoked_at AS revokedAt FROM api_tokens WHERE token_hash = ?').get(
    hashToken(token),
  ) as { id: number; name: string; scopes: string; lastUsedAt: number | null; revokedAt: number | null } | undefined;
  if (!row || row.revokedAt !== null) return null;
  if (row.lastUsedAt === null || now - row.lastUsedAt > 60_000) {
    prepared(db, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
  }
  return { id: row.id, name: row.name, scopes: parseScopes(row.scopes) ?? [] };
}
