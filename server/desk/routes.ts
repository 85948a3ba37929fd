// The staff side for now: a plain list of tickets, newest first, and each
// ticket's details with its screenshots and, per order, its facts (refreshed
// from the provider on open) and the review policy's checklist and
// recommendation. The real queue and the decisions come with the review work.
import express from 'express';
import type { Db } from '../db';
import { AppError } from '../domain/errors';
import { requireStaff } from '../auth/middleware';
import { sendAttachment } from '../tickets/customer-routes';
import {
  attachmentOf,
  attachmentsOf,
  findTicketByNumber,
  messagesOf,
  orderIdsOf,
  statusHistoryOf,
} from '../tickets/queries';
import type { FileStore } from '../uploads/store';
import type { OrderSync, SyncReport } from '../orders/sync';
import { reviewTicket } from '../review/facts';
import { OPEN_STATUSES } from '../domain/ticket';

/** Orders synced this recently are not asked for again when a ticket opens. */
const FRESH_MS = 60_000;
/** The page waits this long for providers, then shows what is stored (the refresh goes on). */
const REFRESH_WAIT_MS = 3_000;

export function deskRouter(deps: { db: Db; store: FileStore; sync: OrderSync; clock: () => number }) {
  const router = express.Router();
  router.use('/desk', requireStaff());

  router.get('/desk/tickets/:number', async (req, res) => {
    const ticket = findTicketByNumber(deps.db, req.params.number);
    if (!ticket) throw AppError.notFound();
    const orderIds = orderIdsOf(deps.db, ticket.id);
    const open = OPEN_STATUSES.includes(ticket.status);
    const sync = open ? await within(deps.sync.refresh(orderIds, FRESH_MS), REFRESH_WAIT_MS) : null;
    res.render('desk/ticket', {
      ticket,
      orderIds,
      review: reviewTicket(deps.db, ticket, deps.clock()),
      sync,
      query: { sync: req.query.sync === 'failed' ? 'failed' : null },
      messages: messagesOf(deps.db, ticket.id, { includeInternal: true }),
      files: attachmentsOf(deps.db, ticket.id),
      history: statusHistoryOf(deps.db, ticket.id),
    });
  });

  // "Refresh from provider": asks again now, whatever the last sync time.
  router.post('/desk/tickets/:number/refresh', async (req, res) => {
    const ticket = findTicketByNumber(deps.db, req.params.number);
    if (!ticket) throw AppError.notFound();
    const report = await deps.sync.refresh(orderIdsOf(deps.db, ticket.id));
    const failed = report.failedProviders.length > 0 ? '?sync=failed' : '';
    res.redirect(303, `/desk/tickets/${ticket.number}${failed}`);
  });

  router.get('/desk/tickets/:number/files/:id', (req, res) => {
    const ticket = findTicketByNumber(deps.db, req.params.number);
    const file = ticket ? attachmentOf(deps.db, ticket.id, Number(req.params.id)) : null;
    if (!file) throw AppError.notFound();
    sendAttachment(res, deps.store, file, req.query.size === 'thumb');
  });

  return router;
}

/** The report when the refresh finished in time; 'pending' when it goes on without the page. */
async function within(refresh: Promise<SyncReport>, ms: number): Promise<SyncReport | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return await Promise.race([refresh, late]);
  } finally {
    clearTimeout(timer);
  }
}
