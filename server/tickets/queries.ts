// Reads about tickets. No writes here; services own those.
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { attachments, auditEvents, decisions, messages, staffUsers, ticketAccessTokens, ticketOrders, tickets } from '../../db/schema';
import type { Db } from '../db';
import { OPEN_STATUSES } from '../domain/ticket';
import { hashToken } from '../security/tokens';

export type Ticket = typeof tickets.$inferSelect;

export function findTicketByNumber(db: Db, number: string): Ticket | null {
  return db.select().from(tickets).where(eq(tickets.number, number)).get() ?? null;
}

/** The ticket only when the token is one of its private-link tokens. */
export function findTicketByAccess(db: Db, number: string, token: string): Ticket | null {
  if (!token) return null;
  const row = db
    .select({ ticket: tickets })
    .from(ticketAccessTokens)
    .innerJoin(tickets, eq(tickets.id, ticketAccessTokens.ticketId))
    .where(and(eq(ticketAccessTokens.tokenHash, hashToken(token)), eq(tickets.number, number)))
    .get();
  return row?.ticket ?? null;
}

/** Open tickets already holding any of these orders. */
export function openTicketsForOrders(db: Db, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  return db
    .selectDistinct({ ticket: tickets, orderId: ticketOrders.orderId })
    .from(ticketOrders)
    .innerJoin(tickets, eq(tickets.id, ticketOrders.ticketId))
    .where(and(inArray(ticketOrders.orderId, orderIds), eq(ticketOrders.open, true)))
    .all();
}

export function countOpenTicketsForEmail(db: Db, email: string): number {
  return (
    db
      .select({ n: count() })
      .from(tickets)
      .where(and(eq(tickets.email, email), inArray(tickets.status, [...OPEN_STATUSES])))
      .get()?.n ?? 0
  );
}

export function orderIdsOf(db: Db, ticketId: number): string[] {
  return db
    .select({ orderId: ticketOrders.orderId })
    .from(ticketOrders)
    .where(eq(ticketOrders.ticketId, ticketId))
    .orderBy(asc(ticketOrders.orderId))
    .all()
    .map((r) => r.orderId);
}

export function messagesOf(db: Db, ticketId: number, opts: { includeInternal: boolean }) {
  const rows = db
    .select({ message: messages, authorName: staffUsers.name })
    .from(messages)
    .leftJoin(staffUsers, eq(staffUsers.id, messages.authorUserId))
    .where(eq(messages.ticketId, ticketId))
    .orderBy(asc(messages.id))
    .all();
  return rows.filter((r) => opts.includeInternal || !r.message.internal);
}

export function attachmentsOf(db: Db, ticketId: number) {
  return db.select().from(attachments).where(eq(attachments.ticketId, ticketId)).orderBy(asc(attachments.id)).all();
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
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.ticketId, ticketId))
    .orderBy(asc(auditEvents.id))
    .all()
    .filter((e) => e.toStatus !== null);
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
