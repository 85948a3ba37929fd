// Loads the staff user from the session cookie, and guards staff routes by role.
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../db';
import { AppError } from '../domain/errors';
import { findSessionUser, type StaffUser } from './sessions';
import type { Role } from './staff';

export const SESSION_COOKIE = 'rd_session';

export function loadStaff(db: Db, ttlMs: number, clock: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = req.cookies?.[SESSION_COOKIE] as string | undefined;
    res.locals.staff = token ? findSessionUser(db, token, clock(), ttlMs) : null;
    next();
  };
}

export function currentStaff(res: Response): StaffUser | null {
  return (res.locals.staff as StaffUser | null) ?? null;
}

/** Staff pages: no session → the login page; a role not in the list → 403. */
export function requireStaff(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const staff = currentStaff(res);
    if (!staff) {
      if (req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return next(AppError.forbidden());
    }
    if (roles.length > 0 && !roles.includes(staff.role)) return next(AppError.forbidden());
    return next();
  };
}
