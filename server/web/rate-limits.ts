// Per-IP rate limits on intake, lookup and login; over the limit → the 429 page.
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../domain/errors';

export function limiter(max: number, windowMs: number) {
  return rateLimit({
    windowMs,
    limit: max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError(429, 'http.429')),
  });
}
