// Use cases of the customer side: file a ticket, reply, close, and get the private
// link again. Each write happens in one transaction together with its audit
// events and queued emails.
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { customers, messages, ticketOrders, tickets } from '../../db/schema';
import { audit } from '../desk/audit';
import { prepared, transaction, type Db } from '../db';
import { AppError, DuplicateOrders } from '../domain/errors';
import {
  formatTicketNumber,
  slaDueTimes,
  cleanText,
  slaOnStatusChange,
  statusAfterCustomerReply,
  type Language,
  type TicketStatus,
} from '../domain/ticket';
import type { EmailName } from '../mail/templates';
import { findOrders } from '../orders/queries';
import { readSettings } from '../settings/store';
import { hashToken, newToken } from '../security/tokens';
import type { FileStore } from '../uploads/store';
import type { EncodedImage } from '../uploads/images';
import type { IntakeInput } from './form';
import { countOpenTicketsForEmail, openTicketsForOrders, findTicketByNumber, type Ticket } from './queries';
import { privateLink, queueTicketEmail } from './notify';
import { claimStaged, insertAttachmentRows, withStoredFiles } from './screenshots';
import { enqueueWebhook } from '../webhooks/outbox';

export interface TicketDeps {
  db: Db;
  store: FileStore;
  clock: () => number;
  publicUrl: string;
}

export { privateLink };

export class TicketService {
  constructor(private readonly deps: TicketDeps) {}

  /** Files a ticket; staged screenshots of the form come with it. */
  create(input: IntakeInput, lng: Language, stageKey: string): { ticket: Ticket; token: string } {
    const { db, clock } = this.deps;
    const now = clock();
    const existing = openTicketsForOrders(db, input.orderIds);
    if (existing.length > 0) {
      this.resendForDuplicate(existing.map((e) => e.ticket));
      throw new DuplicateOrders([...new Set(existing.map((e) => e.orderId))], [...new Set(existing.map((e) => e.ticket.number))]);
    }
    const settings = readSettings(db);
    if (countOpenTicketsForEmail(db, input.email) >= settings.maxOpenTicketsPerEmail) {
      throw new AppError(422, 'openTicketLimit', {
        email: { key: 'email.tooManyOpen', params: { count: settings.maxOpenTicketsPerEmail } },
      });
    }
    const token = newToken();
    try {
      const ticket = transaction(db, () => {
        const customer = this.upsertCustomer(input.email, lng, now);
        const row = db
          .insert(tickets)
          .values({
            number: this.freshNumber(),
            customerId: customer.id,
            email: input.email,
            language: lng,
            reason: input.reason,
            link: input.link,
            details: input.details,
            preferredResolution: input.preferredResolution,
            paymentReference: input.paymentReference,
            amountMicros: input.amountMicros,
            currency: input.amountMicros === null ? null : settings.currency,
            status: 'new',
            ...slaDueTimes(input.reason, now, settings.sla),
            createdAt: now,
            updatedAt: now,
          })
          .returning()
          .get();
        if (input.orderIds.length > 0) {
          // Link each order the desk knows, and note whether the ticket's email is its customer's.
          const known = findOrders(db, input.orderIds);
          const link = prepared(db, 'INSERT INTO ticket_orders (ticket_id, order_id, known_at_intake, email_matches) VALUES (?, ?, ?, ?)');
          for (const orderId of input.orderIds) {
            const order = known.get(orderId);
            link.run(row.id, orderId, order === undefined ? 0 : 1, order === undefined ? null : Number(order.customerEmail === input.email));
          }
        }
        this.saveToken(token, row.id, now);
        claimStaged(db, stageKey, row.id, now);
        this.audit(row.id, 'ticket.created', null, 'new', now);
        this.queueEmail('ticket-created', row, token, now);
        enqueueWebhook(db, 'ticket.created', { ticket: row.number, language: lng, reason: input.reason, orderIds: input.orderIds }, now);
        return row;
      });
      return { ticket, token };
    } catch (err) {
      // Another submit took one of these orders between our check and our insert.
      if (err instanceof Error && /UNIQUE constraint failed: ticket_orders\.order_id/.test(err.message)) {
        return this.create(input, lng, stageKey);
      }
      throw err;
    }
  }

  /** The customer's reply, with screenshots: re-opens a waiting or recently resolved ticket. */
  async reply(ticket: Ticket, text: string, images: { image: EncodedImage; originalName: string }[]) {
    const { db, clock, store } = this.deps;
    const body = cleanText(text).trim();
    const now = clock();
    const next = statusAfterCustomerReply(ticket.status, ticket.resolvedAt, now);
    if (next === null) throw AppError.invalid({ body: { key: 'reply.closed' } });
    return withStoredFiles(store, images, (stored) =>
      transaction(db, () => {
        const message = db
          .insert(messages)
          .values({ ticketId: ticket.id, authorType: 'customer', body, createdAt: now })
          .returning()
          .get();
        insertAttachmentRows(db, stored, { ticketId: ticket.id, messageId: message.id }, now);
        this.setStatus(ticket, next, 'customer', now, 'ticket.customerReplied');
        return message;
      }),
    );
  }

  /** After resolution the customer can rate it once: 1–5 stars and a comment. */
  rate(ticket: Ticket, rating: number, comment: string): void {
    if (ticket.resolvedAt === null && ticket.status !== 'resolved') throw AppError.invalid({ rating: { key: 'rating.invalid' } });
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw AppError.invalid({ rating: { key: 'rating.invalid' } });
    const text = cleanText(comment).trim();
    if (text.length > 2000) throw AppError.invalid({ comment: { key: 'field.tooLong', params: { count: 2000 } } });
    const now = this.deps.clock();
    transaction(this.deps.db, () => {
      this.deps.db
        .update(tickets)
        .set({ rating, ratingComment: text || null, ratedAt: now, updatedAt: now })
        .where(eq(tickets.id, ticket.id))
        .run();
      this.audit(ticket.id, 'ticket.rated', null, null, now);
    });
  }

  close(ticket: Ticket): void {
    if (ticket.status === 'closed' || ticket.status === 'merged') return;
    const now = this.deps.clock();
    transaction(this.deps.db, () => this.setStatus(ticket, 'closed', 'customer', now, 'ticket.closedByCustomer'));
  }

  /** Lookup: emails a fresh private link when email and number match; silent otherwise. */
  sendLink(email: string, number: string): void {
    const ticket = findTicketByNumber(this.deps.db, number);
    if (!ticket || ticket.email !== email.trim().toLowerCase()) return;
    this.resend(ticket);
  }

  private resendForDuplicate(existing: Ticket[]): void {
    const seen = new Set<number>();
    for (const t of existing) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      this.resend(t);
    }
  }

  private resend(ticket: Ticket): void {
    const { db, clock } = this.deps;
    const now = clock();
    const token = newToken();
    transaction(db, () => {
      this.saveToken(token, ticket.id, now);
      this.queueEmail('ticket-link', ticket, token, now);
    });
  }

  /** Stores a private-link token (only its hash) for the ticket. */
  private saveToken(token: string, ticketId: number, now: number): void {
    prepared(this.deps.db, 'INSERT INTO ticket_access_tokens (token_hash, ticket_id, created_at) VALUES (?, ?, ?)').run(hashToken(token), ticketId, now);
  }

  private setStatus(ticket: Ticket, to: TicketStatus, actor: 'customer' | 'system', now: number, action: string) {
    const { db } = this.deps;
    const changed = ticket.status !== to;
    db.update(tickets)
      .set({
        status: to,
        ...slaOnStatusChange(ticket, to, now),
        updatedAt: now,
        version: ticket.version + 1,
        ...(to === 'closed' ? { closedAt: now } : {}),
        ...(changed && ticket.status === 'resolved' ? { resolvedAt: null } : {}),
      })
      .where(eq(tickets.id, ticket.id))
      .run();
    if (to === 'closed' || to === 'merged') {
      db.update(ticketOrders).set({ open: false }).where(eq(ticketOrders.ticketId, ticket.id)).run();
    }
    this.audit(ticket.id, action, ticket.status, changed ? to : null, now, actor);
  }

  private audit(
    ticketId: number,
    action: string,
    from: TicketStatus | null,
    to: TicketStatus | null,
    now: number,
    actorType: 'customer' | 'system' = 'customer',
  ) {
    audit(this.deps.db, { ticketId, staffId: null, actorType, action, from, to }, now);
  }

  private queueEmail(name: EmailName, ticket: Ticket, token: string, now: number) {
    queueTicketEmail(this.deps.db, this.deps.publicUrl, name, ticket, now, { token });
  }

  private upsertCustomer(email: string, lng: Language, now: number) {
    return this.deps.db
      .insert(customers)
      .values({ email, language: lng, createdAt: now })
      .onConflictDoUpdate({ target: customers.email, set: { language: lng } })
      .returning()
      .get();
  }

  private freshNumber(): string {
    for (;;) {
      const number = formatTicketNumber(crypto.randomBytes(8));
      if (!prepared(this.deps.db, 'SELECT 1 FROM tickets WHERE number = ?').get(number)) return number;
    }
  }
}
