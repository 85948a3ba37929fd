// The rules by order status (DESIGN §4's second table); review.ts adds what holds
// across statuses.
import type { OrderStatus } from '../order';
import type { Reason } from '../ticket';
import { stillOwed, undeliveredMicros } from './amounts';
import type { ChecklistItem, Destination, Flag, OrderFacts, Outcome, PolicyFacts } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MISTAKES: ReadonlySet<Reason> = new Set(['wrong_link', 'went_private']);
const QUALITY_DISPUTES: ReadonlySet<Reason> = new Set(['partial_delivery', 'other']);

export interface StatusReview {
  checklist: ChecklistItem[];
  eligible: Outcome[];
  outcome: Outcome | null;
  amountMicros: number;
  destinations: Destination[];
  rule: string;
  flags: Flag[];
}

type Rule = (f: PolicyFacts, o: OrderFacts) => StatusReview;

export function item(key: string, mandatory: boolean, evidence: ChecklistItem['evidence'], params?: ChecklistItem['params']): ChecklistItem {
  return params ? { key, mandatory, evidence, params } : { key, mandatory, evidence };
}


const cancelEvidence = (f: PolicyFacts) => (f.provider.cancel === 'accepted' ? 'pass' : f.provider.cancel === 'rejected' ? 'fail' : null);

/** Where a refund of an order that never started may go. */
function unstartedDestinations(f: PolicyFacts): Destination[] {
  return f.settings.originalMethodFor === 'billing_duplicate_unstarted' ? ['balance', 'original_method'] : ['balance'];
}

const draft = (d: Partial<StatusReview> & Pick<StatusReview, 'checklist' | 'eligible' | 'rule'>): StatusReview => ({
  outcome: null,
  amountMicros: 0,
  destinations: ['balance'],
  flags: [],
  ...d,
});

const pending: Rule = (f, o) => {
  const live = f.provider.connected && f.provider.liveStatus ? (f.provider.liveStatus === 'pending' ? 'pass' : 'fail') : null;
  const checklist = [item('statusStillPending', true, live), item('cancelSentToProvider', false, cancelEvidence(f))];
  if (f.reason === 'wrong_link') checklist.push(item('correctedLink', false, null));
  if (f.reason === 'duplicate_order') checklist.push(item('twinOrder', false, null));
  const refund = { outcome: 'full_refund' as const, amountMicros: stillOwed(o.chargeMicros, f.refundedMicros), destinations: unstartedDestinations(f) };
  const base = { checklist, eligible: ['full_refund', 'reject'] as Outcome[], flags: ['urgent'] as Flag[] };
  if (f.now - o.createdAt > f.settings.extendedPendingHours * HOUR) {
    return draft({ ...base, ...refund, rule: 'pending.serviceFailure', flags: ['urgent', 'service_failure'] });
  }
  // A cancel the provider refused settles it under either preset: delivery goes on.
  if (f.provider.cancel === 'rejected') return draft({ ...base, outcome: 'reject', rule: 'pending.cancelRejected' });
  if (f.settings.cancelPending === 'always') return draft({ ...base, ...refund, rule: 'pending.cancel' });
  if (f.provider.cancel === 'accepted') return draft({ ...base, ...refund, rule: 'pending.cancelAccepted' });
  return draft({ ...base, rule: 'pending.awaitCancel' });
};

/** Slow delivery while an order runs: reviewed by a person, or refused (estimates are not guarantees). */
function slow(f: PolicyFacts, base: Pick<StatusReview, 'checklist' | 'eligible'>): StatusReview {
  return f.settings.slowDelivery === 'reject'
    ? draft({ ...base, outcome: 'reject', rule: 'slowDelivery.reject' })
    : draft({ ...base, rule: 'slowDelivery.review' });
}

const processing: Rule = (f, o) => {
  const hours = Math.floor((f.now - o.createdAt) / HOUR);
  const untouched = o.remains === null ? null : o.remains >= o.quantity;
  const base = {
    checklist: [item('processingAge', true, null, { hours }), item('noDeliveryYet', true, untouched === null ? null : untouched ? 'pass' : 'fail')],
    eligible: ['full_refund', 'partial_refund', 'reject'] as Outcome[],
  };
  if (f.now - o.createdAt <= f.settings.stuckProcessingHours * HOUR) {
    return f.reason === 'slow_delivery' ? slow(f, base) : draft({ ...base, outcome: 'reject', rule: 'processing.cannotStop' });
  }
  if (untouched) {
    return draft({
      ...base,
      outcome: 'full_refund',
      amountMicros: stillOwed(o.chargeMicros, f.refundedMicros),
      destinations: unstartedDestinations(f),
      rule: 'processing.stuck',
      flags: ['service_failure'],
    });
  }
  return draft({ ...base, rule: 'processing.stuckPartlyDelivered' });
};

const inProgress: Rule = (f, o) => {
  const base = {
    checklist: [item('deliveredVsRemains', true, o.remains === null ? null : 'pass'), item('providerCancelAttempted', false, cancelEvidence(f))],
    eligible: ['partial_refund', 'reject'] as Outcome[],
  };
  if (MISTAKES.has(f.reason) && f.settings.customerMistakeAfterStart === 'none') {
    return draft({ ...base, outcome: 'reject', rule: 'customerMistake.noRefund' });
  }
  if (f.provider.cancel === 'accepted' && o.remains !== null) {
    const amount = stillOwed(undeliveredMicros(o.chargeMicros, o.remains, o.quantity), f.refundedMicros);
    return draft({ ...base, outcome: 'partial_refund', amountMicros: amount, rule: 'inProgress.cancelAccepted' });
  }
  if (f.reason === 'slow_delivery') return slow(f, base);
  return draft({ ...base, outcome: 'reject', rule: 'inProgress.deliveryStarted' });
};

const partial: Rule = (f, o) => {
  const amount = o.remains === null ? null : undeliveredMicros(o.chargeMicros, o.remains, o.quantity);
  const credited = amount !== null && amount > 0 && f.refundedMicros >= amount;
  const base = {
    checklist: [
      item('undeliveredComputed', true, amount === null ? null : 'pass', amount === null ? undefined : { amountMicros: amount }),
      item('noAutomaticRefund', true, credited ? 'fail' : 'pass'),
    ],
    eligible: ['partial_refund', 'reject'] as Outcome[],
  };
  if (amount === null) return draft({ ...base, rule: 'partial.remainsUnknown' });
  if (credited) return draft({ ...base, outcome: 'reject', rule: 'alreadyRefunded', flags: ['already_refunded'] });
  return draft({ ...base, outcome: 'partial_refund', amountMicros: stillOwed(amount, f.refundedMicros), rule: 'partial.undelivered' });
};

const completed: Rule = (f, o) => {
  const refillDays = f.service?.refillDays ?? 0;
  const inWarranty = o.completedAt === null ? null : refillDays > 0 && f.ticket.createdAt - o.completedAt <= refillDays * DAY;
  const dropped =
    f.currentCount === null || o.startCount === null ? null : f.currentCount < o.startCount + o.quantity;
  const base = {
    checklist: [
      item('refillWarranty', true, inWarranty === null ? null : inWarranty ? 'pass' : 'fail', { days: refillDays }),
      item('evidenceCompared', true, dropped === null ? null : dropped ? 'pass' : 'fail'),
    ],
    eligible: (refillDays > 0 ? ['refill', 'partial_refund', 'reject'] : ['partial_refund', 'reject']) as Outcome[],
  };
  if (f.reason === 'drop') {
    if (dropped === false) return draft({ ...base, outcome: 'reject', rule: 'completed.noDrop' });
    if (refillDays === 0) return draft({ ...base, outcome: 'reject', rule: 'completed.noRefillGuarantee' });
    if (inWarranty) return draft({ ...base, outcome: 'refill', rule: 'completed.dropInWarranty' });
    if (inWarranty === null) return draft({ ...base, rule: 'completed.completionUnknown' });
    return draft({ ...base, outcome: 'reject', rule: 'completed.dropOutsideWarranty' });
  }
  if (QUALITY_DISPUTES.has(f.reason)) return draft({ ...base, rule: 'completed.qualityDispute' });
  return draft({ ...base, outcome: 'reject', rule: 'completed.delivered' });
};

const canceled: Rule = (f, o) => {
  const credited = f.refundedMicros >= o.chargeMicros;
  const base = { checklist: [item('ledgerChecked', true, credited ? 'fail' : 'pass')], eligible: ['full_refund', 'reject'] as Outcome[] };
  if (credited) return draft({ ...base, outcome: 'reject', rule: 'alreadyRefunded', flags: ['already_refunded'] });
  return draft({ ...base, outcome: 'full_refund', amountMicros: stillOwed(o.chargeMicros, f.refundedMicros), rule: 'canceled.notCredited' });
};

export const byStatus: Record<OrderStatus, Rule> = {
  pending,
  processing,
  in_progress: inProgress,
  partial,
  completed,
  canceled,
};
