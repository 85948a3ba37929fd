import { expect } from 'chai';
import { WebhookSender } from '../../server/webhooks/sender';
import { enqueueWebhook } from '../../server/webhooks/outbox';
import { startTestDesk, type TestDesk } from '../support/desk';
import { captureLog } from '../support/log';

describe('webhook sender: a poll with nothing due', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());

  it('When nothing is due, then the pass ends before the settings are looked at; once an event is due, it waits for them', async () => {
    const { log, records: logged } = captureLog('info');
    const sender = new WebhookSender({ db: desk.db, secret: desk.secret, log, clock: Date.now });
    const waiting = () => logged.filter((l) => l.msg === 'webhooks wait for their settings');

    // No URL is set, but nothing is due either: no settings are read, so nothing is said about them.
    expect(await sender.drain()).to.equal(0);
    expect(waiting()).to.deep.equal([]);

    enqueueWebhook(desk.db, 'ticket.created', { ticket: 'RD-1' }, Date.now());
    expect(await sender.drain()).to.equal(0);
    expect(waiting().map((l) => l.problem)).to.deep.equal(['webhook_url_missing']);
    const row = desk.db.$client.prepare("select status, attempts from outbox where kind = 'webhook'").get();
    expect(row, 'the event waits, unattempted').to.deep.equal({ status: 'pending', attempts: 0 });
  });
});
