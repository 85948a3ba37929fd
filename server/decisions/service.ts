// Issuing a decision, exactly once. A decision is first claimed (the database
// allows one live decision per order of a ticket, and the ticket version must
// match), then the provider is asked to cancel or refill when the agent chose
// to, then it is issued in one transaction with its ledger entry, audit events,
// the customer's email and the panel's webhook event.
import { and, eq, ne } from 'drizzle-orm';
import { decisions, ledgerEntries, providerActions, tickets } from '../../db/schema';
import { prepared, transaction, type Db } from '../db';
import { AppError } from '../domain/errors';
import { PAYMENT_KEY, type Decision, type OrderReview } from '../review/facts';
import type { StaffUser } from '../auth/sessions';
import { clientFor, providerConnection } from '../providers/connections';
import { describeFailure, type ProviderFailure } from '../providers/failures';
import type { FailureKind } from '../providers/transport';
import type { Ticket } from '../tickets/queries';
import { audit } from '../desk/audit';
import { bumpVersion } from '../desk/versions';
import { queueTicketEmail } from '../tickets/notify';
import { enqueueWebhook } from '../webhooks/outbox';
import { decisionJson } from '../api/present';
import type { DecisionInput } from './form';

export interface DecisionDeps {
  db: Db;
  secret: string;
  clock: () => number;
  publicUrl: string;
  providerTimeoutMs: number;
}

export type DecideResult =
  | { state: 'issued'; decision: Decision }
  | { state: 'awaiting_confirmation'; decision: Decision };

const MONEY = new Set(['full_refund', 'partial_refund']);
const STOPPABLE = new Set(['pending', 'processing', 'in_progress']);

export class DecisionService {
  constructor(private readonly deps: DecisionDeps) {}

  async decide(ticket: Ticket, r: OrderReview, input: DecisionInput, staff: StaffUser, version: number): Promise<DecideResult> {
    const claimed = this.claim(ticket, r, input, staff, version);
    const action = this.providerActionFor(r, input);
    if (!action) return { state: 'issued', decision: this.issue(claimed.id, staff.id) };

    const outcome = await this.callProvider(ticket, r, action, staff);
    if (outcome.outcome === 'accepted') return { state: 'issued', decision: this.issue(claimed.id, staff.id) };
    if (outcome.outcome === 'rejected') {
      this.void(claimed.id, staff.id, `provider.${action}Rejected`);
      const decision = outcome.message
        ? { key: `decision.provider.${action}Rejected`, params: { message: outcome.message } }
        : { key: `decision.provider.${action}Refused` };
      throw new AppError(422, 'decision.providerRejected', { decision });
    }
    const waiting = transaction(this.deps.db, () => {
      audit(this.deps.db, { ticketId: ticket.id, staffId: staff.id, action: 'decision.awaitingProvider', data: { orderId: r.orderId, action } }, this.deps.clock());
      return this.update(claimed.id, { state: 'awaiting_confirmation' });
    });
    return { state: 'awaiting_confirmation', decision: waiting };
  }

  /** A person checked the provider: the cancel or refill did happen (issue) or did not (void). */
  confirm(ticket: Ticket, decisionId: number, happened: boolean, staff: StaffUser, version: number): void {
    const d = this.deps.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.id, decisionId), eq(decisions.ticketId, ticket.id), eq(decisions.state, 'awaiting_confirmation')))
      .get();
    if (!d) throw AppError.notFound();
    // The version check and the write commit together (the inner transactions nest as savepoints).
    transaction(this.deps.db, () => {
      bumpVersion(this.deps.db, ticket, version, this.deps.clock());
      if (happened) this.issue(d.id, staff.id);
      else this.void(d.id, staff.id, 'decision.providerDidNotAct');
    });
  }

  private claim(ticket: Ticket, r: OrderReview, input: DecisionInput, staff: StaffUser, version: number): Decision {
    const { db, clock } = this.deps;
    const now = clock();
    const rec = r.review.recommendation;
    try {
      return transaction(db, () => {
        bumpVersion(db, ticket, version, now);
        return db
          .insert(decisions)
          .values({
            ticketId: ticket.id,
            orderKey: r.key,
            orderId: r.order ? r.orderId : null,
            state: 'claimed',
            outcome: input.outcome,
            destination: input.destination,
            amountMicros: MONEY.has(input.outcome) ? input.amountMicros : 0,
            feeMicros: input.feeMicros,
            currency: rec.currency,
            method: input.method,
            reference: input.reference,
            rejectReason: input.rejectReason,
            rule: rec.rule,
            recommendedOutcome: rec.outcome,
            overrideNote: input.note,
            orderStatus: r.order?.status ?? null,
            decidedBy: staff.id,
            decidedAt: now,
          })
          .returning()
          .get();
      });
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed: decisions\./.test(err.message)) {
        throw new AppError(409, 'decision.alreadyDecided');
      }
      throw err;
    }
  }

  private providerActionFor(r: OrderReview, input: DecisionInput): 'cancel' | 'refill' | null {
    if (!input.providerAction || !r.order || !r.provider?.apiUrl || !r.order.providerOrderId) return null;
    if (input.outcome === 'refill') return 'refill';
    if (MONEY.has(input.outcome) && STOPPABLE.has(r.order.status) && (r.service?.cancelAllowed ?? true)) return 'cancel';
    return null;
  }

  /** Sent once; the outcome is recorded whatever it is, and never retried here. */
  private async callProvider(ticket: Ticket, r: OrderReview, action: 'cancel' | 'refill', staff: StaffUser) {
    const { db, secret, clock, providerTimeoutMs } = this.deps;
    const order = r.order!;
    const connection = providerConnection(db, secret, order.providerId!);
    // `message` keeps only the provider's own words; everything else is a failure word the page translates.
    let outcome: { outcome: 'accepted' | 'rejected' | 'unknown'; message: string | null; failure: ProviderFailure | null; refillId: string | null };
    const failed = (kind: FailureKind, code: string, words: string) => ({
      outcome: kind === 'rejected' ? ('rejected' as const) : ('unknown' as const),
      ...describeFailure(code, words),
      refillId: null,
    });
    // Without a usable connection nothing was sent: unknown, for a person to check.
    if (!connection) outcome = { outcome: 'unknown', message: null, failure: 'noConnection', refillId: null };
    else {
      const client = clientFor(connection, providerTimeoutMs);
      if (action === 'refill') {
        const answer = await client.refill(order.providerOrderId!);
        outcome = answer.ok ? { outcome: 'accepted', message: null, failure: null, refillId: answer.value.refillId } : failed(answer.kind, answer.code, answer.message);
      } else {
        const answer = await client.cancel([order.providerOrderId!]);
        const item = answer.ok ? answer.value.get(order.providerOrderId!) : undefined;
        if (!answer.ok) outcome = failed(answer.kind, answer.code, answer.message);
        else if (item?.outcome === 'accepted') outcome = { outcome: 'accepted', message: null, failure: null, refillId: null };
        else if (item?.outcome === 'rejected' && item.error === null) outcome = { outcome: 'rejected', message: null, failure: 'refused', refillId: null };
        else if (item?.outcome === 'rejected') outcome = { outcome: 'rejected', message: item.error, failure: null, refillId: null };
        else outcome = failed('unknown', item?.code ?? 'not_mentioned', '');
      }
    }
    const now = clock();
    transaction(db, () => {
      db.insert(providerActions)
        .values({
          ticketId: ticket.id,
          orderId: r.orderId,
          providerId: order.providerId!,
          action,
          outcome: outcome.outcome,
          message: outcome.message,
          failure: outcome.failure,
          refillId: outcome.refillId,
          createdBy: staff.id,
          createdAt: now,
        })
        .run();
      audit(db, { ticketId: ticket.id, staffId: staff.id, action: `provider.${action}`, data: { orderId: r.orderId, outcome: outcome.outcome } }, now);
    });
    return outcome;
  }

  private issue(decisionId: number, staffId: number): Decision {
    const { db, clock } = this.deps;
    const now = clock();
    return transaction(db, () => {
      const d = this.update(decisionId, { state: 'issued', issuedAt: now });
      if (MONEY.has(d.outcome) && d.amountMicros > 0) {
        db.insert(ledgerEntries)
          .values({
            decisionId: d.id,
            ticketId: d.ticketId,
            orderId: d.orderId,
            kind: d.destination === 'original_method' ? 'original_method_refund' : 'balance_credit',
            amountMicros: d.amountMicros,
            currency: d.currency,
            createdAt: now,
          })
          .run();
      }
      const ticket = db.select().from(tickets).where(eq(tickets.id, d.ticketId)).get()!;
      audit(db, { ticketId: d.ticketId, staffId, action: 'decision.issued', data: { decisionId: d.id, orderId: d.orderId, outcome: d.outcome, amountMicros: d.amountMicros } }, now);
      queueTicketEmail(db, this.deps.publicUrl, 'decision', ticket, now, { data: { decision: d, reference: ticket.paymentReference } });
      enqueueWebhook(db, 'decision.issued', { ticket: ticket.number, decision: decisionJson(d) }, now);
      this.resolveWhenComplete(ticket, staffId, now);
      return d;
    });
  }

  /** Every order (or the payment) has an issued decision → the ticket is resolved. */
  private resolveWhenComplete(ticket: Ticket, staffId: number, now: number) {
    const { db } = this.deps;
    if (ticket.status === 'resolved' || ticket.status === 'closed' || ticket.status === 'merged' || !everyOrderDecided(db, ticket.id)) return;
    db.update(tickets)
      .set({ status: 'resolved', resolvedAt: now, slaPausedAt: null, updatedAt: now, version: ticket.version + 1 })
      .where(eq(tickets.id, ticket.id))
      .run();
    audit(db, { ticketId: ticket.id, staffId, action: 'ticket.resolved', from: ticket.status, to: 'resolved' }, now);
    enqueueWebhook(db, 'ticket.resolved', { ticket: ticket.number }, now);
  }

  private void(decisionId: number, staffId: number, action: string) {
    const { db, clock } = this.deps;
    transaction(db, () => {
      const d = this.update(decisionId, { state: 'void' });
      audit(db, { ticketId: d.ticketId, staffId, action, data: { decisionId: d.id, orderId: d.orderId } }, clock());
    });
  }

  private update(id: number, changes: Partial<Decision>): Decision {
    return this.deps.db.update(decisions).set(changes).where(and(eq(decisions.id, id), ne(decisions.state, 'void'))).returning().get()!;
  }
}

/**
 * Each order of the ticket has an issued decision; a billing ticket without orders,
 * its payment (as allReviews counts them: the payment only when there are no orders).
 */
function everyOrderDecided(db: Db, ticketId: number): boolean {
  const row = prepared(
    db,
    `SELECT
       (SELECT count(*) FROM ticket_orders WHERE ticket_id = @ticket) AS orders,
       (SELECT count(*) FROM decisions d WHERE d.ticket_id = @ticket AND d.state = 'issued'
          AND d.order_key IN (SELECT order_id FROM ticket_orders WHERE ticket_id = @ticket)) AS decided,
       EXISTS (SELECT 1 FROM decisions d WHERE d.ticket_id = @ticket AND d.state = 'issued' AND d.order_key = @payment) AS paid`,
  ).get({ ticket: ticketId, payment: PAYMENT_KEY }) as { orders: number; decided: number; paid: number };
  return row.orders === 0 ? row.paid === 1 : row.decided >= row.orders;
}
