import { expect } from 'chai';
import { webhookBackoffMs } from '../../../server/webhooks/sender';

describe('webhook retry backoff', () => {
  const rows: [number, number][] = [
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [7, 1_920_000],
    [8, 3_600_000],
    [20, 3_600_000],
  ];
  for (const [attempts, base] of rows) {
    it(`When attempt ${attempts} failed, then the next waits ${base / 1000} s plus at most 10 %`, () => {
      expect(webhookBackoffMs(attempts, () => 0)).to.equal(base);
      expect(webhookBackoffMs(attempts, () => 0.999)).to.be.within(base, base * 1.1);
    });
  }
});
