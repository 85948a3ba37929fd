import { expect } from 'chai';
import type { RefundRateGroup } from '../../../server/reports/queries';
import { moneyTotals, ratesBy } from '../../../server/reports/report';

const group = (g: Partial<RefundRateGroup>): RefundRateGroup => ({
  serviceId: 's1',
  serviceName: 'Followers',
  providerId: 'p1',
  providerName: 'Zeta',
  currency: 'USD',
  orders: 0,
  refundedOrders: 0,
  chargedMicros: 0,
  refundedMicros: 0,
  ...g,
});

describe('reports: refund rates from service × provider groups', () => {
  const groups = [
    group({ orders: 3, refundedOrders: 1, chargedMicros: 30_000_000, refundedMicros: 10_000_000 }),
    group({ providerId: 'p2', providerName: 'Alpha', orders: 1, refundedOrders: 1, chargedMicros: 10_000_000, refundedMicros: 10_000_000 }),
    group({ serviceId: 's2', serviceName: 'Views', providerId: 'p2', providerName: 'Alpha', orders: 4, refundedOrders: 0, chargedMicros: 8_000_000 }),
    group({ serviceId: null, serviceName: null, providerId: 'p1', orders: 2, refundedOrders: 2, chargedMicros: 2_000_000, refundedMicros: 500_000 }),
    group({ currency: 'EUR', orders: 1, refundedOrders: 0, chargedMicros: 5_000_000 }),
  ];

  it('When groups are summed by service, then each service and currency is one row, worst first, shares recomputed', () => {
    expect(ratesBy(groups, 'service').map((r) => [r.id, r.currency, r.orders, r.refundedOrders, r.chargedMicros, r.refundedMicros, r.orderShare, r.amountShare])).to.deep.equal([
      [null, 'USD', 2, 2, 2_000_000, 500_000, 1, 0.25],
      ['s1', 'USD', 4, 2, 40_000_000, 20_000_000, 0.5, 0.5],
      ['s2', 'USD', 4, 0, 8_000_000, 0, 0, 0],
      ['s1', 'EUR', 1, 0, 5_000_000, 0, 0, 0],
    ]);
  });

  it('When groups are summed by provider, then the services of one provider add up, worst first', () => {
    expect(ratesBy(groups, 'provider').map((r) => [r.name, r.currency, r.orders, r.refundedOrders, r.orderShare])).to.deep.equal([
      ['Zeta', 'USD', 5, 3, 0.6],
      ['Alpha', 'USD', 5, 1, 0.2],
      ['Zeta', 'EUR', 1, 0, 0],
    ]);
  });
});

describe('reports: money per currency from the weekly ledger rows', () => {
  it('When weeks and currencies are mixed, then each currency adds up its weeks, in currency order', () => {
    const week = (monday: number, currency: string, balance: number, original: number, entries: number) => ({
      monday,
      currency,
      balanceCreditMicros: balance,
      originalMethodMicros: original,
      micros: balance + original,
      entries,
    });
    const weeks = [week(20_150, 'USD', 10, 0, 1), week(20_150, 'EUR', 0, 5, 1), week(20_157, 'USD', 100, 1, 2)];
    expect(moneyTotals(weeks)).to.deep.equal([
      { currency: 'EUR', balanceCreditMicros: 0, originalMethodMicros: 5, entries: 1 },
      { currency: 'USD', balanceCreditMicros: 110, originalMethodMicros: 1, entries: 3 },
    ]);
    expect(moneyTotals([])).to.deep.equal([]);
  });
});
