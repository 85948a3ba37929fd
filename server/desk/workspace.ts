// Everything the ticket workspace page shows, read in one place: the ticket, its
// customer, the thread, each order's review with its decision form, who else has
// it open, and the ready answers in the customer's language.
import type { StaffUser } from '../auth/sessions';
import { prepared, type Db } from '../db';
import type { FieldErrors } from '../domain/errors';
import { agentMoves, type Language } from '../domain/ticket';
import { maxPayable, prefilled, type DecisionValues } from '../decisions/form';
import { REJECT_REASONS } from '../domain/policy/reject-reasons';
import { formatters } from '../i18n/format';
import { allReviews, reviewTicket, type OrderReview, type TicketReview } from '../review/facts';
import { attachmentsOf, messagesOf, statusHistoryOf, type Ticket } from '../tickets/queries';

/** Agents who opened the ticket this recently are shown as "also viewing". */
export const VIEWING_MS = 2 * 60_000;

export interface FormState {
  /** which form the errors belong to: 'reply', 'status', 'assign', 'merge', or 'decision:<order key>' */
  form?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

/** Notes that the agent has the ticket open; written at most every 30 s per agent and ticket. */
export function recordView(db: Db, ticketId: number, userId: number, now: number): void {
  prepared(
    db,
    `INSERT INTO ticket_views (ticket_id, user_id, seen_at) VALUES (?, ?, ?)
     ON CONFLICT (ticket_id, user_id) DO UPDATE SET seen_at = excluded.seen_at WHERE seen_at < excluded.seen_at - 30000`,
  ).run(ticketId, userId, now);
}

export function workspace(db: Db, ticket: Ticket, staff: StaffUser, now: number, state: FormState = {}, cannedKey?: string) {
  const review = reviewTicket(db, ticket, now);
  const decisionForms = new Map<string, DecisionValues>(allReviews(review).map((r) => [r.key, prefilled(r)]));
  if (state.form?.startsWith('decision:') && state.values) decisionForms.set(state.form.slice(9), state.values as unknown as DecisionValues);
  const canned = cannedFor(db, ticket.language as Language);
  const chosen = canned.find((c) => c.key === cannedKey);
  return {
    ticket,
    orderIds: review.orders.map((o) => o.orderId),
    review,
    decisionForms,
    messages: messagesOf(db, ticket.id, { includeInternal: true }),
    files: attachmentsOf(db, ticket.id),
    history: statusHistoryOf(db, ticket.id),
    customer: customerPanel(db, ticket),
    viewers: viewers(db, ticket.id, staff.id, now),
    staffList: prepared(db, 'SELECT id, name FROM staff_users WHERE active = 1 ORDER BY name').all() as { id: number; name: string }[],
    assignee:
      ticket.assigneeId === null ? null : ((prepared(db, 'SELECT name FROM staff_users WHERE id = ?').pluck().get(ticket.assigneeId) as string | undefined) ?? null),
    moves: agentMoves(ticket.status),
    canned,
    replyBody: state.form === 'reply' ? (state.values?.body ?? '') : chosen ? fillCanned(chosen.body, ticket, review) : '',
    form: state.form ?? null,
    errors: state.errors ?? {},
    values: state.values ?? {},
    rejectReasons: REJECT_REASONS,
    maxPayable: (r: OrderReview) => maxPayable(r, ticket.amountMicros),
    loadedAt: now,
  };
}

function customerPanel(db: Db, ticket: Ticket) {
  const customer = prepared(db, 'SELECT chargeback_flag AS chargeback, language FROM customers WHERE id = ?').get(ticket.customerId) as
    | { chargeback: number; language: string }
    | undefined;
  const others = prepared(
    db,
    'SELECT number, status, created_at AS createdAt, reason FROM tickets WHERE customer_id = ? AND id <> ? ORDER BY id DESC LIMIT 10',
  ).all(ticket.customerId, ticket.id) as { number: string; status: string; createdAt: number; reason: string }[];
  return { chargeback: customer?.chargeback === 1, language: customer?.language ?? ticket.language, others };
}

function viewers(db: Db, ticketId: number, me: number, now: number): string[] {
  return prepared(
    db,
    'SELECT s.name FROM ticket_views v JOIN staff_users s ON s.id = v.user_id WHERE v.ticket_id = ? AND v.user_id <> ? AND v.seen_at > ?',
  )
    .pluck()
    .all(ticketId, me, now - VIEWING_MS) as string[];
}

export function cannedFor(db: Db, language: Language) {
  return prepared(db, 'SELECT key, title, body FROM canned_responses WHERE language = ? ORDER BY title').all(language) as {
    key: string;
    title: string;
    body: string;
  }[];
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
