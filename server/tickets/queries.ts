// Reads about tickets. No writes here; services own those.
import { and, asc, eq } from 'drizzle-orm';
import { attachments, auditEvents, decisions, messages, tickets } from '../../db/schema';
import { marks, prepared, rowReader, type Db } from '../db';
import { OPEN_STATUSES } from '../domain/ticket';
import { hashToken } from '../security/tokens';

export type Ticket = typeof tickets.$inferSelect;

// The pages read these on every request: plain prepared SQL (see rowReader in db.ts).
const T = rowReader(tickets, 't');
const M = rowReader(messages, 'm');
const A = rowReader(attachments, 'a');
const E = rowReader(auditEvents, 'e');

export function findTicketByNumber(db: Db, number: string): Ticket | null {
  const row = prepared(db, `SELECT ${T.select} FROM tickets t WHERE t.number = ?`).get(number) as Record<string, unknown> | undefined;
  return row ? T.map(row) : null;
}

/** The ticket only when the token is one of its private-link tokens. */
export function findTicketByAccess(db: Db, number: string, token: string): Ticket | null {
  if (!token) return null;
  const row = prepared(
    db,
    `SELECT ${T.select} FROM ticket_access_tokens k JOIN tickets t ON t.id = k.ticket_id WHERE k.token_hash = ? AND t.number = ?`,
  ).get(hashToken(token), number) as Record<string, unknown> | undefined;
  return row ? T.map(row) : null;
}

/** The open tickets holding any of these orders (checked on every intake: plain prepared SQL). */
export function openTicketsForOrders(db: Db, orderIds: string[]): { ticket: Ticket; orderId: string }[] {
  if (orderIds.length === 0) return [];
  const rows = prepared(
    db,
    `SELECT DISTINCT ${T.select}, x.order_id AS orderId FROM ticket_orders x JOIN tickets t ON t.id = x.ticket_id ` +
      `WHERE x.order_id IN (${marks(orderIds.length)}) AND x.open = 1`,
  ).all(...orderIds) as (Record<string, unknown> & { orderId: string })[];
  return rows.map((r) => ({ ticket: T.map(r), orderId: r.orderId }));
}

export function countOpenTicketsForEmail(db: Db, email: string): number {
  const row = prepared(db, `SELECT count(*) AS n FROM tickets WHERE email = ? AND status IN (${marks(OPEN_STATUSES.length)})`).get(
    email,
    ...OPEN_STATUSES,
  ) as { n: number };
  return row.n;
}

export function orderIdsOf(db: Db, ticketId: number): string[] {
  return prepared(db, 'SELECT order_id FROM ticket_orders WHERE ticket_id = ? ORDER BY order_id')
    .pluck()
    .all(ticketId) as string[];
}

export function messagesOf(db: Db, ticketId: number, opts: { includeInternal: boolean }) {
  const rows = prepared(
    db,
    `SELECT ${M.select}, s.name AS authorName FROM messages m LEFT JOIN staff_users s ON s.id = m.author_user_id WHERE m.ticket_id = ? ORDER BY m.id`,
  ).all(ticketId) as (Record<string, unknown> & { authorName: string | null })[];
  return rows
    .map((r) => ({ message: M.map(r), authorName: r.authorName }))
    .filter((r) => opts.includeInternal || !r.message.internal);
}

export function attachmentsOf(db: Db, ticketId: number) {
  return (prepared(db, `SELECT ${A.select} FROM attachments a WHERE a.ticket_id = ? ORDER BY a.id`).all(ticketId) as Record<string, unknown>[]).map(
    A.map,
  );
}

export function attachmentOf(db: Db, ticketId: number, attachmentId: number) {
  return (
    db
      .select()
      .from(attachments)
      .where(and(eq(attachments.ticketId, ticketId), eq(attachments.id, attachmentId)))
      .get() ?? null
  );
}

/** Status changes, oldest first: the ticket's timeline. */
export function statusHistoryOf(db: Db, ticketId: number) {
  const rows = prepared(db, `SELECT ${E.select} FROM audit_events e WHERE e.ticket_id = ? AND e.to_status IS NOT NULL ORDER BY e.id`).all(
    ticketId,
  ) as Record<string, unknown>[];
  return rows.map(E.map);
}


/** Decisions the customer may see: issued ones, in order. */
export function issuedDecisionsOf(db: Db, ticketId: number) {
  return db
    .select()
    .from(decisions)
    .where(and(eq(decisions.ticketId, ticketId), eq(decisions.state, 'issued')))
    .orderBy(asc(decisions.id))
    .all();
}

/** What happened to the ticket after `since` (the 409 page), with who did it. */
export function changesSince(db: Db, ticketId: number, since: number) {
  const rows = prepared(
    db,
    `SELECT ${E.select}, s.name AS staffName FROM audit_events e LEFT JOIN staff_users s ON s.id = e.actor_id WHERE e.ticket_id = ? AND e.at > ? ORDER BY e.id`,
  ).all(ticketId, since) as (Record<string, unknown> & { staffName: string | null })[];
  return rows.map((r) => ({ event: E.map(r), name: r.staffName }));
}
