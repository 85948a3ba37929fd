// The panel API's errors: { "error": { "code", "message", "details" } }, the
// message in the caller's language (Accept-Language), never an HTML page.
import type { NextFunction, Request, Response } from 'express';
import type { TFunction } from 'i18next';
import { MulterError } from 'multer';
import type { Logger } from 'pino';
import { AppError, type FieldErrors } from '../domain/errors';

export const API_ERRORS = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'rate_limited',
  500: 'internal',
} as const;
export type ApiStatus = keyof typeof API_ERRORS;

export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    readonly code: string = API_ERRORS[status],
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

/** Field problems as { field: translated message }. */
export function fieldMessages(t: TFunction, fields: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, e]) => [name, t(`errors:${e.key}`, e.params ?? {})]));
}

export function apiNotFound(_req: Request, _res: Response, next: NextFunction) {
  next(new ApiError(404));
}

export function apiErrorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const t = res.locals.t as TFunction;
    const e = toApiError(err, t);
    if (e.status >= 500) log.error({ err, path: req.path }, 'api request failed');
    if (res.headersSent) return;
    res.status(e.status).json({
      error: { code: e.code, message: t(`errors:api.${e.code}`), details: e.details },
    });
  };
}

function toApiError(err: unknown, t: TFunction): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof AppError) {
    const status = (err.status in API_ERRORS ? err.status : 500) as ApiStatus;
    const details = Object.keys(err.fields).length > 0 ? { fields: fieldMessages(t, err.fields) } : {};
    return new ApiError(status, API_ERRORS[status], details);
  }
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return new ApiError(413, 'payload_too_large', { fields: { screenshots: t('errors:screenshots.tooLarge', { size: 8 }) } });
    return new ApiError(422, 'validation_failed', { fields: { screenshots: t('errors:screenshots.malformed') } });
  }
  const e = err as { status?: number; type?: string };
  if (e?.status === 413) return new ApiError(413);
  if (e?.type === 'entity.parse.failed') return new ApiError(400, 'invalid_json');
  if (e?.status && e.status >= 400 && e.status < 500) return new ApiError(400);
  return new ApiError(500);
}
