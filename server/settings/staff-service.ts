// Staff accounts for admins: create, change role, disable and enable. The desk
// always keeps one active admin: the last one can be neither demoted nor disabled,
// checked inside the same transaction as the change.
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { staffUsers } from '../../db/schema';
import { endUserSessions, type StaffUser } from '../auth/sessions';
import { createStaffUser, findStaffByEmail, type Role } from '../auth/staff';
import { transaction, type Db } from '../db';
import { AppError } from '../domain/errors';
import type { StaffInput } from './staff-form';
import { auditChange } from './web';

export function listStaff(db: Db) {
  return db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      language: staffUsers.language,
      active: staffUsers.active,
      createdAt: staffUsers.createdAt,
    })
    .from(staffUsers)
    .orderBy(asc(staffUsers.email))
    .all();
}

const emailTaken = () => AppError.invalid({ email: { key: 'settings:errors.emailTaken' } });

export async function createStaff(db: Db, input: StaffInput, actorId: number, now: number): Promise<StaffUser> {
  if (findStaffByEmail(db, input.email)) throw emailTaken();
  let user: StaffUser;
  try {
    user = await createStaffUser(db, input, now);
  } catch (err) {
    // Another admin created the same email while the password was being hashed.
    if (findStaffByEmail(db, input.email)) throw emailTaken();
    throw err;
  }
  auditChange(db, actorId, 'staff.created', { userId: user.id, email: user.email, role: user.role, language: user.language }, now);
  return user;
}

function loadUser(db: Db, id: number): StaffUser {
  const user = db.select().from(staffUsers).where(eq(staffUsers.id, id)).get();
  if (!user) throw AppError.notFound();
  return user;
}

/** Throws when `user` is the only active admin: the change would leave the desk without one. */
function keepOneAdmin(db: Db, user: StaffUser, field: 'role' | 'active'): void {
  if (user.role !== 'admin' || !user.active) return;
  const others = db
    .select({ n: count() })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, 'admin'), eq(staffUsers.active, true), ne(staffUsers.id, user.id)))
    .get();
  if ((others?.n ?? 0) === 0) throw new AppError(422, 'settings.lastAdmin', { [field]: { key: 'settings:errors.lastAdmin' } });
}

export function changeRole(db: Db, id: number, role: Role, actorId: number, now: number): void {
  transaction(db, () => {
    const user = loadUser(db, id);
    if (user.role === role) return;
    if (role !== 'admin') keepOneAdmin(db, user, 'role');
    db.update(staffUsers).set({ role }).where(eq(staffUsers.id, id)).run();
    auditChange(db, actorId, 'staff.role', { userId: id, keys: ['role'], from: user.role, to: role }, now);
  });
}

/** Disabling also ends every session of the account, so it is out at once. */
export function setActive(db: Db, id: number, active: boolean, actorId: number, now: number): void {
  transaction(db, () => {
    const user = loadUser(db, id);
    if (user.active === active) return;
    if (!active) keepOneAdmin(db, user, 'active');
    db.update(staffUsers).set({ active }).where(eq(staffUsers.id, id)).run();
    const ended = active ? 0 : endUserSessions(db, id);
    auditChange(db, actorId, active ? 'staff.enabled' : 'staff.disabled', { userId: id, keys: ['active'], sessionsEnded: ended }, now);
  });
}
