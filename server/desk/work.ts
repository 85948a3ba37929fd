// Working a ticket: take, assign, release, public replies and internal notes,
// status changes, checklist ticks and merging a duplicate. Each write checks the
// ticket version the agent saw, and records audit events in the same transaction.
import { and, eq, inArray } from 'drizzle-orm';
import { attachments, checklistTicks, messages, staffUsers, ticketOrders, tickets } from '../../db/schema';
import type { StaffUser } from '../auth/sessions';
import { transaction, type Db } from '../db';
import { AppError } from '../domain/errors';
import { agentMoves, cleanText, slaOnStatusChange, type TicketStatus } from '../domain/ticket';
import type { OrderReview } from '../review/facts';
import { queueTicketEmail } from '../tickets/notify';
import { findTicketByNumber, openTicketsForOrders, orderIdsOf, type Ticket } from '../tickets/queries';
import { audit } from './audit';
import { bumpVersion } from './versions';

export interface WorkDeps {
  db: Db;
  clock: () => number;
  publicUrl: string;
}

export class WorkService {
  constructor(private readonly deps: WorkDeps) {}

  /**
   * Opening a new ticket puts it in review (DESIGN §3); no version: nobody edited anything.
   * Returns whether the ticket changed (and so must be read again).
   */
  opened(ticket: Ticket, staff: StaffUser): boolean {
    if (ticket.status !== 'new') return false;
    const { db, clock } = this.deps;
    const now = clock();
    return transaction(db, () => {
      const done = db
        .update(tickets)
        .set({ status: 'in_review', version: ticket.version + 1, updatedAt: now })
        .where(and(eq(tickets.id, ticket.id), eq(tickets.status, 'new')))
        .run();
      if (done.changes > 0) audit(db, { ticketId: ticket.id, staffId: staff.id, action: 'ticket.opened', from: 'new', to: 'in_review' }, now);
      return done.changes > 0;
    });
  }

  assign(ticket: Ticket, assigneeId: number | null, staff: StaffUser, version: number): void {
    const { db } = this.deps;
    if (assigneeId !== null) {
      const user = db.select().from(staffUsers).where(eq(staffUsers.id, assigneeId)).get();
      if (!user?.active) throw AppError.invalid({ assignee: { key: 'work.assigneeInvalid' } });
    }
    this.write(ticket, version, (now) => {
      db.update(tickets).set({ assigneeId }).where(eq(tickets.id, ticket.id)).run();
      if (ticket.status === 'new') this.move(ticket, 'in_review', staff, now);
      const action = assigneeId === null ? 'ticket.released' : assigneeId === staff.id ? 'ticket.taken' : 'ticket.assigned';
      audit(db, { ticketId: ticket.id, staffId: staff.id, action, data: { assigneeId } }, now);
    });
  }

  /** A public reply is emailed to the customer; an internal note never leaves the desk. */
  reply(ticket: Ticket, body: string, opts: { internal: boolean; waitForCustomer: boolean }, staff: StaffUser, version: number): void {
    const text = cleanText(body).trim();
    if (!text) throw AppError.invalid({ body: { key: 'field.required' } });
    if (text.length > 10_000) throw AppError.invalid({ body: { key: 'field.tooLong', params: { count: 10_000 } } });
    if (ticket.status === 'merged') throw AppError.invalid({ body: { key: 'work.merged' } });
    const { db, publicUrl } = this.deps;
    this.write(ticket, version, (now) => {
      db.insert(messages)
        .values({ ticketId: ticket.id, authorType: 'staff', authorUserId: staff.id, internal: opts.internal, body: text, createdAt: now })
        .run();
      if (opts.internal) {
        audit(db, { ticketId: ticket.id, staffId: staff.id, action: 'ticket.noteAdded' }, now);
        return;
      }
      if (ticket.firstRespondedAt === null) db.update(tickets).set({ firstRespondedAt: now }).where(eq(tickets.id, ticket.id)).run();
      audit(db, { ticketId: ticket.id, staffId: staff.id, action: 'ticket.replied' }, now);
      queueTicketEmail(db, publicUrl, 'staff-reply', ticket, now, { data: { body: text } });
      const next: TicketStatus | null = opts.waitForCustomer ? 'waiting_customer' : ticket.status === 'new' ? 'in_review' : null;
      if (next && next !== ticket.status) this.move(ticket, next, staff, now);
    });
  }

  setStatus(ticket: Ticket, to: TicketStatus, staff: StaffUser, version: number): void {
    if (!agentMoves(ticket.status).includes(to)) throw AppError.invalid({ status: { key: 'work.statusNotAllowed' } });
    this.write(ticket, version, (now) => this.move(ticket, to, staff, now));
  }

  /** Ticks or unticks a checklist item an agent checked by hand. */
  tick(ticket: Ticket, r: OrderReview, itemKey: string, checked: boolean, staff: StaffUser, version: number): void {
    if (!r.review.checklist.some((c) => c.key === itemKey)) throw AppError.invalid({ checklist: { key: 'work.unknownItem' } });
    const { db } = this.deps;
    this.write(ticket, version, (now) => {
      const where = and(eq(checklistTicks.ticketId, ticket.id), eq(checklistTicks.orderKey, r.key), eq(checklistTicks.itemKey, itemKey));
      if (checked) {
        db.insert(checklistTicks)
          .values({ ticketId: ticket.id, orderKey: r.key, itemKey, tickedBy: staff.id, tickedAt: now })
          .onConflictDoNothing()
          .run();
      } else db.delete(checklistTicks).where(where).run();
      audit(db, { ticketId: ticket.id, staffId: staff.id, action: checked ? 'checklist.ticked' : 'checklist.unticked', data: { order: r.key, item: itemKey } }, now);
    });
  }

  /** Merges this ticket (a duplicate) into `targetNumber`: its messages, screenshots and orders move there. */
  merge(ticket: Ticket, targetNumber: string, staff: StaffUser, version: number): Ticket {
    const { db } = this.deps;
    const target = findTicketByNumber(db, targetNumber.trim().toUpperCase());
    if (!target || target.id === ticket.id) throw AppError.invalid({ target: { key: 'work.mergeTargetInvalid' } });
    if (target.status === 'merged' || ticket.status === 'merged') throw AppError.invalid({ target: { key: 'work.mergeTargetInvalid' } });
    this.write(ticket, version, (now) => {
      db.update(messages).set({ ticketId: target.id }).where(eq(messages.ticketId, ticket.id)).run();
      db.update(attachments).set({ ticketId: target.id }).where(eq(attachments.ticketId, ticket.id)).run();
      // The duplicate's orders join the target (unless it already has them); the duplicate keeps none open.
      const own = db.select().from(ticketOrders).where(eq(ticketOrders.ticketId, ticket.id)).all();
      const already = new Set(
        db.select({ id: ticketOrders.orderId }).from(ticketOrders).where(eq(ticketOrders.ticketId, target.id)).all().map((r) => r.id),
      );
      db.update(ticketOrders).set({ open: false }).where(eq(ticketOrders.ticketId, ticket.id)).run();
      const moving = own.filter((o) => !already.has(o.orderId));
      if (moving.length > 0) {
        const targetOpen = target.status === 'new' || target.status === 'in_review' || target.status === 'waiting_customer';
        db.insert(ticketOrders)
          .values(moving.map((o) => ({ ...o, ticketId: target.id, open: targetOpen })))
          .run();
        db.delete(ticketOrders)
          .where(and(eq(ticketOrders.ticketId, ticket.id), inArray(ticketOrders.orderId, moving.map((o) => o.orderId))))
          .run();
      }
      db.update(tickets).set({ mergedIntoId: target.id }).where(eq(tickets.id, ticket.id)).run();
      this.move(ticket, 'merged', staff, now);
      db.update(tickets).set({ version: target.version + 1, updatedAt: now }).where(eq(tickets.id, target.id)).run();
      audit(db, { ticketId: target.id, staffId: staff.id, action: 'ticket.mergedIn', data: { from: ticket.number } }, now);
    });
    return target;
  }

  /** Runs a write at the version the agent saw, in one transaction. */
  private write(ticket: Ticket, version: number, fn: (now: number) => void): void {
    const { db, clock } = this.deps;
    const now = clock();
    transaction(db, () => {
      bumpVersion(db, ticket, version, now);
      fn(now);
    });
  }

  private move(ticket: Ticket, to: TicketStatus, staff: StaffUser, now: number): void {
    const { db } = this.deps;
    db.update(tickets)
      .set({
        status: to,
        ...slaOnStatusChange(ticket, to, now),
        ...(to === 'closed' ? { closedAt: now } : {}),
        ...(ticket.status === 'resolved' || ticket.status === 'closed' ? { resolvedAt: null, closedAt: null } : {}),
      })
      .where(eq(tickets.id, ticket.id))
      .run();
    if (to === 'closed' || to === 'merged') db.update(ticketOrders).set({ open: false }).where(eq(ticketOrders.ticketId, ticket.id)).run();
    if (ticket.status === 'closed' && to === 'in_review') {
      // Reopened: its orders count as open again, unless another open ticket took one meanwhile.
      const taken = openTicketsForOrders(db, orderIdsOf(db, ticket.id)).filter((o) => o.ticket.id !== ticket.id);
      if (taken.length > 0) {
        throw AppError.invalid({ status: { key: 'work.reopenTaken', params: { number: taken[0]!.ticket.number } } });
      }
      db.update(ticketOrders).set({ open: true }).where(eq(ticketOrders.ticketId, ticket.id)).run();
    }
    audit(db, { ticketId: ticket.id, staffId: staff.id, action: 'ticket.status', from: ticket.status, to }, now);
  }
}
