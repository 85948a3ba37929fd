// The customer's private ticket page at /t/<number>?k=<token>: timeline, messages,
// screenshots, replies and closing; and /tickets/lookup to get the link again.
// A wrong token gets the same 404 as a ticket that does not exist.
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError, type FieldErrors } from '../domain/errors';
import { MAX_SCREENSHOTS, cleanText, normalizeTicketNumber } from '../domain/ticket';
import type { Db } from '../db';
import { uploadedFiles, uploadProblemError, type UploadProblem } from '../uploads/middleware';
import type { FileStore } from '../uploads/store';
import {
  attachmentOf,
  attachmentsOf,
  findTicketByAccess,
  issuedDecisionsOf,
  messagesOf,
  orderIdsOf,
  statusHistoryOf,
  type Ticket,
} from './queries';
import { encodeUploads } from './screenshots';
import type { TicketService } from './service';
import type { TFunction } from 'i18next';
import { decisionLines } from '../decisions/wording';
import type { Formatters } from '../i18n/format';
import type { Decision } from '../review/facts';

export interface CustomerDeps {
  db: Db;
  store: FileStore;
  tickets: TicketService;
  publicUrl: string;
}

function tokenOf(req: Request): string {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.k;
  const value = typeof fromBody === 'string' ? fromBody : req.query.k;
  return typeof value === 'string' ? value : '';
}

export function customerRouter(deps: CustomerDeps, lookupLimit: express.RequestHandler) {
  const router = express.Router();

  // Load, then act: every /t/:number route needs the ticket and a valid token.
  const loadTicket = (req: Request, res: Response, next: NextFunction) => {
    const ticket = findTicketByAccess(deps.db, String(req.params.number), tokenOf(req));
    if (!ticket) return next(AppError.notFound());
    res.locals.ticket = ticket;
    res.locals.token = tokenOf(req);
    res.set('Cache-Control', 'private, no-store');
    return next();
  };

  const renderTicket = (
    res: Response,
    status = 200,
    reply = { body: '', errors: {} as FieldErrors },
    rating = { values: { rating: '', comment: '' }, errors: {} as FieldErrors },
  ) => {
    const ticket = res.locals.ticket as Ticket;
    res.locals.pagePath = `/t/${ticket.number}?k=${encodeURIComponent(res.locals.token as string)}`;
    res.status(status).render('tickets/show', {
      ticket,
      orderIds: orderIdsOf(deps.db, ticket.id),
      messages: messagesOf(deps.db, ticket.id, { includeInternal: false }),
      files: attachmentsOf(deps.db, ticket.id),
      history: statusHistoryOf(deps.db, ticket.id),
      reply,
      rating,
      decisions: issuedDecisionsOf(deps.db, ticket.id),
      decisionLines: (d: Decision) => decisionLines(d, res.locals.fmt as Formatters, res.locals.t as TFunction),
      publicUrl: deps.publicUrl,
      maxScreenshots: MAX_SCREENSHOTS,
      saved: res.locals.saved ?? null,
    });
  };

  router.get('/t/:number', loadTicket, (req, res) => {
    res.locals.saved = typeof req.query.saved === 'string' ? req.query.saved : null;
    renderTicket(res);
  });

  router.post('/t/:number/replies', loadTicket, async (req, res) => {
    const ticket = res.locals.ticket as Ticket;
    // Checked as it will be stored: invisible characters removed first.
    const body = typeof req.body?.body === 'string' ? cleanText(req.body.body).trim() : '';
    const errors: FieldErrors = {};
    if (!body) errors.body = { key: 'field.required' };
    else if (body.length > 5000) errors.body = { key: 'field.tooLong', params: { count: 5000 } };
    const problem = res.locals.uploadProblem as UploadProblem | undefined;
    let status = 422;
    let images: Awaited<ReturnType<typeof encodeUploads>> = { images: [] };
    if (problem) {
      const p = uploadProblemError(problem);
      errors.screenshots = p.error;
      status = p.status;
    } else {
      images = await encodeUploads(uploadedFiles(req));
      if ('error' in images) errors.screenshots = images.error;
    }
    if (Object.keys(errors).length > 0 || 'error' in images) {
      return renderTicket(res, status, { body: String(req.body?.body ?? ''), errors });
    }
    try {
      await deps.tickets.reply(ticket, body, images.images);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return renderTicket(res, 422, { body, errors: err.fields });
      throw err;
    }
    return res.redirect(303, `/t/${ticket.number}?k=${encodeURIComponent(tokenOf(req))}&saved=reply`);
  });

  router.post('/t/:number/rating', loadTicket, (req, res) => {
    const ticket = res.locals.ticket as Ticket;
    const values = { rating: String(req.body?.rating ?? ''), comment: String(req.body?.comment ?? '').slice(0, 5000) };
    try {
      deps.tickets.rate(ticket, Number(values.rating), values.comment);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return renderTicket(res, 422, undefined, { values, errors: err.fields });
      throw err;
    }
    return res.redirect(303, `/t/${ticket.number}?k=${encodeURIComponent(tokenOf(req))}&saved=rated`);
  });

  router.post('/t/:number/close', loadTicket, (req, res) => {
    const ticket = res.locals.ticket as Ticket;
    deps.tickets.close(ticket);
    res.redirect(303, `/t/${ticket.number}?k=${encodeURIComponent(tokenOf(req))}&saved=closed`);
  });

  router.get('/t/:number/files/:id', loadTicket, async (req, res) => {
    const ticket = res.locals.ticket as Ticket;
    const file = attachmentOf(deps.db, ticket.id, Number(req.params.id));
    if (!file) throw AppError.notFound();
    await sendAttachment(res, deps.store, file, req.query.size === 'thumb');
  });

  router.get('/tickets/lookup', (_req, res) => {
    res.render('tickets/lookup', { values: { email: '', number: '' }, errors: {}, sent: false });
  });

  router.post('/tickets/lookup', lookupLimit, (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim() : '';
    const numberText = typeof req.body?.number === 'string' ? req.body.number.trim() : '';
    const errors: FieldErrors = {};
    if (!email) errors.email = { key: 'field.required' };
    const number = normalizeTicketNumber(numberText);
    if (!numberText) errors.number = { key: 'field.required' };
    else if (!number) errors.number = { key: 'number.invalid' };
    if (Object.keys(errors).length > 0 || !number) {
      return res.status(422).render('tickets/lookup', { values: { email, number: numberText }, errors, sent: false });
    }
    deps.tickets.sendLink(email, number);
    // The same answer whether or not such a ticket exists.
    return res.render('tickets/lookup', { values: { email: '', number: '' }, errors: {}, sent: true });
  });

  return router;
}

export async function sendAttachment(
  res: Response,
  store: FileStore,
  file: { storageName: string; thumbName: string; mime: string },
  thumb: boolean,
) {
  const path = thumb ? await store.thumbnail(file) : store.pathOf(file.storageName);
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Cache-Control', 'private, max-age=3600');
  res.set('Content-Disposition', 'inline');
  res.type(thumb ? 'image/webp' : file.mime).sendFile(path);
}
