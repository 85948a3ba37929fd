// The login use case: the lock check, the password check (timing-safe whether or
// not the email exists), counting failures, and the audit event of every lockout.
import type { Db } from '../db';
import { audit } from '../desk/audit';
import { DUMMY_HASH, verifyPassword } from '../security/passwords';
import { accountKey, addressKey, type Lock, type LoginThrottle } from './login-throttle';
import type { StaffUser } from './sessions';
import { findStaffByEmail } from './staff';

export type LoginOutcome = { kind: 'ok'; user: StaffUser } | { kind: 'failed' } | { kind: 'locked'; until: number };

export interface LoginAttempt {
  /** null when the form did not hold a usable email and password */
  credentials: { email: string; password: string } | null;
  ip: string;
}

export async function attemptLogin(
  deps: { db: Db; throttle: LoginThrottle; clock: () => number },
  attempt: LoginAttempt,
): Promise<LoginOutcome> {
  const { db, throttle, clock } = deps;
  const { credentials, ip } = attempt;
  const account = credentials ? accountKey(credentials.email) : null;
  const keys = account ? [account, addressKey(ip)] : [addressKey(ip)];
  // A locked key refuses even the right password. Unknown emails are counted and
  // locked the same way, so the answer never tells whether an account exists.
  const now = clock();
  const lockedUntil = throttle.lockedUntil(keys, now);
  if (lockedUntil !== null) return { kind: 'locked', until: lockedUntil };
  const counted = throttle.count(keys, now);
  const { locks } = counted;

  const user = credentials ? findStaffByEmail(db, credentials.email) : null;
  const ok = await verifyPassword(credentials?.password ?? '', user?.passwordHash ?? DUMMY_HASH);
  if (credentials && user && user.active && ok) {
    // Clears the account's failures; the address keeps those made against other accounts.
    throttle.succeed(counted);
    return { kind: 'ok', user };
  }
  if (locks.length === 0) return { kind: 'failed' };
  for (const lock of locks) auditLock(db, lock, lock.key === account ? { email: credentials!.email, userId: user?.id ?? null } : null, ip, now);
  return { kind: 'locked', until: Math.max(...locks.map((l) => l.until)) };
}

/** A lockout is a system event; the email is kept as typed (lower-cased) even when no account has it. */
function auditLock(db: Db, lock: Lock, account: { email: string; userId: number | null } | null, ip: string, now: number) {
  const target = account ? { scope: 'account', email: account.email.trim().toLowerCase(), userId: account.userId } : { scope: 'address' };
  audit(db, { ticketId: null, staffId: null, action: 'auth.locked', data: { ...target, ip, failures: lock.failures, until: lock.until } }, now);
}
