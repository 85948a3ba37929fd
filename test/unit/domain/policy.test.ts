// The review policy, one row per scenario (DESIGN §4 and seeds 000–004).
import { expect } from 'chai';
import { parseMoney } from '../../../server/domain/money';
import { review } from '../../../server/domain/policy/review';
import { PRESETS, type PresetName } from '../../../server/domain/policy/settings';
import type { Flag, OrderFacts, Outcome, PolicyFacts } from '../../../server/domain/policy/types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 23, 12);

interface Change {
  order?: Partial<OrderFacts> | null;
  facts?: Partial<Omit<PolicyFacts, 'order' | 'settings'>>;
}

function facts(preset: PresetName, change: Change = {}): PolicyFacts {
  const order: OrderFacts = {
    status: 'pending',
    customerEmail: 'buyer@example.com',
    quantity: 1000,
    chargeMicros: 10_000_000,
    currency: 'USD',
    startCount: 3572,
    remains: 1000,
    createdAt: NOW - 2 * HOUR,
    completedAt: null,
  };
  return {
    order: change.order === null ? null : { ...order, ...change.order },
    service: { refillDays: 30, cancelAllowed: true },
    reason: 'changed_mind',
    ticket: { email: 'Buyer@Example.com', createdAt: NOW, amountMicros: null, currency: null },
    refundedMicros: 0,
    customer: { chargeback: false },
    overlapping: false,
    provider: { connected: false, liveStatus: null, cancel: null },
    payment: null,
    currentCount: null,
    settings: PRESETS[preset],
    now: NOW,
    ...change.facts,
  };
}

interface Expect {
  outcome: Outcome | null;
  rule: string;
  amount?: number;
  flags?: Flag[];
  destinations?: string[];
  fee?: number;
}

type Row = [string, PresetName[], Change, Expect];

const completedDaysAgo = (days: number, extra: Partial<OrderFacts> = {}): Partial<OrderFacts> => ({
  status: 'completed',
  remains: 0,
  createdAt: NOW - days * DAY - DAY,
  completedAt: NOW - days * DAY,
  ...extra,
});
const drop = (currentCount: number | null = 3600) => ({ reason: 'drop' as const, currentCount });
const both: PresetName[] = ['standard', 'strict'];

const rows: Row[] = [
  // pending
  ['a pending order the customer no longer wants', ['standard'], {}, { outcome: 'full_refund', rule: 'pending.cancel', amount: 10_000_000, flags: ['urgent'], destinations: ['balance', 'original_method'] }],
  ['a pending order, no cancel sent yet', ['strict'], {}, { outcome: null, rule: 'pending.awaitCancel', flags: ['urgent'] }],
  ['a pending order the provider agreed to cancel', ['strict'], { facts: { provider: { connected: true, liveStatus: 'pending', cancel: 'accepted' } } }, { outcome: 'full_refund', rule: 'pending.cancelAccepted', amount: 10_000_000, destinations: ['balance'] }],
  ['a pending order the provider refused to cancel', ['standard', 'strict'], { facts: { provider: { connected: true, liveStatus: 'pending', cancel: 'rejected' } } }, { outcome: 'reject', rule: 'pending.cancelRejected', amount: 0 }],
  ['an order pending 23 h 59 m', ['standard'], { order: { createdAt: NOW - 24 * HOUR + 60_000 } }, { outcome: 'full_refund', rule: 'pending.cancel', flags: ['urgent'] }],
  ['an order pending 24 h 01 m (service failure)', both, { order: { createdAt: NOW - 24 * HOUR - 60_000 } }, { outcome: 'full_refund', rule: 'pending.serviceFailure', flags: ['urgent', 'service_failure'] }],
  ['a wrong link on a pending order', ['standard'], { facts: { reason: 'wrong_link' } }, { outcome: 'full_refund', rule: 'pending.cancel' }],
  ['a duplicate pending order', ['standard'], { facts: { reason: 'duplicate_order' } }, { outcome: 'full_refund', rule: 'pending.cancel' }],
  ['an account gone private before start', ['standard'], { facts: { reason: 'went_private' } }, { outcome: 'full_refund', rule: 'pending.cancel' }],
  ['a pending order partly refunded already', ['standard'], { facts: { refundedMicros: 4_000_000 } }, { outcome: 'full_refund', rule: 'pending.cancel', amount: 6_000_000 }],
  // processing
  ['an order processing 47 h (cannot be stopped)', both, { order: { status: 'processing', createdAt: NOW - 47 * HOUR } }, { outcome: 'reject', rule: 'processing.cannotStop' }],
  ['an order processing 49 h with no delivery (stuck)', both, { order: { status: 'processing', createdAt: NOW - 49 * HOUR } }, { outcome: 'full_refund', rule: 'processing.stuck', amount: 10_000_000, flags: ['service_failure'] }],
  ['an order processing 49 h, partly delivered', both, { order: { status: 'processing', createdAt: NOW - 49 * HOUR, remains: 600 } }, { outcome: null, rule: 'processing.stuckPartlyDelivered' }],
  ['slow processing', ['standard'], { order: { status: 'processing' }, facts: { reason: 'slow_delivery' } }, { outcome: null, rule: 'slowDelivery.review' }],
  ['slow processing', ['strict'], { order: { status: 'processing' }, facts: { reason: 'slow_delivery' } }, { outcome: 'reject', rule: 'slowDelivery.reject' }],
  // in progress
  ['an order in progress whose cancel the provider accepted', both, { order: { status: 'in_progress', remains: 400 }, facts: { provider: { connected: true, liveStatus: 'in_progress', cancel: 'accepted' } } }, { outcome: 'partial_refund', rule: 'inProgress.cancelAccepted', amount: 4_000_000 }],
  ['an order in progress, no cancel', both, { order: { status: 'in_progress', remains: 400 } }, { outcome: 'reject', rule: 'inProgress.deliveryStarted' }],
  ['a wrong link found after delivery started', ['standard'], { order: { status: 'in_progress', remains: 400 }, facts: { reason: 'wrong_link', provider: { connected: true, liveStatus: null, cancel: 'accepted' } } }, { outcome: 'partial_refund', rule: 'inProgress.cancelAccepted', amount: 4_000_000 }],
  ['a wrong link found after delivery started', ['strict'], { order: { status: 'in_progress', remains: 400 }, facts: { reason: 'wrong_link', provider: { connected: true, liveStatus: null, cancel: 'accepted' } } }, { outcome: 'reject', rule: 'customerMistake.noRefund' }],
  ['an account gone private mid-delivery', ['strict'], { order: { status: 'in_progress', remains: 400 }, facts: { reason: 'went_private' } }, { outcome: 'reject', rule: 'customerMistake.noRefund' }],
  ['a wrong service in progress', both, { order: { status: 'in_progress', remains: 400 }, facts: { reason: 'wrong_service' } }, { outcome: 'reject', rule: 'inProgress.deliveryStarted' }],
  ['slow delivery in progress', ['strict'], { order: { status: 'in_progress', remains: 400 }, facts: { reason: 'slow_delivery' } }, { outcome: 'reject', rule: 'slowDelivery.reject' }],
  // partial
  ['a partial order (seed example 0.27819, 157 of 1000 left)', both, { order: { status: 'partial', chargeMicros: parseMoney('0.27819')!, remains: 157, completedAt: NOW - DAY } }, { outcome: 'partial_refund', rule: 'partial.undelivered', amount: 43_675 }],
  ['a partial order, a third undelivered (rounded down)', both, { order: { status: 'partial', chargeMicros: 1_000_000, quantity: 3, remains: 1, completedAt: NOW - DAY } }, { outcome: 'partial_refund', rule: 'partial.undelivered', amount: 333_333 }],
  ['a partial order the panel already refunded', both, { order: { status: 'partial', remains: 250, completedAt: NOW - DAY }, facts: { refundedMicros: 2_500_000 } }, { outcome: 'reject', rule: 'alreadyRefunded', flags: ['already_refunded'] }],
  // completed
  ['a drop inside the refill warranty', both, { order: completedDaysAgo(5), facts: drop() }, { outcome: 'refill', rule: 'completed.dropInWarranty', amount: 0, destinations: [] }],
  ['a drop on the last day of the warranty', ['standard'], { order: completedDaysAgo(30), facts: drop() }, { outcome: 'refill', rule: 'completed.dropInWarranty' }],
  ['a drop on the first day after the warranty', ['standard'], { order: completedDaysAgo(30.0001), facts: drop() }, { outcome: 'reject', rule: 'completed.dropOutsideWarranty' }],
  ['a drop on a service without refill', both, { order: completedDaysAgo(2), facts: { ...drop(), service: { refillDays: 0, cancelAllowed: false } } }, { outcome: 'reject', rule: 'completed.noRefillGuarantee' }],
  ['a claimed drop the count does not show', both, { order: completedDaysAgo(2), facts: drop(4572) }, { outcome: 'reject', rule: 'completed.noDrop' }],
  ['a completed order the customer regrets', both, { order: completedDaysAgo(1) }, { outcome: 'reject', rule: 'completed.delivered' }],
  ['a completed order said to be short (quality dispute)', both, { order: completedDaysAgo(1), facts: { reason: 'partial_delivery' } }, { outcome: null, rule: 'completed.qualityDispute' }],
  // canceled
  ['a canceled order not yet credited', both, { order: { status: 'canceled', completedAt: NOW - DAY } }, { outcome: 'full_refund', rule: 'canceled.notCredited', amount: 10_000_000, destinations: ['balance'] }],
  ['a canceled order the panel refunded', both, { order: { status: 'canceled', completedAt: NOW - DAY }, facts: { refundedMicros: 10_000_000 } }, { outcome: 'reject', rule: 'alreadyRefunded', flags: ['already_refunded'] }],
  // unknown
  ['an order the desk does not know', both, { order: null }, { outcome: null, rule: 'order.unknown', flags: ['order_unknown'] }],
  ['a provider status nobody maps ("Fail")', both, { order: { status: 'unknown' } }, { outcome: null, rule: 'order.unknown', flags: ['order_unknown'] }],
  // across statuses
  ['a request 30 days after a partial completion', ['standard'], { order: { status: 'partial', remains: 500, completedAt: NOW - 30 * DAY } }, { outcome: 'partial_refund', rule: 'partial.undelivered', amount: 5_000_000 }],
  ['a request 31 days after a partial completion', ['standard'], { order: { status: 'partial', remains: 500, completedAt: NOW - 31 * DAY } }, { outcome: 'reject', rule: 'outsideWindow', flags: ['outside_window'] }],
  ['a request 7 days after a partial completion', ['strict'], { order: { status: 'partial', remains: 500, completedAt: NOW - 7 * DAY } }, { outcome: 'partial_refund', rule: 'partial.undelivered' }],
  ['a request 8 days after a partial completion', ['strict'], { order: { status: 'partial', remains: 500, completedAt: NOW - 8 * DAY } }, { outcome: 'reject', rule: 'outsideWindow', flags: ['outside_window'] }],
  ['a customer flagged for chargeback', both, { order: { status: 'canceled', completedAt: NOW - DAY }, facts: { customer: { chargeback: true } } }, { outcome: null, rule: 'chargeback.review', flags: ['chargeback'] }],
  ['overlapping orders on one link', ['standard'], { facts: { overlapping: true } }, { outcome: null, rule: 'overlapping.review', flags: ['urgent', 'overlapping'] }],
  ['overlapping orders on one link', ['strict'], { order: { status: 'canceled', completedAt: NOW - DAY }, facts: { overlapping: true } }, { outcome: 'reject', rule: 'overlapping.reject', flags: ['overlapping'] }],
  // billing problems
  ['a billing error before the payment is verified', both, { order: null, facts: { reason: 'billing_error', ticket: { email: 'b@example.com', createdAt: NOW, amountMicros: 12_500_000, currency: 'USD' } } }, { outcome: null, rule: 'billing.verifyPayment' }],
  ['a verified billing error', ['standard'], { order: null, facts: { reason: 'billing_error', ticket: { email: 'b@example.com', createdAt: NOW, amountMicros: 12_500_000, currency: 'USD' }, payment: { verified: true, reversible: false, crypto: false } } }, { outcome: 'full_refund', rule: 'billing.refund', amount: 12_500_000, destinations: ['original_method', 'balance'] }],
  ['a verified billing error the gateway cannot reverse', ['strict'], { order: null, facts: { reason: 'billing_error', ticket: { email: 'b@example.com', createdAt: NOW, amountMicros: 12_500_000, currency: 'USD' }, payment: { verified: true, reversible: false, crypto: false } } }, { outcome: 'full_refund', rule: 'billing.refund', destinations: ['balance'] }],
  ['a verified billing error paid in crypto', both, { order: null, facts: { reason: 'billing_error', ticket: { email: 'b@example.com', createdAt: NOW, amountMicros: 12_500_000, currency: 'USDT' }, payment: { verified: true, reversible: true, crypto: true } } }, { outcome: 'full_refund', rule: 'billing.refund', amount: 11_500_000, fee: 1_000_000, destinations: ['original_method', 'balance'] }],
  ['a billing error long after the order', both, { order: completedDaysAgo(90), facts: { reason: 'billing_error', ticket: { email: 'b@example.com', createdAt: NOW, amountMicros: 5_000_000, currency: 'USD' }, payment: { verified: true, reversible: true, crypto: false } } }, { outcome: 'full_refund', rule: 'billing.refund', amount: 5_000_000 }],
];

describe('review policy', () => {
  for (const [scenario, presets, change, want] of rows) {
    for (const preset of presets) {
      it(`When ${scenario} (${preset}), then ${want.outcome ?? 'a person reviews'} by ${want.rule}`, () => {
        const { recommendation: r, flags } = review(facts(preset, change));
        expect({ outcome: r.outcome, rule: r.rule }).to.deep.equal({ outcome: want.outcome, rule: want.rule });
        if (want.amount !== undefined) expect(r.amountMicros).to.equal(want.amount);
        if (want.flags) expect(flags).to.have.members(want.flags);
        if (want.destinations) expect(r.destinations).to.deep.equal(want.destinations);
        expect(r.feeMicros).to.equal(want.fee ?? 0);
        if (r.outcome === 'reject' || r.outcome === 'refill') expect(r.amountMicros).to.equal(0);
      });
    }
  }

  const keys = (f: PolicyFacts) => review(f).checklist.map((i) => `${i.mandatory ? '*' : ''}${i.key}`);

  it('When a pending order is reviewed, then the checklist follows the status and the reason', () => {
    expect(keys(facts('standard'))).to.deep.equal(['*customerOwnsOrder', '*statusStillPending', 'cancelSentToProvider']);
    expect(keys(facts('standard', { facts: { reason: 'wrong_link' } }))).to.include('correctedLink');
    expect(keys(facts('standard', { facts: { reason: 'duplicate_order' } }))).to.include('twinOrder');
  });

  it('When each status is reviewed, then its mandatory items are those of DESIGN §4', () => {
    const by = (status: OrderFacts['status']) => keys(facts('standard', { order: { status, completedAt: NOW - DAY } })).filter((k) => k.startsWith('*'));
    expect(by('processing')).to.deep.equal(['*customerOwnsOrder', '*processingAge', '*noDeliveryYet']);
    expect(by('in_progress')).to.deep.equal(['*customerOwnsOrder', '*deliveredVsRemains']);
    expect(by('partial')).to.deep.equal(['*customerOwnsOrder', '*undeliveredComputed', '*noAutomaticRefund']);
    expect(by('completed')).to.deep.equal(['*customerOwnsOrder', '*refillWarranty', '*evidenceCompared']);
    expect(by('canceled')).to.deep.equal(['*customerOwnsOrder', '*ledgerChecked']);
    expect(keys(facts('standard', { order: null }))).to.deep.equal(['*orderIdentified']);
  });

  it('When the desk can check an item itself, then the item carries the evidence', () => {
    const evidence = (f: PolicyFacts, key: string) => review(f).checklist.find((i) => i.key === key)?.evidence;
    expect(evidence(facts('standard'), 'customerOwnsOrder')).to.equal('pass');
    expect(evidence(facts('standard', { facts: { ticket: { email: 'other@example.com', createdAt: NOW, amountMicros: null, currency: null } } }), 'customerOwnsOrder')).to.equal('fail');
    expect(evidence(facts('standard'), 'statusStillPending')).to.equal(null);
    expect(evidence(facts('standard', { facts: { provider: { connected: true, liveStatus: 'in_progress', cancel: null } } }), 'statusStillPending')).to.equal('fail');
    expect(evidence(facts('standard', { order: { status: 'partial', remains: 5, completedAt: NOW }, facts: { refundedMicros: 50_000 } }), 'noAutomaticRefund')).to.equal('fail');
  });

  it('When facts are the same, then the answer is the same (no hidden clock)', () => {
    const f = facts('standard', { order: { status: 'processing', createdAt: NOW - 49 * HOUR } });
    const first = review(f);
    // Far off, the time does change the answer: so a review reading the clock instead of facts.now would differ.
    const FAR = NOW + 400 * DAY;
    expect(review({ ...f, now: FAR })).to.not.deep.equal(first);
    const realNow = Date.now;
    Date.now = () => FAR;
    let second: ReturnType<typeof review>;
    try {
      second = review(structuredClone(f));
    } finally {
      Date.now = realNow;
    }
    expect(first).to.deep.equal(second);
  });
});
