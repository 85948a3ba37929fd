// How a decision reads for the customer (their ticket page and the email): lines
// of translation keys with their values, amounts already formatted and the reject
// reason already translated, for the customer's language.
import type { TFunction } from 'i18next';
import type { Formatters } from '../i18n/format';
import type { Decision } from '../review/facts';

export interface Line {
  key: string;
  params: Record<string, string>;
}

export function decisionLines(d: Decision, fmt: Formatters, t: TFunction): Line[] {
  const amount = fmt.money(d.amountMicros, d.currency);
  switch (d.outcome) {
    case 'full_refund':
    case 'partial_refund': {
      const lines: Line[] =
        d.destination === 'original_method'
          ? [{ key: 'emails:decision.originalRefund', params: { amount, method: d.method ?? '' } }]
          : [{ key: 'emails:decision.balanceCredit', params: { amount } }];
      if (d.feeMicros > 0) lines.push({ key: 'emails:decision.fee', params: { fee: fmt.money(d.feeMicros, d.currency) } });
      return lines;
    }
    case 'refill':
      return [{ key: 'emails:decision.refill', params: {} }];
    case 'reject':
      return [{ key: 'emails:decision.reject', params: { reason: t(`policy:rejectReason.${d.rejectReason ?? 'other'}`) } }];
  }
}
