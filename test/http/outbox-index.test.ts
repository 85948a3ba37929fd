import { expect } from 'chai';
import { dueOutboxRows } from '../../server/mail/outbox';
import { startTestDesk, type TestDesk } from '../support/desk';

describe('outbox: each worker finds its due rows through the index', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());

  for (const kind of ['email', 'webhook'] as const) {
    it(`When the ${kind} worker asks for due rows, then the search uses outbox_due_idx on kind, status and time`, () => {
      // The very query the workers run, not a copy of it.
      const { sql, params } = dueOutboxRows(desk.db, kind, Date.now(), 50).toSQL();
      const plan = desk.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
      // Pending webhook rows kept while no URL is set are not scanned by the email worker, nor the other way round.
      expect(plan.map((p) => p.detail).join('\n')).to.match(/SEARCH outbox USING INDEX outbox_due_idx \(kind=\? AND status=\? AND next_attempt_at<\?\)/);
    });
  }
});
