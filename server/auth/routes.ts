// /login and /logout. A new session (and a new CSRF browser id) at every login.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db';
import { DUMMY_HASH, verifyPassword } from '../security/passwords';
import { setBrowserCookie } from '../security/csrf';
import { newToken } from '../security/tokens';
import { SESSION_COOKIE } from './middleware';
import { createSession, deleteSession } from './sessions';
import { findStaffByEmail } from './staff';

const loginForm = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1000),
  next: z.string().optional(),
});

export interface AuthDeps {
  db: Db;
  clock: () => number;
  sessionTtlMs: number;
  cookieSecure: boolean;
}

/** Only a local path is a safe place to go after login. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/desk';
}

export function authRouter(deps: AuthDeps, loginLimit: express.RequestHandler) {
  const router = express.Router();

  router.get('/login', (req, res) => {
    if (res.locals.staff) return res.redirect(303, safeNext(req.query.next));
    return res.render('auth/login', { values: { email: '', next: safeNext(req.query.next) }, failed: false });
  });

  router.post('/login', loginLimit, async (req: Request, res: Response) => {
    const parsed = loginForm.safeParse(req.body);
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    const next = safeNext(req.body?.next);
    const user = parsed.success ? findStaffByEmail(deps.db, parsed.data.email) : null;
    const ok = await verifyPassword(parsed.success ? parsed.data.password : '', user?.passwordHash ?? DUMMY_HASH);
    if (!parsed.success || !user || !user.active || !ok) {
      return res.status(422).render('auth/login', { values: { email, next }, failed: true });
    }
    const old = req.cookies?.[SESSION_COOKIE];
    if (old) deleteSession(deps.db, old);
    const token = createSession(deps.db, user.id, deps.clock(), deps.sessionTtlMs);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.cookieSecure,
      maxAge: deps.sessionTtlMs,
      path: '/',
    });
    setBrowserCookie(res, newToken(), deps.cookieSecure);
    return res.redirect(303, next);
  });

  router.post('/logout', (req, res) => {
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) deleteSession(deps.db, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  return router;
}
