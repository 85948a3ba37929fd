// The staff side for now: a plain list of tickets, newest first, and each
// ticket's details with its screenshots. The real queue comes with the review work.
import express from 'express';
import type { Db } from '../db';
import { AppError } from '../domain/errors';
import { requireStaff } from '../auth/middleware';
import { sendAttachment } from '../tickets/customer-routes';
import {
  attachmentOf,
  attachmentsOf,
  findTicketByNumber,
  listTicketsNewestFirst,
  messagesOf,
  orderIdsOf,
  statusHistoryOf,
} from '../tickets/queries';
import type { FileStore } from '../uploads/store';

const PAGE_SIZE = 50;

export function deskRouter(deps: { db: Db; store: FileStore }) {
  const router = express.Router();
  router.use('/desk', requireStaff());

  router.get('/desk', (req, res) => {
    const before = Number(req.query.before);
    const rows = listTicketsNewestFirst(deps.db, {
      before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
      limit: PAGE_SIZE + 1,
    });
    const page = rows.slice(0, PAGE_SIZE);
    res.render('desk/index', {
      tickets: page.map((t) => ({ ...t, orderIds: orderIdsOf(deps.db, t.id) })),
      nextBefore: rows.length > PAGE_SIZE ? page[page.length - 1]!.id : null,
    });
  });

  router.get('/desk/tickets/:number', (req, res) => {
    const ticket = findTicketByNumber(deps.db, req.params.number);
    if (!ticket) throw AppError.notFound();
    res.render('desk/ticket', {
      ticket,
      orderIds: orderIdsOf(deps.db, ticket.id),
      messages: messagesOf(deps.db, ticket.id, { includeInternal: true }),
      files: attachmentsOf(deps.db, ticket.id),
      history: statusHistoryOf(deps.db, ticket.id),
    });
  });

  router.get('/desk/tickets/:number/files/:id', (req, res) => {
    const ticket = findTicketByNumber(deps.db, req.params.number);
    const file = ticket ? attachmentOf(deps.db, ticket.id, Number(req.params.id)) : null;
    if (!file) throw AppError.notFound();
    sendAttachment(res, deps.store, file, req.query.size === 'thumb');
  });

  return router;
}
