// The review policy's parameters: two presets (DESIGN §4), each value editable.
export type PresetName = 'standard' | 'strict';

export interface PolicySettings {
  preset: PresetName;
  /** Cancel a pending order on request always, or only once the provider accepted the cancel. */
  cancelPending: 'always' | 'provider_accepts';
  /** Wrong link or went private, once delivery started: refund the undelivered part, or nothing. */
  customerMistakeAfterStart: 'undelivered' | 'none';
  /** Who may be refunded to the original payment method. */
  originalMethodFor: 'billing_duplicate_unstarted' | 'billing_reversible';
  extendedPendingHours: number;
  stuckProcessingHours: number;
  refundWindowDays: number;
  slowDelivery: 'manual_review' | 'reject';
  overlapping: 'review' | 'reject';
  /** Deducted from original-method refunds paid back in crypto (micro-units). */
  cryptoFeeMicros: number;
}

export const PRESETS: Record<PresetName, PolicySettings> = {
  standard: {
    preset: 'standard',
    cancelPending: 'always',
    customerMistakeAfterStart: 'undelivered',
    originalMethodFor: 'billing_duplicate_unstarted',
    extendedPendingHours: 24,
    stuckProcessingHours: 48,
    refundWindowDays: 30,
    slowDelivery: 'manual_review',
    overlapping: 'review',
    cryptoFeeMicros: 1_000_000,
  },
  strict: {
    preset: 'strict',
    cancelPending: 'provider_accepts',
    customerMistakeAfterStart: 'none',
    originalMethodFor: 'billing_reversible',
    extendedPendingHours: 24,
    stuckProcessingHours: 48,
    refundWindowDays: 7,
    slowDelivery: 'reject',
    overlapping: 'reject',
    cryptoFeeMicros: 1_000_000,
  },
};
