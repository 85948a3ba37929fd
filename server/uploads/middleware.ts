// Parses a multipart form into memory with hard limits. Limit errors do not end
// the request: they are kept for the handler, which shows them beside the field
// with the rest of the input. Nothing touches the disk here.
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { FieldErrors } from '../domain/errors';
import { MAX_SCREENSHOTS } from '../domain/ticket';
import { MAX_FILE_BYTES } from './images';

const parser = multer({
  storage: multer.memoryStorage(),
  // File names are UTF-8 (browsers send them so): "لقطة.png" must not arrive as mojibake.
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_FILE_BYTES, files: MAX_SCREENSHOTS, fields: 40, fieldSize: 64 * 1024, parts: 60 },
}).array('screenshots', MAX_SCREENSHOTS);

export type UploadProblem = 'tooLarge' | 'tooMany' | 'malformed';

export function screenshotUpload(req: Request, res: Response, next: NextFunction) {
  parser(req, res, (err: unknown) => {
    if (!err) return next();
    req.files = [];
    req.body ??= {};
    if (err instanceof multer.MulterError) {
      res.locals.uploadProblem = (
        err.code === 'LIMIT_FILE_SIZE'
          ? 'tooLarge'
          : err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE'
            ? 'tooMany'
            : 'malformed'
      ) satisfies UploadProblem;
      return next();
    }
    // Anything else is busboy refusing a body that is not well-formed multipart (a part
    // header with control characters in a file name, a body cut short): the client's
    // input, answered like a limit, not a 500. Storage is memory, so nothing to undo.
    res.locals.uploadProblem = 'malformed' satisfies UploadProblem;
    return next();
  });
}

/** The status and the screenshots field's error for a problem screenshotUpload kept. */
export function uploadProblemError(problem: UploadProblem): { status: number; error: FieldErrors[string] } {
  if (problem === 'tooLarge') return { status: 413, error: { key: 'screenshots.tooLarge', params: { size: MAX_FILE_BYTES / (1024 * 1024) } } };
  if (problem === 'tooMany') return { status: 422, error: { key: 'screenshots.tooMany', params: { count: MAX_SCREENSHOTS } } };
  return { status: 422, error: { key: 'screenshots.malformed' } };
}

/**
 * The files sent. An empty file input sends a part without a file name, which multer
 * already skips; a named file of zero bytes is kept, to be refused as empty rather
 * than dropped without a word.
 */
export function uploadedFiles(req: Request): Express.Multer.File[] {
  return Array.isArray(req.files) ? req.files.filter((f) => f.size > 0 || f.originalname !== '') : [];
}
