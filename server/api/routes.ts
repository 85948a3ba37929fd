// The panel API, /api/v1: thin handlers over the order store, the ticket service
// and the review. Bodies are JSON (tickets may also be multipart with screenshots).
import express, { type Response } from 'express';
import type { Logger } from 'pino';
import type { TFunction } from 'i18next';
import type { Db } from '../db';
import { issuedDecisionsAfter, type DecisionCursor } from '../decisions/queries';
import { AppError, DuplicateOrders } from '../domain/errors';
import { LANGUAGES, type Language } from '../domain/ticket';
import { findOrder, findService } from '../orders/queries';
import { MAX_ITEMS_PER_CALL, upsertOrders, upsertServices, type UpsertResult } from '../orders/store';
import { reviewTicket } from '../review/facts';
import { readSettings } from '../settings/store';
import { intakeValues, parseIntake } from '../tickets/form';
import { findTicketByNumber } from '../tickets/queries';
import { encodeUploads, listStaged, removeStaged, stageAttachments } from '../tickets/screenshots';
import { privateLink, type TicketService } from '../tickets/service';
import { uploadedFiles, uploadProblemError, screenshotUpload, type UploadProblem } from '../uploads/middleware';
import type { FileStore } from '../uploads/store';
import { newToken } from '../security/tokens';
import { ApiError, apiErrorHandler, apiNotFound, fieldMessages } from './errors';
import { apiAuth, apiRateLimit, requireScope } from './middleware';
import { issuedDecisionJson, orderJson, ticketJson } from './present';

export interface ApiDeps {
  db: Db;
  store: FileStore;
  tickets: TicketService;
  clock: () => number;
  publicUrl: string;
}

const tOf = (res: Response) => res.locals.t as TFunction;

/** /api/v1 whole: a bearer token first, then its rate limit, then JSON bodies; JSON errors only. */
export function apiRouter(deps: ApiDeps & { log: Logger; rateLimit: { max: number; windowMs: number } }) {
  const router = express.Router();
  router.use(apiAuth(deps.db, deps.clock));
  router.use(apiRateLimit(deps.rateLimit.max, deps.rateLimit.windowMs));
  router.use(express.json({ limit: '5mb' }));
  router.use(apiRoutes(deps));
  router.use(apiNotFound);
  router.use(apiErrorHandler(deps.log));
  return router;
}

export function apiRoutes(deps: ApiDeps) {
  const { db, clock } = deps;
  const router = express.Router();

  router.put('/services', requireScope('orders:write'), (req, res) => {
    const items = itemsOf(req.body);
    res.json(upsertAnswer(upsertServices(db, items, { now: clock() }), tOf(res)));
  });

  router.put('/orders', requireScope('orders:write'), (req, res) => {
    const items = itemsOf(req.body);
    res.json(upsertAnswer(upsertOrders(db, items, { now: clock(), currency: readSettings(db).currency }), tOf(res)));
  });

  router.get('/orders/:id', requireScope('orders:write', 'tickets:read'), (req, res) => {
    const order = findOrder(db, String(req.params.id));
    if (!order) throw new ApiError(404);
    res.json({ order: orderJson(order, findService(db, order.serviceId)) });
  });

  router.post('/tickets', requireScope('tickets:write'), screenshotUpload, async (req, res) => {
    const body = flatten(req.body);
    const language = LANGUAGES.find((l) => l === body.language) ?? (res.locals.lng as Language);
    const { input, errors } = parseIntake(intakeValues(body));
    const problem = res.locals.uploadProblem as UploadProblem | undefined;
    if (problem) {
      const { status, error } = uploadProblemError(problem);
      throw new ApiError(status === 413 ? 413 : 422, status === 413 ? 'payload_too_large' : 'validation_failed', {
        fields: fieldMessages(tOf(res), { screenshots: error }),
      });
    }
    if (!input) throw AppError.invalid(errors);
    const stageKey = newToken();
    const files = uploadedFiles(req);
    if (files.length > 0) {
      const encoded = await encodeUploads(files);
      if ('error' in encoded) throw AppError.invalid({ screenshots: encoded.error });
      await stageAttachments(db, deps.store, encoded.images, stageKey, clock());
    }
    try {
      const { ticket, token } = deps.tickets.create(input, language, stageKey);
      const review = reviewTicket(db, ticket, clock());
      res.status(201).json({
        ticket: ticketJson(ticket, review, tOf(res)),
        customerUrl: privateLink(deps.publicUrl, ticket.number, token),
      });
    } catch (err) {
      const staged = listStaged(db, stageKey, clock()).map((a) => a.id);
      await removeStaged(db, deps.store, stageKey, staged);
      if (err instanceof DuplicateOrders) {
        throw new ApiError(409, 'duplicate_order', { fields: fieldMessages(tOf(res), err.fields), orderIds: err.orderIds, tickets: err.tickets });
      }
      if (err instanceof AppError && err.code === 'openTicketLimit') {
        throw new ApiError(422, 'open_ticket_limit', { fields: fieldMessages(tOf(res), err.fields) });
      }
      throw err;
    }
  });

  router.get('/tickets/:number', requireScope('tickets:read'), (req, res) => {
    const ticket = findTicketByNumber(db, String(req.params.number).toUpperCase());
    if (!ticket) throw new ApiError(404);
    res.json({ ticket: ticketJson(ticket, reviewTicket(db, ticket, clock()), tOf(res)) });
  });

  // Issued decisions in the order they were issued; `next` is where to continue
  // from (kept even when nothing new came), so a panel can poll with it forever.
  router.get('/decisions', requireScope('decisions:read'), (req, res) => {
    const after = req.query.after === undefined ? null : parseCursor(req.query.after);
    const rows = issuedDecisionsAfter(db, after, pageLimit(req.query.limit));
    const last = rows[rows.length - 1];
    res.json({
      decisions: rows.map((r) => issuedDecisionJson(r.decision, r.ticket, r.customerEmail)),
      next: last ? encodeCursor({ issuedAt: last.decision.issuedAt!, id: last.decision.id }) : (after && encodeCursor(after)),
    });
  });

  return router;
}

export const MAX_DECISIONS_PAGE = 500;

/** Opaque to panels: base64url of "issuedAt:id" of the last decision they have. */
function encodeCursor(c: DecisionCursor): string {
  return Buffer.from(`${c.issuedAt}:${c.id}`).toString('base64url');
}

function parseCursor(value: unknown): DecisionCursor {
  const m = typeof value === 'string' && /^[\w-]{1,64}$/.test(value) ? /^(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(value, 'base64url').toString()) : null;
  if (!m) throw new ApiError(400, 'bad_cursor');
  const cursor = { issuedAt: Number(m[1]), id: Number(m[2]) };
  // base64url decoding forgives stray characters; only the exact encoding is accepted.
  if (encodeCursor(cursor) !== value) throw new ApiError(400, 'bad_cursor');
  return cursor;
}

/** 1 to 500, 100 when not given; more than 500 is served as 500. */
function pageLimit(value: unknown): number {
  if (value === undefined) return 100;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value) || Number(value) < 1) {
    throw new ApiError(400, 'bad_request', { parameter: 'limit', max: MAX_DECISIONS_PAGE });
  }
  return Math.min(Number(value), MAX_DECISIONS_PAGE);
}

/** A bulk body is a JSON array, or an object with an `items` array. */
function itemsOf(body: unknown): unknown[] {
  const items = Array.isArray(body) ? body : (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) throw new ApiError(400, 'items_required');
  if (items.length > MAX_ITEMS_PER_CALL) throw new ApiError(413, 'too_many_items', { max: MAX_ITEMS_PER_CALL, received: items.length });
  return items;
}

function upsertAnswer(r: UpsertResult, t: TFunction) {
  return {
    stored: r.created + r.updated + r.unchanged,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    errors: r.errors.map((e) => ({
      index: e.index,
      code: 'invalid_item',
      message: t('errors:api.invalid_item'),
      details: { fields: fieldMessages(t, e.fields) },
    })),
  };
}

/** JSON numbers and lists become the text a form would have sent. */
function flatten(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'number' ? String(v) : Array.isArray(v) ? v.map((x) => String(x)).join(',') : v,
    ]),
  );
}
