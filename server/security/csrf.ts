// CSRF: every browser gets a random id in an HttpOnly cookie; forms carry
// HMAC(secret, id) in `_csrf`. A cross-site page can neither read the cookie nor
// compute the token. Non-GET requests must also come from our own origin when
// the browser says where they come from.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../domain/errors';
import { newToken, safeEqual } from './tokens';

export const BROWSER_COOKIE = 'rd_bid';

export function csrfTokenFor(secret: string, browserId: string): string {
  return crypto.createHmac('sha256', secret).update(`csrf:${browserId}`).digest('base64url');
}

export interface CsrfOptions {
  secret: string;
  publicUrl: string;
  cookieSecure: boolean;
}

/** Gives the request a browser id (cookie) and the view its token. Runs on every request. */
export function csrfToken(opts: CsrfOptions) {
  return (req: Request, res: Response, next: NextFunction) => {
    let browserId = req.cookies?.[BROWSER_COOKIE] as string | undefined;
    if (!browserId || !/^[\w-]{43}$/.test(browserId)) {
      browserId = newToken();
      setBrowserCookie(res, browserId, opts.cookieSecure);
    }
    res.locals.browserId = browserId;
    res.locals.csrfToken = csrfTokenFor(opts.secret, browserId);
    next();
  };
}

export function setBrowserCookie(res: Response, browserId: string, secure: boolean) {
  res.cookie(BROWSER_COOKIE, browserId, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  res.locals.browserId = browserId;
}

/** Rejects a state-changing request without a valid token. Call after the body is parsed. */
export function verifyCsrf(opts: CsrfOptions) {
  const ownOrigin = new URL(opts.publicUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.get('origin');
    if (origin && origin !== 'null' && origin !== ownOrigin && origin !== requestOrigin(req)) {
      return next(new AppError(403, 'http.csrf'));
    }
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
    const browserId = req.cookies?.[BROWSER_COOKIE] as string | undefined;
    if (typeof sent !== 'string' || !browserId || !safeEqual(sent, csrfTokenFor(opts.secret, browserId))) {
      return next(new AppError(403, 'http.csrf'));
    }
    return next();
  };
}

function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}
