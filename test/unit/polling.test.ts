// The timer the background workers share: one pass at a time, and a pass that
// fails (even before its first await) is logged, never thrown out of the timer.
import { expect } from 'chai';
import { Poller } from '../../server/polling';
import { until } from '../support/loopback';

describe('poller', () => {
  it('When a pass throws at once, then run() rejects with it and a timed pass logs it and the timer goes on', async () => {
    const failures: unknown[] = [];
    let passes = 0;
    const poller = new Poller<number>(() => {
      passes += 1;
      throw new Error('database is locked');
    }, (err) => failures.push(err));
    let refused: unknown = null;
    await poller.run().catch((err: unknown) => (refused = err));
    expect(String(refused)).to.include('database is locked');
    poller.start(5);
    try {
      await until('two timed passes failed and were logged', () => failures.length >= 2);
    } finally {
      await poller.stop();
    }
    expect(failures.map(String)).to.satisfy((all: string[]) => all.every((f) => f.includes('database is locked')));
    expect(passes).to.be.at.least(3);
  });

  it('When run() is called while a pass is under way, then it joins that pass instead of starting another', async () => {
    let passes = 0;
    let finish: (n: number) => void = () => undefined;
    const poller = new Poller<number>(() => {
      passes += 1;
      return new Promise((resolve) => (finish = resolve));
    }, () => undefined);
    const first = poller.run();
    const second = poller.run();
    finish(7);
    expect(await Promise.all([first, second])).to.deep.equal([7, 7]);
    expect(passes).to.equal(1);
  });
});
