// Everything the ticket workspace page shows, read in one place: the ticket, its
// customer, the thread, each order's review with its decision form, who else has
// it open, and the ready answers in the customer's language.
import { and, desc, eq, gt, ne } from 'drizzle-orm';
import { cannedResponses, customers, staffUsers, tickets, ticketViews } from '../../db/schema';
import type { StaffUser } from '../auth/sessions';
import type { Db } from '../db';
import type { FieldErrors } from '../domain/errors';
import { agentMoves, type Language } from '../domain/ticket';
import { prefilled, type DecisionValues } from '../decisions/form';
import { REJECT_REASONS } from '../domain/policy/reject-reasons';
import { formatters } from '../i18n/format';
import { allReviews, reviewTicket, type TicketReview } from '../review/facts';
import { attachmentsOf, messagesOf, orderIdsOf, statusHistoryOf, type Ticket } from '../tickets/queries';

/** Agents who opened the ticket this recently are shown as "also viewing". */
export const VIEWING_MS = 2 * 60_000;

export interface FormState {
  /** which form the errors belong to: 'reply', 'status', 'assign', 'merge', or 'decision:<order key>' */
  form?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

export function recordView(db: Db, ticketId: number, userId: number, now: number): void {
  db.insert(ticketViews)
    .values({ ticketId, userId, seenAt: now })
    .onConflictDoUpdate({ target: [ticketViews.ticketId, ticketViews.userId], set: { seenAt: now } })
    .run();
}

export function workspace(db: Db, ticket: Ticket, staff: StaffUser, now: number, state: FormState = {}, cannedKey?: string) {
  const review = reviewTicket(db, ticket, now);
  const decisionForms = new Map<string, DecisionValues>(allReviews(review).map((r) => [r.key, prefilled(r)]));
  if (state.form?.startsWith('decision:') && state.values) decisionForms.set(state.form.slice(9), state.values as unknown as DecisionValues);
  const canned = cannedFor(db, ticket.language as Language);
  const chosen = canned.find((c) => c.key === cannedKey);
  return {
    ticket,
    orderIds: orderIdsOf(db, ticket.id),
    review,
    decisionForms,
    messages: messagesOf(db, ticket.id, { includeInternal: true }),
    files: attachmentsOf(db, ticket.id),
    history: statusHistoryOf(db, ticket.id),
    customer: customerPanel(db, ticket),
    viewers: viewers(db, ticket.id, staff.id, now),
    staffList: db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.active, true)).orderBy(staffUsers.name).all(),
    assignee: ticket.assigneeId === null ? null : (db.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, ticket.assigneeId)).get()?.name ?? null),
    moves: agentMoves(ticket.status),
    canned,
    replyBody: state.form === 'reply' ? (state.values?.body ?? '') : chosen ? fillCanned(chosen.body, ticket, review) : '',
    form: state.form ?? null,
    errors: state.errors ?? {},
    values: state.values ?? {},
    rejectReasons: REJECT_REASONS,
    loadedAt: now,
  };
}

function customerPanel(db: Db, ticket: Ticket) {
  const customer = db.select().from(customers).where(eq(customers.id, ticket.customerId)).get();
  const others = db
    .select({ number: tickets.number, status: tickets.status, createdAt: tickets.createdAt, reason: tickets.reason })
    .from(tickets)
    .where(and(eq(tickets.customerId, ticket.customerId), ne(tickets.id, ticket.id)))
    .orderBy(desc(tickets.id))
    .limit(10)
    .all();
  return { chargeback: customer?.chargebackFlag ?? false, language: customer?.language ?? ticket.language, others };
}

function viewers(db: Db, ticketId: number, me: number, now: number): string[] {
  return db
    .select({ name: staffUsers.name })
    .from(ticketViews)
    .innerJoin(staffUsers, eq(staffUsers.id, ticketViews.userId))
    .where(and(eq(ticketViews.ticketId, ticketId), ne(ticketViews.userId, me), gt(ticketViews.seenAt, now - VIEWING_MS)))
    .all()
    .map((v) => v.name);
}

export function cannedFor(db: Db, language: Language) {
  return db
    .select({ key: cannedResponses.key, title: cannedResponses.title, body: cannedResponses.body })
    .from(cannedResponses)
    .where(eq(cannedResponses.language, language))
    .orderBy(cannedResponses.title)
    .all();
}

/**
 * {{orderId}} and {{amount}} come from the ticket's first order and its
 * recommendation, in the customer's language; {{link}} stays, and becomes the
 * customer's private link when the reply is emailed.
 */
export function fillCanned(body: string, ticket: Ticket, review: TicketReview): string {
  const first = allReviews(review)[0];
  const fmt = formatters(ticket.language as Language);
  const rec = first?.review.recommendation;
  const amount = rec && rec.amountMicros > 0 ? fmt.money(rec.amountMicros, rec.currency) : '';
  return body.replaceAll('{{orderId}}', first?.order ? first.orderId : (ticket.paymentReference ?? '')).replaceAll('{{amount}}', amount);
}
