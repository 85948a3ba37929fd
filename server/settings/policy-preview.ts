// "Effect previewed": a handful of typical requests run through the review policy
// under the saved settings and under the submitted ones, side by side. Plain facts
// only; nothing is read from or written to the database.
import { review } from '../domain/policy/review';
import type { PolicySettings } from '../domain/policy/settings';
import type { OrderFacts, PolicyFacts, Recommendation } from '../domain/policy/types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EMAIL = 'buyer@example.com';
// The partial order of the seeds: 1000 ordered for 0.27819, 157 never delivered.
const CHARGE = 278_190;

type Example = (now: number) => Omit<PolicyFacts, 'settings' | 'now'>;

function order(now: number, o: Partial<OrderFacts>): OrderFacts {
  return {
    status: 'pending',
    customerEmail: EMAIL,
    quantity: 1000,
    chargeMicros: CHARGE,
    currency: 'USD',
    startCount: 3572,
    remains: 1000,
    createdAt: now - 2 * HOUR,
    completedAt: null,
    ...o,
  };
}

function facts(now: number, f: Partial<Omit<PolicyFacts, 'settings' | 'now'>>): Omit<PolicyFacts, 'settings' | 'now'> {
  return {
    order: null,
    service: { refillDays: 30, cancelAllowed: true },
    reason: 'not_started',
    ticket: { email: EMAIL, createdAt: now, amountMicros: null, currency: null },
    refundedMicros: 0,
    customer: { chargeback: false },
    overlapping: false,
    provider: { connected: false, liveStatus: null, cancel: null },
    payment: null,
    currentCount: null,
    ...f,
  };
}

/** The examples, each under a key of settings:policy.preview.examples. */
export const PREVIEW_EXAMPLES: Record<string, Example> = {
  pending30h: (now) => facts(now, { order: order(now, { createdAt: now - 30 * HOUR }) }),
  pending2h: (now) => facts(now, { order: order(now, {}), reason: 'changed_mind' }),
  processing50h: (now) => facts(now, { order: order(now, { status: 'processing', createdAt: now - 50 * HOUR }) }),
  slowProcessing: (now) =>
    facts(now, { order: order(now, { status: 'processing', createdAt: now - 10 * HOUR }), reason: 'slow_delivery' }),
  wrongLinkInProgress: (now) =>
    facts(now, {
      order: order(now, { status: 'in_progress', createdAt: now - 5 * HOUR, remains: 400 }),
      reason: 'wrong_link',
      provider: { connected: true, liveStatus: 'in_progress', cancel: 'accepted' },
    }),
  partial157: (now) =>
    facts(now, {
      order: order(now, { status: 'partial', createdAt: now - 6 * DAY, remains: 157, completedAt: now - 5 * DAY }),
      reason: 'partial_delivery',
    }),
  dropInWarranty: (now) =>
    facts(now, {
      order: order(now, { status: 'completed', createdAt: now - 11 * DAY, remains: 0, completedAt: now - 10 * DAY }),
      reason: 'drop',
      currentCount: 3572 + 700,
    }),
  dropOutsideWarranty: (now) =>
    facts(now, {
      order: order(now, { status: 'completed', createdAt: now - 41 * DAY, remains: 0, completedAt: now - 40 * DAY }),
      reason: 'drop',
      currentCount: 3572 + 700,
    }),
  overlapping: (now) =>
    facts(now, { order: order(now, { status: 'processing', createdAt: now - 50 * HOUR }), reason: 'duplicate_order', overlapping: true }),
  cryptoBilling: (now) =>
    facts(now, {
      reason: 'billing_error',
      service: null,
      ticket: { email: EMAIL, createdAt: now, amountMicros: 10_000_000, currency: 'USD' },
      payment: { verified: true, reversible: false, crypto: true },
    }),
};

export interface PreviewRow {
  example: string;
  current: Recommendation;
  proposed: Recommendation;
  changed: boolean;
}

export function previewPolicy(current: PolicySettings, proposed: PolicySettings, now: number): PreviewRow[] {
  return Object.entries(PREVIEW_EXAMPLES).map(([example, make]) => {
    const base = make(now);
    const before = review({ ...base, settings: current, now }).recommendation;
    const after = review({ ...base, settings: proposed, now }).recommendation;
    return { example, current: before, proposed: after, changed: JSON.stringify(before) !== JSON.stringify(after) };
  });
}
