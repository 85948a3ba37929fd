// JSON shapes of the panel API: money as decimal strings, times as ISO 8601,
// rule and checklist texts in the caller's language beside their keys.
import type { TFunction } from 'i18next';
import { microsToDecimal } from '../domain/money';
import type { Review } from '../domain/policy/types';
import type { Order, Service } from '../orders/queries';
import type { Decision, OrderReview, TicketReview } from '../review/facts';
import type { Ticket } from '../tickets/queries';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function orderJson(o: Order, service: Service | null = null) {
  return {
    id: o.id,
    customerEmail: o.customerEmail,
    serviceId: o.serviceId,
    serviceName: service?.name ?? null,
    refillDays: service?.refillDays ?? null,
    cancelAllowed: service?.cancelAllowed ?? null,
    providerId: o.providerId,
    providerOrderId: o.providerOrderId,
    link: o.link,
    quantity: o.quantity,
    charge: microsToDecimal(o.chargeMicros),
    currency: o.currency,
    refunded: microsToDecimal(o.panelRefundedMicros),
    startCount: o.startCount,
    remains: o.remains,
    status: o.status,
    statusText: o.statusText,
    createdAt: iso(o.createdAt),
    completedAt: iso(o.completedAt),
    syncedAt: iso(o.syncedAt),
  };
}

export function reviewJson(r: Review, t: TFunction) {
  const rec = r.recommendation;
  return {
    recommendation: {
      outcome: rec.outcome,
      amount: microsToDecimal(rec.amountMicros),
      fee: microsToDecimal(rec.feeMicros),
      currency: rec.currency,
      destinations: rec.destinations,
      rule: rec.rule,
      explanation: t(`policy:rule.${rec.rule}`),
      rejectReason: rec.rejectReason,
      flags: r.flags,
    },
    eligibleOutcomes: r.eligible,
    checklist: r.checklist.map((c) => ({
      key: c.key,
      text: t(`policy:checklist.${c.key}`, c.params ?? {}),
      mandatory: c.mandatory,
      evidence: c.evidence,
    })),
  };
}

function ticketOrderJson(o: OrderReview, t: TFunction) {
  return {
    id: o.orderId,
    known: o.order !== null,
    knownAtIntake: o.knownAtIntake,
    emailMatches: o.emailMatches,
    order: o.order && orderJson(o.order, o.service),
    ...reviewJson(o.review, t),
    decision: decisionJson(o.decision),
  };
}

export function ticketJson(ticket: Ticket, review: TicketReview, t: TFunction) {
  return {
    number: ticket.number,
    status: ticket.status,
    language: ticket.language,
    email: ticket.email,
    reason: ticket.reason,
    link: ticket.link,
    details: ticket.details,
    preferredResolution: ticket.preferredResolution,
    paymentReference: ticket.paymentReference,
    amount: ticket.amountMicros === null ? null : microsToDecimal(ticket.amountMicros),
    currency: ticket.currency,
    createdAt: iso(ticket.createdAt),
    updatedAt: iso(ticket.updatedAt),
    firstResponseDueAt: iso(ticket.firstResponseDueAt),
    resolutionDueAt: iso(ticket.resolutionDueAt),
    resolvedAt: iso(ticket.resolvedAt),
    closedAt: iso(ticket.closedAt),
    orders: review.orders.map((o) => ticketOrderJson(o, t)),
    payment: review.payment && { ...reviewJson(review.payment.review, t), decision: decisionJson(review.payment.decision) },
  };
}

/** A decision as panels see it. Amount and fee are always sent; `state` tells whether they are final ('issued') or not yet. */
export function decisionJson(d: Decision | null) {
  if (!d) return null;
  return {
    id: d.id,
    orderId: d.orderId,
    state: d.state,
    outcome: d.outcome,
    destination: d.destination,
    amount: microsToDecimal(d.amountMicros),
    fee: microsToDecimal(d.feeMicros),
    currency: d.currency,
    method: d.method,
    reference: d.reference,
    rejectReason: d.rejectReason,
    rule: d.rule,
    override: d.overrideNote !== null,
    decidedAt: iso(d.decidedAt),
    issuedAt: iso(d.issuedAt),
  };
}

/** An issued decision in GET /api/v1/decisions: with its ticket and customer, for the panel to apply. */
export function issuedDecisionJson(d: Decision, ticket: string, customerEmail: string) {
  return { ...decisionJson(d)!, ticket, customerEmail };
}
