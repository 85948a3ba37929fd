import { expect } from 'chai';
import { mapProviderStatus, mapRefillStatus, ORDER_STATUSES } from '../../../server/providers/order-status';

describe('provider status spellings', () => {
  const rows: [unknown, string][] = [
    ['Pending', 'pending'],
    ['pending', 'pending'],
    [' PENDING ', 'pending'],
    ['Processing', 'processing'],
    ['In progress', 'in_progress'],
    ['In Progress', 'in_progress'],
    ['inprogress', 'in_progress'],
    ['in_progress', 'in_progress'],
    ['In-Progress', 'in_progress'],
    ['  in   progress\t', 'in_progress'],
    ['Partial', 'partial'],
    ['Completed', 'completed'],
    ['Complete', 'completed'],
    ['COMPLETED', 'completed'],
    ['Canceled', 'canceled'],
    ['Cancelled', 'canceled'],
    ['Refunded', 'canceled'],
    ['Fail', 'unknown'],
    ['Failed', 'unknown'],
    ['Error', 'unknown'],
    ['Done', 'unknown'],
    ['', 'unknown'],
    ['constructor', 'unknown'],
    ['__proto__', 'unknown'],
    [null, 'unknown'],
    [undefined, 'unknown'],
    [3, 'unknown'],
    [{ status: 'Pending' }, 'unknown'],
  ];
  for (const [raw, expected] of rows) {
    it(`When a provider says ${JSON.stringify(raw) ?? 'undefined'}, then the order status is ${expected}`, () => {
      expect(mapProviderStatus(raw)).to.equal(expected);
    });
  }

  it('When every desk status is written the desk way, then it maps to itself', () => {
    for (const status of ORDER_STATUSES) expect(mapProviderStatus(status)).to.equal(status);
  });

  const refillRows: [unknown, string][] = [
    ['Pending', 'pending'],
    ['In progress', 'in_progress'],
    ['Completed', 'completed'],
    ['Rejected', 'rejected'],
    ['Error', 'unknown'],
    [42, 'unknown'],
  ];
  for (const [raw, expected] of refillRows) {
    it(`When a refill status is ${JSON.stringify(raw)}, then it maps to ${expected}`, () => {
      expect(mapRefillStatus(raw)).to.equal(expected);
    });
  }
});
