import { expect } from 'chai';
import { PRESETS } from '../../../server/domain/policy/settings';
import { PREVIEW_EXAMPLES, previewPolicy } from '../../../server/settings/policy-preview';

const NOW = Date.UTC(2026, 2, 1, 12);

describe('settings: the policy preview', () => {
  it('When the saved and the submitted settings are the same, then every example is unchanged', () => {
    const rows = previewPolicy(PRESETS.standard, PRESETS.standard, NOW);
    expect(rows.map((r) => r.example)).to.deep.equal(Object.keys(PREVIEW_EXAMPLES));
    expect(rows.filter((r) => r.changed)).to.deep.equal([]);
  });

  const outcome = (r: { outcome: string | null; amountMicros: number; rule: string; destinations: string[] }) =>
    `${r.outcome ?? 'review'} ${r.amountMicros} ${r.rule}${r.destinations.length > 0 ? ` → ${r.destinations.join('|')}` : ''}`;

  it('When standard is compared with strict, then each example shows the recommendation of either preset', () => {
    const rows = Object.fromEntries(previewPolicy(PRESETS.standard, PRESETS.strict, NOW).map((r) => [r.example, [outcome(r.current), outcome(r.proposed), r.changed]]));
    expect(rows).to.deep.equal({
      // Strict keeps the refund but no longer offers the original payment method for an order that never started.
      pending30h: ['full_refund 278190 pending.serviceFailure → balance|original_method', 'full_refund 278190 pending.serviceFailure → balance', true],
      pending2h: ['full_refund 278190 pending.cancel → balance|original_method', 'review 0 pending.awaitCancel → balance', true],
      processing50h: ['full_refund 278190 processing.stuck → balance|original_method', 'full_refund 278190 processing.stuck → balance', true],
      slowProcessing: ['review 0 slowDelivery.review → balance', 'reject 0 slowDelivery.reject', true],
      wrongLinkInProgress: ['partial_refund 111276 inProgress.cancelAccepted → balance', 'reject 0 customerMistake.noRefund', true],
      // 0.27819 × 157 ÷ 1000 = 0.04367583, rounded down to the micro-unit
      partial157: ['partial_refund 43675 partial.undelivered → balance', 'partial_refund 43675 partial.undelivered → balance', false],
      dropInWarranty: ['refill 0 completed.dropInWarranty', 'refill 0 completed.dropInWarranty', false],
      dropOutsideWarranty: ['reject 0 completed.dropOutsideWarranty', 'reject 0 completed.dropOutsideWarranty', false],
      overlapping: ['review 278190 overlapping.review → balance|original_method', 'reject 0 overlapping.reject', true],
      // The fee is deducted only where the money goes back to the original (crypto) method.
      cryptoBilling: ['full_refund 9000000 billing.refund → original_method|balance', 'full_refund 10000000 billing.refund → balance', true],
    });
  });

  it('When the limits are raised, then the pending and processing examples no longer qualify', () => {
    const longer = { ...PRESETS.standard, extendedPendingHours: 48, stuckProcessingHours: 72 };
    const rows = Object.fromEntries(previewPolicy(PRESETS.standard, longer, NOW).map((r) => [r.example, outcome(r.proposed)]));
    expect(rows.pending30h).to.equal('full_refund 278190 pending.cancel → balance|original_method');
    expect(rows.processing50h).to.equal('reject 0 processing.cannotStop');
  });
});
