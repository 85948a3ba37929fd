// The manager's CSV import of orders: upload → preview (a dry run, the mapping
// adjustable) → import. The uploaded file waits under a random token in
// <DATA_DIR>/imports between the steps and is deleted by the import. Only what a
// preview showed is imported: a changed mapping or a currency to fix is checked first.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import multer from 'multer';
import { currentStaff, requireStaff } from '../auth/middleware';
import type { Db } from '../db';
import { AppError } from '../domain/errors';
import { isCurrencyCode } from '../domain/money';
import type { Language } from '../domain/ticket';
import { INTL_LOCALE, type Formatters } from '../i18n/format';
import { listFormat } from '../i18n/intl-cache';
import { readSettings } from '../settings/store';
import { claimImport, importsDir, isImportToken, readImport, saveImport } from './csv-files';
import { importRows, lineMessages, MAX_ROWS, PREVIEW_ROWS, readCsv, recordImport, type CsvTable, type ImportResult, type Problem } from './csv-import';
import {
  detectMapping,
  IGNORE,
  isOrderField,
  mappingProblem,
  ORDER_FIELDS,
  REQUIRED_FIELDS,
  type Mapping,
  type MappingProblem,
} from './csv-mapping';

export interface ImportDeps {
  db: Db;
  dataDir: string;
  clock: () => number;
}

export const MAX_IMPORT_MB = 20;
/** The preview lists this many lines with errors; the counts cover them all. */
const SHOWN_ERRORS = 1000;
const PAGE = '/desk/orders/import';

const parser = multer({
  storage: multer.memoryStorage(),
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_IMPORT_MB * 1024 * 1024, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
}).single('file');

/** Parses the upload form in memory; a limit error is kept for the handler to show beside the field. */
function parseUpload(req: Request, res: Response, next: NextFunction) {
  parser(req, res, (err: unknown) => {
    if (!err) return next();
    req.body ??= {};
    // Any parser error (a limit, or a hostile part such as a control character in a
    // file name) is the uploader's problem, shown beside the field — never a 500.
    res.locals.importUploadProblem = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE' ? 'tooLarge' : 'malformed';
    return next();
  });
}

/** For app.ts, before the CSRF check: only managers and admins get their upload parsed. */
export const importUpload = [requireStaff('manager', 'admin'), parseUpload];

type Shown = { key: string; params: Record<string, string> };
type FormErrors = Partial<Record<'file' | 'currency', Shown>>;
type ImportState = { token: string; fileName: string; currency: string };

export function importRouter(deps: ImportDeps) {
  const router = express.Router();
  const dir = importsDir(deps.dataDir);
  router.use(PAGE, requireStaff('manager', 'admin'));

  router.get(PAGE, (_req, res) => renderForm(res, 200, '', {}));

  router.post(PAGE, async (req, res) => {
    const body = bodyOf(req);
    const currency = text(body.currency).toUpperCase();
    const uploadProblem = res.locals.importUploadProblem as 'tooLarge' | 'malformed' | undefined;
    if (uploadProblem === 'tooLarge') return renderForm(res, 413, currency, { file: shown(res, { key: 'file.tooLarge', params: { size: MAX_IMPORT_MB } }) });
    const errors: FormErrors = {};
    const upload = req.file;
    let table: CsvTable | null = null;
    let mapping: Mapping = [];
    if (uploadProblem || !upload) errors.file = shown(res, { key: uploadProblem ? 'file.unreadable' : 'file.required' });
    else {
      const read = readCsv(upload.buffer);
      if (read.ok) {
        table = read.table;
        mapping = detectMapping(table.headers);
      }
      const problem = read.ok ? mappingProblem(mapping) : read.problem;
      if (problem) errors.file = shown(res, problem);
    }
    if (!table || !upload || errors.file) {
      if (!currencyOk(currency)) errors.currency = shown(res, { key: 'currency.invalid' });
      return renderForm(res, 422, currency, errors);
    }
    // A readable file is kept even when the currency is wrong (the preview asks for it
    // again): a browser cannot fill a file input back in.
    const token = await saveImport(dir, upload.buffer);
    return renderPreview(res, { token, fileName: cleanName(upload.originalname), currency }, table, mapping);
  });

  router.post(`${PAGE}/preview`, async (req, res) => {
    const loaded = await loadImport(req);
    if (!loaded) return expired(res, text(bodyOf(req).currency).toUpperCase());
    return renderPreview(res, loaded.state, loaded.table, loaded.mapping);
  });

  router.post(`${PAGE}/commit`, async (req, res) => {
    const loaded = await loadImport(req);
    if (!loaded) return expired(res, text(bodyOf(req).currency).toUpperCase());
    const { state, table, mapping } = loaded;
    // The columns were changed after the dry run: show the dry run of these instead.
    const changed = text(bodyOf(req).previewed) !== mappingValue(mapping);
    if (changed || mappingProblem(mapping) || !currencyOk(state.currency)) return renderPreview(res, state, table, mapping, changed);
    // Deleting the file first makes a double submit import once: the second finds it gone.
    if (!(await claimImport(dir, state.token))) return expired(res, state.currency);
    const now = deps.clock();
    const result = importRows(deps.db, table, mapping, { now, currency: currencyOf(state.currency), dryRun: false });
    recordImport(deps.db, { staffId: currentStaff(res)!.id, fileName: state.fileName, result, now });
    res.locals.pagePath = PAGE;
    return res.render('desk/import-result', { fileName: state.fileName, result, ...errorList(res, result) });
  });

  /**
   * The saved file and the posted mapping, or null when the file is gone (expired
   * or imported). A token of the wrong shape or a made-up field is the client's error;
   * a wrong currency is the manager's, shown on the preview.
   */
  async function loadImport(req: Request) {
    const body = bodyOf(req);
    if (!isImportToken(body.token)) throw AppError.notFound();
    const state: ImportState = { token: body.token, fileName: cleanName(text(body.fileName)), currency: text(body.currency).toUpperCase() };
    const data = await readImport(dir, state.token);
    const read = data ? readCsv(data) : null;
    if (!read?.ok) return null;
    const mapping: Mapping = read.table.headers.map((_h, i) => {
      const value = body[`map-${i}`];
      if (value === IGNORE) return null;
      if (isOrderField(value)) return value;
      throw new AppError(400, 'http.400');
    });
    return { state, table: read.table, mapping };
  }

  function expired(res: Response, currency: string) {
    const errors: FormErrors = { file: shown(res, { key: 'file.expired' }) };
    if (!currencyOk(currency)) errors.currency = shown(res, { key: 'currency.invalid' });
    renderForm(res, 422, currency, errors);
  }

  function currencyOf(chosen: string): string {
    return chosen || readSettings(deps.db).currency;
  }

  function renderForm(res: Response, status: number, currency: string, errors: FormErrors) {
    res.locals.pagePath = PAGE;
    res.status(status).render('desk/import', {
      currency,
      errors,
      defaultCurrency: readSettings(deps.db).currency,
      required: REQUIRED_FIELDS,
      maxMb: MAX_IMPORT_MB,
      maxRows: MAX_ROWS,
    });
  }

  /** The dry run of this mapping; `changed`: the manager asked to import a mapping the page had not checked. */
  function renderPreview(res: Response, state: ImportState, table: CsvTable, mapping: Mapping, changed = false) {
    const problem = mappingProblem(mapping);
    const currencyError = currencyOk(state.currency) ? null : shown(res, { key: 'currency.invalid' });
    const defaultCurrency = readSettings(deps.db).currency;
    const result = problem || currencyError
      ? null
      : importRows(deps.db, table, mapping, { now: deps.clock(), currency: state.currency || defaultCurrency, dryRun: true });
    res.locals.pagePath = PAGE;
    res.status(result ? 200 : 422).render('desk/import-preview', {
      ...state,
      defaultCurrency,
      currencyError,
      changed,
      previewed: mappingValue(mapping),
      headers: table.headers,
      rowCount: table.rows.length,
      mapping,
      fields: ORDER_FIELDS,
      required: REQUIRED_FIELDS,
      mappingError: problem ? shown(res, problem) : null,
      previewFields: mapping.filter((f) => f !== null),
      previewMax: PREVIEW_ROWS,
      result,
      ...(result ? errorList(res, result) : { errorList: [], hiddenErrors: 0 }),
    });
  }

  return router;
}

/** Empty (the desk's currency) or a three-letter code. */
function currencyOk(currency: string): boolean {
  return currency === '' || isCurrencyCode(currency);
}

/** A mapping as one form value, to know on import whether it is the one the preview showed. */
function mappingValue(mapping: Mapping): string {
  return mapping.map((f) => f ?? IGNORE).join(',');
}

function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The client's file name, for display and the audit trail only. */
function cleanName(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 200) || 'orders.csv';
}

/** A problem ready for tb(): numbers in the page's digits, field lists in its language. */
function shown(res: Response, problem: Problem | MappingProblem): Shown {
  const t = res.locals.t as TFunction;
  const fmt = res.locals.fmt as Formatters;
  if ('fields' in problem) {
    const labels = problem.fields.map((f) => t(`import:fields.${f}`));
    const list = listFormat(INTL_LOCALE[res.locals.lng as Language], { type: 'conjunction' });
    return { key: problem.key, params: { fields: list.format(labels) } };
  }
  const params = Object.fromEntries(Object.entries(problem.params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? fmt.number(v) : v]));
  return { key: problem.key, params };
}

function errorList(res: Response, result: ImportResult) {
  const t = res.locals.t as TFunction;
  const fmt = res.locals.fmt as Formatters;
  return {
    errorList: result.errors.slice(0, SHOWN_ERRORS).map((e) => ({
      line: e.line,
      messages: lineMessages(t, e, fmt.number).map((m) => ({ label: t(`import:fields.${m.field}`), message: m.message })),
    })),
    hiddenErrors: Math.max(0, result.errors.length - SHOWN_ERRORS),
  };
}
