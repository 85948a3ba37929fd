import { expect } from 'chai';
import type { Logger } from 'pino';
import type { Db } from '../../../server/db';
import { OutboxWorker } from '../../../server/mail/outbox';
import type { Mailer } from '../../../server/mail/transport';
import { until } from '../../support/loopback';

describe('email outbox worker', () => {
  it('When a timed pass throws, then the error is logged, no rejection goes unhandled, and the next tick tries again', async () => {
    let reads = 0;
    // A database that fails every read, as a locked or closed one would.
    const db = {
      select() {
        reads += 1;
        throw new Error('database is locked');
      },
    } as unknown as Db;
    const logged: { obj: unknown; msg: string }[] = [];
    const log = { error: (obj: unknown, msg: string) => logged.push({ obj, msg }), warn: () => undefined } as unknown as Logger;
    const mailer = { send: () => Promise.resolve() } as unknown as Mailer;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const worker = new OutboxWorker(db, mailer, log, Date.now);
    try {
      worker.start(5);
      await until('a second timed pass after the first one failed', () => reads >= 2);
      await worker.stop();
      // Let a rejection left without a handler surface.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).to.deep.equal([]);
    expect(reads).to.be.greaterThan(1);
    expect(logged.length).to.equal(reads);
    expect(logged[0]!.msg).to.equal('email outbox failed');
    expect((logged[0]!.obj as { err: Error }).err.message).to.equal('database is locked');
  });
});
