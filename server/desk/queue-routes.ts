// The agent's queue at /desk.
import express from 'express';
import { requireStaff } from '../auth/middleware';
import type { Db } from '../db';
import { listTicketsNewestFirst, orderIdsOf } from '../tickets/queries';

const PAGE_SIZE = 50;

export function queueRouter(deps: { db: Db }) {
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

  return router;
}
