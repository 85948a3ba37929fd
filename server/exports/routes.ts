// The manager's exports: the form, a direct download for small exports, and for
// long ones a job with a progress page and a download once it is done.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { currentStaff, requireStaff } from '../auth/middleware';
import type { Db } from '../db';
import { AppError } from '../domain/errors';
import { LANGUAGES, type Language } from '../domain/ticket';
import { INTL_LOCALE } from '../i18n/format';
import { numberFormat } from '../i18n/intl-cache';
import { recordExport, writeExport } from './export';
import {
  defaultInput,
  EXPORT_FORMATS,
  EXPORT_KINDS,
  exportFileName,
  inputOf,
  parseExportInput,
  type ExportChoices,
  type ExportErrors,
  type ExportInput,
  type ExportRequest,
} from './form';
import { ExportJobs, isExpired, isJobKey, type ExportJob } from './jobs';
import { countExportRows, exportChoices } from './queries';
import { CONTENT_TYPES } from './sheet';

export interface ExportsDeps {
  db: Db;
  dataDir: string;
  clock: () => number;
  /** exports estimated above this many rows run as jobs */
  jobThreshold?: number;
  jobs?: ExportJobs;
  log?: Pick<Logger, 'error'>;
}

export const JOB_THRESHOLD = 50_000;
const PAGE = '/desk/exports';

export function exportsRouter(deps: ExportsDeps) {
  const { db, clock } = deps;
  const jobs = deps.jobs ?? new ExportJobs({ db, dataDir: deps.dataDir, clock, log: deps.log });
  const threshold = deps.jobThreshold ?? JOB_THRESHOLD;
  const router = express.Router();
  router.use(PAGE, requireStaff('manager', 'admin'));

  router.get(PAGE, (_req, res) => renderForm(res, 200, defaultInput(clock()), {}));

  router.post(PAGE, async (req, res) => {
    const input = inputOf((req.body ?? {}) as Record<string, unknown>);
    const choices = exportChoices(db);
    const parsed = parseExportInput(input, choices);
    if (!parsed.ok) return renderForm(res, 422, input, parsed.errors, choices);
    const request: ExportRequest = { kind: parsed.kind, format: parsed.format, filters: parsed.filters, language: res.locals.lng as Language };
    const staffId = currentStaff(res)!.id;
    const estimate = countExportRows(db, request.kind, request.filters);
    if (estimate > threshold) {
      const job = jobs.start(request, staffId, estimate);
      recordExport(db, { staffId, request, rows: estimate, jobKey: job.key, now: clock() });
      return res.redirect(303, `${PAGE}/jobs/${job.key}`);
    }
    recordExport(db, { staffId, request, rows: estimate, jobKey: null, now: clock() });
    sendHeaders(res, exportFileName(request.kind, request.format, request.filters), request.format);
    try {
      await writeExport(db, request, res);
    } catch (err) {
      if (!res.headersSent) throw err;
      // The download has started: all that can be said now is that it broke.
      res.destroy();
    }
  });

  router.get(`${PAGE}/jobs/:key`, (req, res) => {
    const job = jobOf(req);
    // The page refreshes itself while the job works (no script: the CSP allows none inline).
    if (job.status === 'queued' || job.status === 'running') res.set('Refresh', '2');
    res.locals.pagePath = `${PAGE}/jobs/${job.key}`;
    res.render('exports/job', { job: jobView(job, clock(), res.locals.lng as Language) });
  });

  router.get(`${PAGE}/jobs/:key/download`, async (req, res) => {
    const job = jobOf(req);
    // An expired file is gone, or about to be: housekeeping deletes it after 7 days.
    if (job.status !== 'done' || isExpired(job, clock())) throw AppError.notFound();
    const file = jobs.fileOf(job);
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat?.isFile()) throw AppError.notFound();
    sendHeaders(res, job.fileName ?? `export.${job.format}`, job.format);
    res.set('Content-Length', String(stat.size));
    await pipeline(fs.createReadStream(file), res).catch(() => res.destroy());
  });

  function jobOf(req: Request): ExportJob {
    const key = req.params.key;
    const job = isJobKey(key) ? jobs.find(key) : null;
    if (!job) throw AppError.notFound();
    return job;
  }

  function renderForm(res: Response, status: number, input: ExportInput, errors: ExportErrors, choices: ExportChoices = exportChoices(db)) {
    res.locals.pagePath = PAGE;
    res.status(status).render('exports/index', {
      input,
      errors,
      choices,
      kinds: EXPORT_KINDS,
      formats: EXPORT_FORMATS,
      languages: LANGUAGES,
      threshold,
      recent: jobs.recent(currentStaff(res)!.id).map((job) => jobView(job, clock(), res.locals.lng as Language)),
    });
  }

  return router;
}

function sendHeaders(res: Response, fileName: string, format: 'csv' | 'xlsx') {
  res.attachment(fileName);
  res.set('Content-Type', CONTENT_TYPES[format]);
  res.set('Cache-Control', 'no-store');
}

function jobView(job: ExportJob, now: number, lng: Language) {
  const total = job.rowsTotal ?? 0;
  const percent = job.status === 'done' ? 100 : total > 0 ? Math.min(99, Math.floor((job.rowsDone * 100) / total)) : 0;
  return {
    key: job.key,
    kind: job.kind,
    format: job.format,
    status: job.status,
    rowsDone: job.rowsDone,
    rowsTotal: total,
    percent,
    /** the percentage as the page's language writes it */
    percentText: numberFormat(INTL_LOCALE[lng], { style: 'percent' }).format(percent / 100),
    /** done more than 7 days ago: the file is deleted, so there is nothing to download */
    expired: isExpired(job, now),
    fileName: job.fileName,
    error: job.error,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    href: `${PAGE}/jobs/${job.key}`,
    downloadHref: `${PAGE}/jobs/${job.key}/download`,
  };
}
