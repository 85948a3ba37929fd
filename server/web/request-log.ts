// One log line per request: method, path without its query string (private ticket
// links carry their token there), status and duration. Never bodies or cookies.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
