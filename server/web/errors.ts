// The final 404 and the one error handler: a localized page, no stack trace
// outside development, and the full error only in the log.
import type { NextFunction, Request, Response } from 'express';
import { MulterError } from 'multer';
import type { Logger } from 'pino';
import { AppError } from '../domain/errors';

const KNOWN = new Set([400, 403, 404, 413, 422, 429, 500]);

export function notFound(_req: Request, _res: Response, next: NextFunction) {
  next(AppError.notFound());
}

export function errorHandler(log: Logger, showStack: boolean) {
  // Express recognises an error handler by its four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(err);
    if (appError.status >= 500) log.error({ err, path: req.path }, 'request failed');
    if (res.headersSent) return;
    const status = KNOWN.has(appError.status) ? appError.status : 500;
    res.status(status);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: appError.code });
      return;
    }
    res.render('errors/error', {
      status,
      code: appError.code,
      stack: showStack && status >= 500 && err instanceof Error ? err.stack : undefined,
    });
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof MulterError) {
    return err.code === 'LIMIT_FILE_SIZE' ? new AppError(413, 'http.413') : new AppError(422, 'http.422');
  }
  const status = (err as { status?: number; statusCode?: number })?.status ?? (err as { statusCode?: number })?.statusCode;
  if (status === 413) return new AppError(413, 'http.413');
  if (status && status >= 400 && status < 500) return new AppError(status === 404 ? 404 : 400, `http.${status === 404 ? 404 : 400}`);
  return new AppError(500, 'http.500');
}
