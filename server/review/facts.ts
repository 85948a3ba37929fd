// Gathers the plain facts the review policy reads for each order of a ticket,
// and runs the policy: the only place that joins the database and the policy.
import { decisions, providerActions, ticketOrders } from '../../db/schema';
import { prepared, rowReader, type Db } from '../db';
import type { OrderStatus } from '../domain/order';
import { review } from '../domain/policy/review';
import type { OrderFacts, PolicyFacts, Review } from '../domain/policy/types';
import type { Reason } from '../domain/ticket';
import { findOrders, findProvider, findService, hasOverlap, isConnected, type Order, type Provider, type Service } from '../orders/queries';
import { readSettings } from '../settings/store';
import type { Ticket } from '../tickets/queries';

export type Decision = typeof decisions.$inferSelect;

const L = rowReader(ticketOrders, 'x');
const D = rowReader(decisions, 'd');
const A = rowReader(providerActions, 'a');
export type ProviderAction = typeof providerActions.$inferSelect;
export interface Tick {
  by: string;
  at: number;
}

/** The key decisions and checklist ticks use for a billing ticket without orders. */
export const PAYMENT_KEY = 'payment';

export interface OrderReview {
  /** the order ID, or PAYMENT_KEY */
  key: string;
  orderId: string;
  order: Order | null;
  service: Service | null;
  provider: Provider | null;
  knownAtIntake: boolean;
  emailMatches: boolean | null;
  review: Review;
  /** money already returned for the order: by the panel itself and by the desk's ledger */
  refundedMicros: number;
  /** checklist items an agent ticked, by item key */
  ticks: Map<string, Tick>;
  /** the live decision (not void), if any */
  decision: Decision | null;
  /** the last cancel or refill sent to the provider for this order */
  lastAction: ProviderAction | null;
}

export interface TicketReview {
  orders: OrderReview[];
  /** billing problems without an order: the review of the disputed payment */
  payment: OrderReview | null;
}

export function reviewTicket(db: Db, ticket: Ticket, now: number): TicketReview {
  const links = (prepared(db, `SELECT ${L.select} FROM ticket_orders x WHERE x.ticket_id = ? ORDER BY x.order_id`).all(ticket.id) as Record<string, unknown>[]).map(
    L.map,
  );
  const known = findOrders(
    db,
    links.map((l) => l.orderId),
  );
  const settings = readSettings(db).policy;
  const chargeback = prepared(db, 'SELECT chargeback_flag FROM customers WHERE id = ?').pluck().get(ticket.customerId) === 1;
  const base = {
    reason: ticket.reason as Reason,
    ticket: { email: ticket.email, createdAt: ticket.createdAt, amountMicros: ticket.amountMicros, currency: ticket.currency },
    customer: { chargeback },
    payment: null,
    currentCount: null,
    settings,
    now,
  };
  const ticks = ticksOf(db, ticket.id);
  const live = decisionsOf(db, ticket.id);
  const reviews = links.map((link): OrderReview => {
    const order = known.get(link.orderId) ?? null;
    const service = findService(db, order?.serviceId ?? null);
    const provider = findProvider(db, order?.providerId ?? null);
    const lastAction = lastActionOf(db, link.orderId);
    const cancel = lastActionOf(db, link.orderId, 'cancel');
    const refundedMicros = (order?.panelRefundedMicros ?? 0) + ledgerPaidFor(db, link.orderId);
    const facts: PolicyFacts = {
      ...base,
      order: order && orderFacts(order),
      service: service && { refillDays: service.refillDays, cancelAllowed: service.cancelAllowed },
      refundedMicros,
      overlapping: order !== null && hasOverlap(db, order, now),
      provider: {
        connected: isConnected(provider),
        liveStatus: order?.syncedAt ? order.status : null,
        cancel: cancel?.outcome ?? null,
      },
    };
    return {
      key: link.orderId,
      orderId: link.orderId,
      order,
      service,
      provider,
      knownAtIntake: link.knownAtIntake,
      emailMatches: link.emailMatches,
      review: review(facts),
      refundedMicros,
      ticks: ticks.get(link.orderId) ?? new Map(),
      decision: live.get(link.orderId) ?? null,
      lastAction,
    };
  });
  const payment: OrderReview | null =
    links.length === 0
      ? {
          key: PAYMENT_KEY,
          orderId: PAYMENT_KEY,
          order: null,
          service: null,
          provider: null,
          knownAtIntake: false,
          emailMatches: null,
          review: review({
            ...base,
            order: null,
            service: null,
            refundedMicros: 0,
            overlapping: false,
            provider: { connected: false, liveStatus: null, cancel: null },
          }),
          refundedMicros: 0,
          ticks: ticks.get(PAYMENT_KEY) ?? new Map(),
          decision: live.get(PAYMENT_KEY) ?? null,
          lastAction: null,
        }
      : null;
  return { orders: reviews, payment };
}

/** Every order of the ticket, and the payment review for a billing ticket without orders. */
export function allReviews(r: TicketReview): OrderReview[] {
  return r.payment ? [...r.orders, r.payment] : r.orders;
}

function ticksOf(db: Db, ticketId: number): Map<string, Map<string, Tick>> {
  const rows = prepared(
    db,
    `SELECT c.order_key AS orderKey, c.item_key AS itemKey, c.ticked_at AS at, s.name AS by
     FROM checklist_ticks c JOIN staff_users s ON s.id = c.ticked_by WHERE c.ticket_id = ?`,
  ).all(ticketId) as { orderKey: string; itemKey: string; at: number; by: string }[];
  const out = new Map<string, Map<string, Tick>>();
  for (const r of rows) {
    const m = out.get(r.orderKey) ?? new Map<string, Tick>();
    m.set(r.itemKey, { by: r.by, at: r.at });
    out.set(r.orderKey, m);
  }
  return out;
}

function decisionsOf(db: Db, ticketId: number): Map<string, Decision> {
  const rows = prepared(db, `SELECT ${D.select} FROM decisions d WHERE d.ticket_id = ? AND d.state <> 'void'`).all(ticketId) as Record<string, unknown>[];
  return new Map(rows.map((r) => D.map(r)).map((d) => [d.orderKey, d]));
}

/** Money the desk's ledger already paid for this order, on any ticket. */
function ledgerPaidFor(db: Db, orderId: string): number {
  return Number(prepared(db, 'SELECT coalesce(sum(amount_micros), 0) FROM ledger_entries WHERE order_id = ?').pluck().get(orderId));
}

function lastActionOf(db: Db, orderId: string, action?: 'cancel'): ProviderAction | null {
  const row = (
    action
      ? prepared(db, `SELECT ${A.select} FROM provider_actions a WHERE a.order_id = ? AND a.action = ? ORDER BY a.id DESC LIMIT 1`).get(orderId, action)
      : prepared(db, `SELECT ${A.select} FROM provider_actions a WHERE a.order_id = ? ORDER BY a.id DESC LIMIT 1`).get(orderId)
  ) as Record<string, unknown> | undefined;
  return row ? A.map(row) : null;
}

function orderFacts(o: Order): OrderFacts {
  return {
    status: o.status as OrderStatus | 'unknown',
    customerEmail: o.customerEmail,
    quantity: o.quantity,
    chargeMicros: o.chargeMicros,
    currency: o.currency,
    startCount: o.startCount,
    remains: o.remains,
    createdAt: o.createdAt,
    completedAt: o.completedAt,
  };
}
