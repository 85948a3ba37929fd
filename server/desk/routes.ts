// The ticket workspace page (its orders refreshed from their providers on open),
// the "refresh from provider" button and the ticket's screenshots for staff.
// The actions on a ticket are in work-routes.ts, the queue in queue-routes.ts.
import express from 'express';
import type { Db } from '../db';
import { AppError } from '../domain/errors';
import { currentStaff, requireStaff } from '../auth/middleware';
import { sendAttachment } from '../tickets/customer-routes';
import { attachmentOf, findTicketByNumber, orderIdsOf } from '../tickets/queries';
import type { FileStore } from '../uploads/store';
import type { OrderSync, SyncReport } from '../orders/sync';
import type { WorkService } from './work';
import { recordView, workspace } from './workspace';
import { OPEN_STATUSES } from '../domain/ticket';

/** Orders synced this recently are not asked for again when a ticket opens. */
const FRESH_MS = 60_000;
/** The page waits this long for providers, then shows what is stored (the refresh goes on). */
const REFRESH_WAIT_MS = 3_000;

export function deskRouter(deps: { db: Db; store: FileStore; sync: OrderSync; work: WorkService; clock: () => number }) {
  const router = express.Router();
  router.use('/desk', requireStaff());

  router.get('/desk/tickets/:number', async (req, res) => {
    const found = findTicketByNumber(deps.db, req.params.number);
    if (!found) throw AppError.notFound();
    const staff = currentStaff(res)!;
    const opened = deps.work.opened(found, staff) ? findTicketByNumber(deps.db, found.number)! : found;
    recordView(deps.db, opened.id, staff.id, deps.clock());
    const open = OPEN_STATUSES.includes(opened.status);
    const sync = open ? await within(deps.sync.refresh(orderIdsOf(deps.db, opened.id), FRESH_MS), REFRESH_WAIT_MS) : null;
    // While the page waited for the providers, someone else may have changed the ticket:
    // the page (and the version its forms carry) shows it as it is now.
    const ticket = sync === null ? opened : findTicketByNumber(deps.db, found.number)!;
    const canned = typeof req.query.canned === 'string' ? req.query.canned : undefined;
    res.render('desk/ticket', {
      ...workspace(deps.db, ticket, staff, deps.clock(), {}, canned),
      sync,
      query: { sync: req.query.sync === 'failed' ? 'failed' : null, provider: req.query.provider === 'unknown' ? 'unknown' : null },
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

  router.get('/desk/tickets/:number/files/:id', async (req, res) => {
    const ticket = findTicketByNumber(deps.db, req.params.number);
    const file = ticket ? attachmentOf(deps.db, ticket.id, Number(req.params.id)) : null;
    if (!file) throw AppError.notFound();
    await sendAttachment(res, deps.store, file, req.query.size === 'thumb');
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
