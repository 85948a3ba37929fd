// Gathers the plain facts the review policy reads for each order of a ticket,
// and runs the policy: the only place that joins the database and the policy.
import { eq } from 'drizzle-orm';
import { customers, ticketOrders } from '../../db/schema';
import type { Db } from '../db';
import type { OrderStatus } from '../domain/order';
import { review } from '../domain/policy/review';
import type { OrderFacts, PolicyFacts, Review } from '../domain/policy/types';
import type { Reason } from '../domain/ticket';
import { findOrders, findProvider, findService, hasOverlap, isConnected, type Order, type Provider, type Service } from '../orders/queries';
import { readSettings } from '../settings/store';
import type { Ticket } from '../tickets/queries';

export interface OrderReview {
  orderId: string;
  order: Order | null;
  service: Service | null;
  provider: Provider | null;
  knownAtIntake: boolean;
  emailMatches: boolean | null;
  review: Review;
}

export interface TicketReview {
  orders: OrderReview[];
  /** billing problems without an order: the review of the disputed payment */
  payment: Review | null;
}

export function reviewTicket(db: Db, ticket: Ticket, now: number): TicketReview {
  const links = db
    .select()
    .from(ticketOrders)
    .where(eq(ticketOrders.ticketId, ticket.id))
    .orderBy(ticketOrders.orderId)
    .all();
  const known = findOrders(
    db,
    links.map((l) => l.orderId),
  );
  const settings = readSettings(db).policy;
  const chargeback =
    db.select({ flag: customers.chargebackFlag }).from(customers).where(eq(customers.id, ticket.customerId)).get()?.flag ??
    false;
  const base = {
    reason: ticket.reason as Reason,
    ticket: { email: ticket.email, createdAt: ticket.createdAt, amountMicros: ticket.amountMicros, currency: ticket.currency },
    customer: { chargeback },
    payment: null,
    currentCount: null,
    settings,
    now,
  };
  const reviews = links.map((link): OrderReview => {
    const order = known.get(link.orderId) ?? null;
    const service = findService(db, order?.serviceId ?? null);
    const provider = findProvider(db, order?.providerId ?? null);
    const facts: PolicyFacts = {
      ...base,
      order: order && orderFacts(order),
      service: service && { refillDays: service.refillDays, cancelAllowed: service.cancelAllowed },
      refundedMicros: order?.panelRefundedMicros ?? 0,
      overlapping: order !== null && hasOverlap(db, order, now),
      provider: {
        connected: isConnected(provider),
        liveStatus: order?.syncedAt ? order.status : null,
        cancel: null,
      },
    };
    return {
      orderId: link.orderId,
      order,
      service,
      provider,
      knownAtIntake: link.knownAtIntake,
      emailMatches: link.emailMatches,
      review: review(facts),
    };
  });
  const payment =
    links.length === 0
      ? review({
          ...base,
          order: null,
          service: null,
          refundedMicros: 0,
          overlapping: false,
          provider: { connected: false, liveStatus: null, cancel: null },
        })
      : null;
  return { orders: reviews, payment };
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
