// A staff member changes their own password: the current one must be right, the new
// one typed twice, long enough and different. On success every other session of the
// account ends (a thief holding one is out); the one in use stays.
import { and, eq } from 'drizzle-orm';
import { staffUsers } from '../../db/schema';
import { transaction, type Db } from '../db';
import { audit } from '../desk/audit';
import type { FieldErrors } from '../domain/errors';
import { hashPassword, passwordProblem, verifyPassword } from '../security/passwords';
import { hashToken } from '../security/tokens';
import { endUserSessions, type StaffUser } from './sessions';

export interface PasswordValues {
  current: string;
  password: string;
  confirm: string;
}

export function passwordValues(body: Record<string, unknown>): PasswordValues {
  const text = (name: string) => (typeof body[name] === 'string' ? body[name].slice(0, 1000) : '');
  return { current: text('current'), password: text('password'), confirm: text('confirm') };
}

const error = (name: string, params?: Record<string, unknown>) => ({ key: `auth:password.errors.${name}`, ...(params ? { params } : {}) });

/** The checks that need no database: what was typed, and whether it fits. */
function checkPasswordForm(v: PasswordValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.current) errors.current = error('required');
  const problem = passwordProblem(v.password);
  if (problem) errors.password = error(problem.reason, problem.params);
  else if (v.password === v.current) errors.password = error('sameAsCurrent');
  if (!v.confirm) errors.confirm = error('required');
  else if (!errors.password && v.confirm !== v.password) errors.confirm = error('mismatch');
  return errors;
}

export type PasswordChange = { ok: true; sessionsEnded: number } | { ok: false; errors: FieldErrors };

export async function changePassword(
  db: Db,
  user: StaffUser,
  v: PasswordValues,
  sessionToken: string,
  now: number,
): Promise<PasswordChange> {
  const errors = checkPasswordForm(v);
  // The current password is checked even when another field is wrong, so that every error shows at once.
  if (v.current && !(await verifyPassword(v.current, user.passwordHash))) errors.current = error('currentWrong');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const passwordHash = await hashPassword(v.password);
  return transaction(db, () => {
    // Only over the hash that was checked: a change made meanwhile from another session wins.
    const changed = db
      .update(staffUsers)
      .set({ passwordHash })
      .where(and(eq(staffUsers.id, user.id), eq(staffUsers.passwordHash, user.passwordHash)))
      .run().changes;
    if (changed === 0) return { ok: false, errors: { current: error('currentWrong') } };
    const sessionsEnded = endUserSessions(db, user.id, { exceptTokenHash: hashToken(sessionToken) });
    audit(db, { ticketId: null, staffId: user.id, action: 'auth.passwordChanged', data: { sessionsEnded } }, now);
    return { ok: true, sessionsEnded };
  });
}
