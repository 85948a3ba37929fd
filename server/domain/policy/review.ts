// The review policy (DESIGN §4): a pure function from plain facts to the checklist,
// the eligible outcomes, a recommendation with its exact amount and rule, and flags.
// No IO, no clock: `now` is a fact like any other.
import { DAY_MS } from '../days';
import { stillOwed } from './amounts';
import { rejectReasonFor } from './reject-reasons';
import { byStatus, item, type StatusReview } from './statuses';
import type { Destination, Flag, Outcome, PolicyFacts, Review } from './types';

const MONEY: ReadonlySet<Outcome> = new Set(['full_refund', 'partial_refund']);

export function review(facts: PolicyFacts): Review {
  const draft = facts.reason === 'billing_error' ? billing(facts) : orderReview(facts);
  return finish(facts, acrossStatuses(facts, draft));
}

function orderReview(f: PolicyFacts): StatusReview {
  const order = f.order;
  if (!order || order.status === 'unknown') {
    return {
      checklist: [item('orderIdentified', true, null)],
      eligible: ['full_refund', 'partial_refund', 'refill', 'reject'],
      outcome: null,
      amountMicros: 0,
      destinations: ['balance'],
      rule: 'order.unknown',
      flags: ['order_unknown'],
    };
  }
  const owner = order.customerEmail === null ? null : order.customerEmail.toLowerCase() === f.ticket.email.toLowerCase();
  const draft = byStatus[order.status](f, order);
  return { ...draft, checklist: [item('customerOwnsOrder', true, owner === null ? null : owner ? 'pass' : 'fail'), ...draft.checklist] };
}

function billing(f: PolicyFacts): StatusReview {
  const verified = f.payment?.verified ?? false;
  const original = f.settings.originalMethodFor === 'billing_duplicate_unstarted' || (f.payment?.reversible ?? false);
  return {
    checklist: [item('paymentReferenceVerified', true, verified ? 'pass' : null)],
    eligible: ['full_refund', 'partial_refund', 'reject'],
    outcome: verified ? 'full_refund' : null,
    amountMicros: f.ticket.amountMicros ?? 0,
    destinations: original ? ['original_method', 'balance'] : ['balance'],
    rule: verified ? 'billing.refund' : 'billing.verifyPayment',
    flags: [],
  };
}

/** Rules that hold whatever the order's status: overlaps, the refund window, chargebacks. */
function acrossStatuses(f: PolicyFacts, d: StatusReview): StatusReview {
  let next = d;
  const money = next.outcome !== null && MONEY.has(next.outcome);
  if (f.overlapping && f.order) {
    next = { ...next, flags: [...next.flags, 'overlapping'] };
    if (money) {
      next =
        f.settings.overlapping === 'reject'
          ? { ...next, outcome: 'reject', amountMicros: 0, rule: 'overlapping.reject' }
          : { ...next, outcome: null, rule: 'overlapping.review' };
    }
  }
  const completedAt = f.order?.completedAt ?? null;
  if (f.reason !== 'billing_error' && completedAt !== null && f.ticket.createdAt - completedAt > f.settings.refundWindowDays * DAY_MS) {
    next = { ...next, flags: [...next.flags, 'outside_window'] };
    if (next.outcome !== null && MONEY.has(next.outcome)) {
      next = { ...next, outcome: 'reject', amountMicros: 0, rule: 'outsideWindow' };
    }
  }
  if (f.customer.chargeback) {
    next = { ...next, flags: [...next.flags, 'chargeback'], outcome: null, rule: 'chargeback.review' };
  }
  return next;
}

function finish(f: PolicyFacts, d: StatusReview): Review {
  const destinations: Destination[] = d.outcome === null || MONEY.has(d.outcome) ? d.destinations : [];
  const amount = d.outcome === 'reject' || d.outcome === 'refill' ? 0 : d.amountMicros;
  const fee = destinations[0] === 'original_method' && f.payment?.crypto ? Math.min(f.settings.cryptoFeeMicros, amount) : 0;
  return {
    checklist: d.checklist,
    eligible: d.eligible,
    recommendation: {
      outcome: d.outcome,
      amountMicros: stillOwed(amount, fee),
      feeMicros: fee,
      currency: f.order?.currency ?? f.ticket.currency ?? 'USD',
      destinations,
      rule: d.rule,
      rejectReason: d.outcome === 'reject' ? rejectReasonFor(d.rule) : null,
    },
    flags: [...new Set<Flag>(d.flags)],
  };
}
