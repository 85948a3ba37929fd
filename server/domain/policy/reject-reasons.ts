// The reasons a request can be refused (translated under policy:rejectReason), and
// which one each rejecting rule gives, so the decision form can prefill it.
export const REJECT_REASONS = [
  'delivery_started',
  'already_refunded',
  'outside_window',
  'no_refill_guarantee',
  'warranty_expired',
  'no_drop',
  'delivered',
  'customer_mistake',
  'overlapping_orders',
  'estimates_not_guarantees',
  'not_order_owner',
  'payment_not_found',
  'other',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

const BY_RULE: Record<string, RejectReason> = {
  'pending.cancelRejected': 'delivery_started',
  'processing.cannotStop': 'delivery_started',
  'inProgress.deliveryStarted': 'delivery_started',
  alreadyRefunded: 'already_refunded',
  outsideWindow: 'outside_window',
  'completed.noRefillGuarantee': 'no_refill_guarantee',
  'completed.dropOutsideWarranty': 'warranty_expired',
  'completed.noDrop': 'no_drop',
  'completed.delivered': 'delivered',
  'customerMistake.noRefund': 'customer_mistake',
  'overlapping.reject': 'overlapping_orders',
  'slowDelivery.reject': 'estimates_not_guarantees',
};

/** The reject reason a rule gives; 'other' for a rule that does not reject by itself. */
export function rejectReasonFor(rule: string): RejectReason {
  return BY_RULE[rule] ?? 'other';
}

export function isRejectReason(value: unknown): value is RejectReason {
  return typeof value === 'string' && (REJECT_REASONS as readonly string[]).includes(value);
}
