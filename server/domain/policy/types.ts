// What the review policy reads (plain facts) and what it answers.
import type { OrderStatus } from '../order';
import type { Reason } from '../ticket';
import type { RejectReason } from './reject-reasons';
import type { PolicySettings } from './settings';

export type Outcome = 'full_refund' | 'partial_refund' | 'refill' | 'reject';
export type Destination = 'balance' | 'original_method';
export type Flag =
  | 'urgent'
  | 'service_failure'
  | 'outside_window'
  | 'already_refunded'
  | 'chargeback'
  | 'overlapping'
  | 'order_unknown';
/** What the provider said to a cancel request for this order, if one was sent. */
export type CancelResult = 'accepted' | 'rejected' | 'unknown' | null;

export interface OrderFacts {
  status: OrderStatus | 'unknown';
  customerEmail: string | null;
  quantity: number;
  chargeMicros: number;
  currency: string;
  startCount: number | null;
  remains: number | null;
  createdAt: number;
  completedAt: number | null;
}

export interface PolicyFacts {
  /** null when the order is not known to the desk. */
  order: OrderFacts | null;
  service: { refillDays: number; cancelAllowed: boolean } | null;
  reason: Reason;
  ticket: { email: string; createdAt: number; amountMicros: number | null; currency: string | null };
  /** Money the ledger already paid out for this order (including the panel's automatic refunds). */
  refundedMicros: number;
  customer: { chargeback: boolean };
  /** Another active order of the same customer runs on the same link. */
  overlapping: boolean;
  provider: { connected: boolean; liveStatus: OrderStatus | 'unknown' | null; cancel: CancelResult };
  /** For billing problems: the payment behind the reference, once an agent looked it up. */
  payment: { verified: boolean; reversible: boolean; crypto: boolean } | null;
  /** The count on the target now, when someone recorded it. */
  currentCount: number | null;
  settings: PolicySettings;
  now: number;
}

export type Evidence = 'pass' | 'fail' | null;

export interface ChecklistItem {
  key: string;
  mandatory: boolean;
  /** What the desk could check by itself; null when a person must check. */
  evidence: Evidence;
  params?: Record<string, string | number>;
}

export interface Recommendation {
  /** null: no automatic answer, a person reviews (the rule says why). */
  outcome: Outcome | null;
  amountMicros: number;
  feeMicros: number;
  currency: string;
  destinations: Destination[];
  rule: string;
  /** Set when the outcome is reject: the reason shown to the customer. */
  rejectReason: RejectReason | null;
}

export interface Review {
  checklist: ChecklistItem[];
  eligible: Outcome[];
  recommendation: Recommendation;
  flags: Flag[];
}
