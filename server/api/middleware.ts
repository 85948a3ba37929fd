// Bearer-token authentication, scopes and a per-token rate limit for /api/v1.
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Db } from '../db';
import { ApiError } from './errors';
import { verifyApiToken, type ApiToken, type Scope } from './tokens';

export function apiAuth(db: Db, clock: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match ? verifyApiToken(db, match[1]!, clock()) : null;
    if (!token) {
      res.set('WWW-Authenticate', 'Bearer realm="refunddesk"');
      return next(new ApiError(401));
    }
    res.locals.apiToken = token;
    return next();
  };
}

export function apiToken(res: Response): ApiToken {
  return res.locals.apiToken as ApiToken;
}

/** The token must carry one of these scopes. */
export function requireScope(...anyOf: Scope[]) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const token = apiToken(res);
    if (!anyOf.some((s) => token.scopes.includes(s))) return next(new ApiError(403, 'forbidden', { requiredScope: anyOf }));
    return next();
  };
}

export function apiRateLimit(max: number, windowMs: number) {
  return rateLimit({
    windowMs,
    limit: max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => `token:${apiToken(res).id}`,
    handler: (_req, _res, next) => next(new ApiError(429)),
  });
}
