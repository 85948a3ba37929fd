// /login and /logout. A new session (and a new CSRF browser id) at every login;
// failed logins are counted and lock the account for a while (login.ts).
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db';
import { setBrowserCookie } from '../security/csrf';
import { newToken } from '../security/tokens';
import { attemptLogin } from './login';
import { LoginThrottle, type LockPolicy } from './login-throttle';
import { SESSION_COOKIE } from './middleware';
import { createSession, deleteSession } from './sessions';

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
  loginLock: LockPolicy;
}

/** Only a local path is a safe place to go after login. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/desk';
}

export function authRouter(deps: AuthDeps, loginLimit: express.RequestHandler) {
  const router = express.Router();

  const throttle = new LoginThrottle(deps.loginLock);
  const sessionCookie = { httpOnly: true, sameSite: 'lax', secure: deps.cookieSecure, path: '/' } as const;

  router.get('/login', (req, res) => {
    if (res.locals.staff) return res.redirect(303, safeNext(req.query.next));
    return res.render('auth/login', { values: { email: '', next: safeNext(req.query.next) }, failed: false, lockedMinutes: null });
  });

  router.post('/login', loginLimit, async (req: Request, res: Response) => {
    const parsed = loginForm.safeParse(req.body);
    const email = typeof req.body?.email === 'string' ? req.body.email.slice(0, 300) : '';
    const next = safeNext(req.body?.next);
    const outcome = await attemptLogin(
      { db: deps.db, throttle, clock: deps.clock },
      { credentials: parsed.success ? parsed.data : null, ip: req.ip ?? 'unknown' },
    );
    if (outcome.kind === 'locked') {
      const leftMs = Math.max(0, outcome.until - deps.clock());
      res.set('Retry-After', String(Math.ceil(leftMs / 1000)));
      const lockedMinutes = Math.max(1, Math.ceil(leftMs / 60_000));
      return res.status(429).render('auth/login', { values: { email, next }, failed: false, lockedMinutes });
    }
    if (outcome.kind === 'failed') {
      return res.status(422).render('auth/login', { values: { email, next }, failed: true, lockedMinutes: null });
    }
    // A new session every time; whatever session this browser had is ended, so a
    // token planted or seen before the login is worth nothing after it.
    const old = req.cookies?.[SESSION_COOKIE];
    if (typeof old === 'string') deleteSession(deps.db, old);
    const token = createSession(deps.db, outcome.user.id, deps.clock(), deps.sessionTtlMs);
    res.cookie(SESSION_COOKIE, token, { ...sessionCookie, maxAge: deps.sessionTtlMs });
    setBrowserCookie(res, newToken(), deps.cookieSecure);
    return res.redirect(303, next);
  });

  router.post('/logout', (req, res) => {
    const token = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string') deleteSession(deps.db, token);
    res.clearCookie(SESSION_COOKIE, sessionCookie);
    res.redirect(303, '/login');
  });

  return router;
}
