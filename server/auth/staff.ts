// Staff accounts: creation (with a hashed password) and the first admin at start-up.
import { count, eq } from 'drizzle-orm';
import { staffUsers } from '../../db/schema';
import type { Db } from '../db';
import type { Language } from '../domain/ticket';
import { hashPassword } from '../security/passwords';
import { newToken } from '../security/tokens';

export type Role = 'agent' | 'manager' | 'admin';

export interface NewStaff {
  email: string;
  name: string;
  role: Role;
  password: string;
  language?: Language;
}

export async function createStaffUser(db: Db, input: NewStaff, now: number) {
  const passwordHash = await hashPassword(input.password);
  return db
    .insert(staffUsers)
    .values({
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      passwordHash,
      language: input.language ?? 'en',
      createdAt: now,
    })
    .returning()
    .get();
}

export function findStaffByEmail(db: Db, email: string) {
  return db.select().from(staffUsers).where(eq(staffUsers.email, email.toLowerCase())).get() ?? null;
}

/**
 * With no staff yet, creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD or,
 * when those are unset, with a generated password that is returned to be shown once.
 */
export async function ensureFirstAdmin(
  db: Db,
  opts: { email?: string; password?: string },
  now: number,
): Promise<{ email: string; generatedPassword?: string } | null> {
  const existing = db.select({ n: count() }).from(staffUsers).get();
  if ((existing?.n ?? 0) > 0) return null;
  const email = opts.email ?? 'admin@localhost';
  const password = opts.password ?? newToken(12);
  await createStaffUser(db, { email, name: 'Admin', role: 'admin', password }, now);
  return { email, generatedPassword: opts.password ? undefined : password };
}
