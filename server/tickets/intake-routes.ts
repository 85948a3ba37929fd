// The public intake form: GET shows it (prefilled from the query string), POST
// files the ticket or shows the form again with every error and all input kept.
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError, type FieldErrors } from '../domain/errors';
import { MAX_SCREENSHOTS, REASONS, PREFERRED_RESOLUTIONS, type Language } from '../domain/ticket';
import { newToken } from '../security/tokens';
import { uploadedFiles, uploadProblemError, type UploadProblem } from '../uploads/middleware';
import type { FileStore } from '../uploads/store';
import type { Db } from '../db';
import { intakeValues, parseIntake, type IntakeValues } from './form';
import { encodeUploads, listStaged, removeStaged, stageAttachments } from './screenshots';
import { privateLink, type TicketService } from './service';
import { findTicketByAccess } from './queries';


export interface IntakeDeps {
  db: Db;
  store: FileStore;
  tickets: TicketService;
  clock: () => number;
  publicUrl: string;
}

const STAGE_KEY = /^[\w-]{32,64}$/;

export function intakeRouter(deps: IntakeDeps) {
  const router = express.Router();

  const showForm = (req: Request, res: Response) =>
    renderForm(res, 200, { values: intakeValues(req.query as Record<string, unknown>), errors: {}, stageKey: '' });

  // The empty form is the same page for every visitor but for its CSRF token: it is
  // rendered once per language and address, and each request only puts its token in.
  const emptyForms = new Map<string, string>();
  const TOKEN_MARK = '__refunddesk_csrf_token__';
  const blankForm = (req: Request, res: Response, next: NextFunction) => {
    const plain = Object.keys(req.query).every((k) => k === 'lng') && !res.locals.staff;
    if (!plain || !req.app.enabled('view cache')) return showForm(req, res);
    const send = (html: string) => res.type('html').send(html.replaceAll(TOKEN_MARK, res.locals.csrfToken as string));
    const key = `${res.locals.lng as string}|${req.path}`;
    const cached = emptyForms.get(key);
    if (cached !== undefined) return send(cached);
    res.locals.pagePath = req.path;
    return res.render(
      'tickets/new',
      { ...formLocals({ values: intakeValues({}), errors: {}, stageKey: '' }, []), csrfToken: TOKEN_MARK },
      (err: Error | null, html: string) => {
        if (err) return next(err);
        emptyForms.set(key, html);
        return send(html);
      },
    );
  };
  router.get('/', blankForm);
  router.get('/tickets/new', blankForm);

  // The body was parsed (multipart, in memory) and its CSRF token checked in app.ts.
  router.post('/tickets', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = intakeValues(body);
    const stageKey = typeof body.stageKey === 'string' && STAGE_KEY.test(body.stageKey) ? body.stageKey : newToken();
    const now = deps.clock();
    await removeStaged(deps.db, deps.store, stageKey, idList(body.removeScreenshots));

    const { input, errors } = parseIntake(values);
    const fileError = await stageNewScreenshots(req, res, stageKey, now);
    if (fileError) errors.screenshots = fileError.error;
    if (!input || fileError) {
      return renderForm(res, fileError?.status ?? 422, { values, errors, stageKey });
    }
    try {
      const { ticket, token } = deps.tickets.create(input, res.locals.lng as Language, stageKey);
      return res.redirect(303, `/t/${ticket.number}/confirmation?k=${encodeURIComponent(token)}`);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) {
        return renderForm(res, 422, { values, errors: err.fields, stageKey });
      }
      throw err;
    }
  });

  router.get('/t/:number/confirmation', (req, res) => {
    const token = typeof req.query.k === 'string' ? req.query.k : '';
    const ticket = findTicketByAccess(deps.db, req.params.number, token);
    if (!ticket) throw AppError.notFound();
    res.render('tickets/confirmation', { ticket, link: privateLink(deps.publicUrl, ticket.number, token) });
  });

  router.get('/tickets/staged/:id', async (req, res) => {
    const stageKey = typeof req.query.s === 'string' ? req.query.s : '';
    const file = listStaged(deps.db, stageKey, deps.clock()).find((a) => a.id === Number(req.params.id));
    if (!file) throw AppError.notFound();
    res.set('Cache-Control', 'private, no-store');
    res.type('image/webp').sendFile(await deps.store.thumbnail(file));
  });

  /** Checks this request's files and stages them; returns the error to show instead, if any. */
  async function stageNewScreenshots(req: Request, res: Response, stageKey: string, now: number) {
    const problem = res.locals.uploadProblem as UploadProblem | undefined;
    if (problem) return uploadProblemError(problem);
    const files = uploadedFiles(req);
    if (files.length === 0) return null;
    if (listStaged(deps.db, stageKey, now).length + files.length > MAX_SCREENSHOTS) {
      return uploadProblemError('tooMany');
    }
    const encoded = await encodeUploads(files);
    if ('error' in encoded) return { status: 422, error: encoded.error };
    await stageAttachments(deps.db, deps.store, encoded.images, stageKey, now);
    return null;
  }

  function renderForm(
    res: Response,
    status: number,
    form: { values: IntakeValues; errors: FieldErrors; stageKey: string },
  ) {
    const staged = listStaged(deps.db, form.stageKey, deps.clock());
    res.locals.pagePath = '/tickets/new';
    res.status(status).render('tickets/new', formLocals(form, staged));
  }

  return router;
}

function formLocals(form: { values: IntakeValues; errors: FieldErrors; stageKey: string }, staged: unknown[]) {
  return { ...form, staged, reasons: REASONS, resolutions: PREFERRED_RESOLUTIONS, maxScreenshots: MAX_SCREENSHOTS };
}

export function idList(value: unknown): number[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
}
