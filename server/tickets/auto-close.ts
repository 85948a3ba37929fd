// Resolved tickets close by themselves after the reopen window (DESIGN §3): the
// customer can no longer reopen them by replying, and their orders are released.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { eq, inArray } from 'drizzle-orm';
import { ticketOrders, tickets } from '../../db/schema';
import { prepared, transaction, type Db } from '../db';
import { audit } from '../desk/audit';
import { REOPEN_WINDOW_MS } from '../domain/ticket';

/** Resolved tickets past a time, found through tickets_status_resolved_idx: a batch's worth (limit). */
export const DUE_FOR_CLOSING = "SELECT id, version FROM tickets WHERE status = 'resolved' AND resolved_at < ? LIMIT ?";

/** Closes one batch of tickets past the reopen window; returns how many. */
export function closeResolvedTickets(db: Db, now: number, batch = 50): number {
  const due = prepared(db, DUE_FOR_CLOSING).all(now - REOPEN_WINDOW_MS, batch) as { id: number; version: number }[];
  if (due.length === 0) return 0;
  transaction(db, () => {
    const ids = due.map((t) => t.id);
    for (const t of due) {
      db.update(tickets).set({ status: 'closed', closedAt: now, updatedAt: now, version: t.version + 1 }).where(eq(tickets.id, t.id)).run();
    }
    db.update(ticketOrders).set({ open: false }).where(inArray(ticketOrders.ticketId, ids)).run();
    for (const id of ids) {
      audit(db, { ticketId: id, staffId: null, actorType: 'system', action: 'ticket.autoClosed', from: 'resolved', to: 'closed' }, now);
    }
  });
  return due.length;
}

/**
 * Closes every ticket past the reopen window, a small batch per transaction with
 * a turn of the event loop between, so a backlog never stalls the pages.
 */
export async function closeAllResolvedTickets(db: Db, clock: () => number, batch = 50): Promise<number> {
  let total = 0;
  for (;;) {
    const closed = closeResolvedTickets(db, clock(), batch);
    total += closed;
    if (closed < batch) return total;
    await nextTurn();
  }
}
