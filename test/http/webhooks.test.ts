import { expect } from 'chai';
import { createApiToken } from '../../server/api/tokens';
import type { Desk } from '../../server/runtime';
import { seal } from '../../server/security/sealed';
import { writeSetting } from '../../server/settings/store';
import { listDeliveries } from '../../server/webhooks/deliveries';
import { enqueueWebhook } from '../../server/webhooks/outbox';
import { sendTestWebhook, WebhookSender } from '../../server/webhooks/sender';
import { verifySignature } from '../../server/webhooks/signature';
import { rebootDesk, startTestDesk, type TestDesk } from '../support/desk';
import { captureLog, type CapturedLog } from '../support/log';
import { freePort, startReceiver as startLoopbackReceiver, type Receiver } from '../support/loopback';

const WEBHOOK_SECRET = 'whsec_loopback-receiver-secret';
const HOUR = 3_600_000;

/** A panel's webhook endpoint on loopback: checks the signature like a real one (401 if it fails) and answers as told. */
function startReceiver(clock: () => number): Promise<Receiver> {
  return startLoopbackReceiver({
    path: '/hooks/refunddesk',
    verify: (headers, body) => verifySignature(WEBHOOK_SECRET, headers['x-refunddesk-signature'] as string, body, clock()),
  });
}

function configure(desk: Desk, url: string | null) {
  writeSetting(desk.db, 'webhookUrl', url, Date.now());
  writeSetting(desk.db, 'webhookSecretSealed', seal(desk.secret, WEBHOOK_SECRET), Date.now());
}

describe('webhooks: signed delivery from the outbox, retries, give-up, test send, delivery log', () => {
  let desk: TestDesk;
  let receiver: Receiver;
  let now = Date.now();
  const clock = () => now;
  let logs: CapturedLog;
  let sender: WebhookSender;
  let panel: string;
  let seq = 0;

  before(async () => {
    desk = await startTestDesk();
    receiver = await startReceiver(clock);
    panel = createApiToken(desk.db, 'panel', ['tickets:write'], Date.now()).token;
  });
  after(async () => {
    await desk.cleanup();
    await receiver.close();
  });
  beforeEach(() => {
    now = Date.now();
    receiver.received.length = 0;
    Object.assign(receiver.behaviour, { status: 200, delayMs: 0 });
    configure(desk, receiver.url);
    logs = captureLog('info');
    sender = new WebhookSender({ db: desk.db, secret: desk.secret, log: logs.log, clock, timeoutMs: 300 });
    // Each test starts with an empty queue: what an earlier test left pending is set aside.
    desk.db.$client.prepare("update outbox set status = 'failed' where kind = 'webhook' and status = 'pending'").run();
  });

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const one = (q: string, ...args: unknown[]) => sql(q, ...args)[0]!;
  const lastWebhook = () => one("select * from outbox where kind = 'webhook' order by id desc limit 1");
  const deliveriesOf = (outboxId: unknown) => sql('select * from webhook_deliveries where outbox_id = ? order by id', outboxId);

  async function fileTicket(language = 'en') {
    seq += 1;
    const res = await desk
      .agent()
      .post('/api/v1/tickets')
      .set('Authorization', `Bearer ${panel}`)
      .send({
        email: `hook${seq}@example.com`,
        orderIds: [String(77_000 + seq)],
        link: 'https://instagram.com/p/hook',
        reason: 'not_started',
        details: 'Never started.',
        preferredResolution: 'balance',
        language,
      });
    expect(res.status).to.equal(201);
    // The desk queued the event on the real clock; the sender's clock catches up.
    now = Math.max(now, Date.now());
    return { number: res.body.ticket.number as string, orderId: String(77_000 + seq) };
  }

  it('When a ticket is filed and a decision issued, then both events reach the receiver in order, signed over the stored payload byte for byte, and are never sent again', async () => {
    const { number, orderId } = await fileTicket('ar');
    const created = lastWebhook();
    enqueueWebhook(desk.db, 'decision.issued', { ticket: number, decision: { id: 1, outcome: 'full_refund', amount: '0.278190' } }, now);
    const issued = lastWebhook();

    expect(await sender.drain()).to.equal(2);

    expect(receiver.received.map((r) => r.headers['x-refunddesk-event'])).to.deep.equal(['ticket.created', 'decision.issued']);
    const [first, second] = receiver.received;
    expect(first).to.include({ method: 'POST', path: '/hooks/refunddesk', body: created.payload, verified: true });
    expect(second).to.include({ body: issued.payload, verified: true });
    expect(first!.headers).to.include({ 'content-type': 'application/json', 'user-agent': 'RefundDesk-Webhook/1' });
    const payload = JSON.parse(first!.body);
    expect(first!.headers['x-refunddesk-delivery']).to.equal(payload.id).and.match(/^[0-9a-f-]{36}$/);
    expect(payload).to.include({ event: 'ticket.created' });
    expect(payload.data).to.deep.equal({ ticket: number, language: 'ar', reason: 'not_started', orderIds: [orderId] });
    expect(first!.headers['x-refunddesk-signature']).to.match(new RegExp(`^t=${Math.floor(now / 1000)},v1=[0-9a-f]{64}$`));
    // The receiver's check fails on a tampered body or another secret.
    const header = first!.headers['x-refunddesk-signature'] as string;
    expect(verifySignature(WEBHOOK_SECRET, header, first!.body.replace('not_started', 'changed_mind'), now)).to.equal(false);
    expect(verifySignature('whsec_guess', header, first!.body, now)).to.equal(false);

    for (const row of [created, issued]) {
      expect(one('select status, attempts, sent_at, last_error from outbox where id = ?', row.id)).to.deep.equal({
        status: 'sent', attempts: 1, sent_at: now, last_error: null,
      });
      expect(deliveriesOf(row.id)).to.have.length(1);
      expect(deliveriesOf(row.id)[0]).to.include({ status_code: 200, error: null, url: receiver.url, attempted_at: now });
    }
    expect(deliveriesOf(created.id)[0]!.event).to.equal('ticket.created');

    now += 2 * HOUR;
    expect(await sender.drain()).to.equal(0);
    expect(receiver.received).to.have.length(2);
  });

  it('When the receiver answers 500, then the event waits with one attempt and a delivery row; after it recovers and the time comes, it is delivered exactly once', async () => {
    receiver.behaviour.status = 500;
    await fileTicket();
    const row = lastWebhook();

    expect(await sender.drain()).to.equal(0);
    const failed = one('select * from outbox where id = ?', row.id);
    expect(failed).to.include({ status: 'pending', attempts: 1, last_error: 'HTTP 500', sent_at: null });
    expect(failed.next_attempt_at as number).to.be.within(now + 30_000, now + 33_000);
    expect(deliveriesOf(row.id).map((d) => [d.status_code, d.error])).to.deep.equal([[500, 'HTTP 500']]);
    // The log names the event and the answer, never the secret or the URL.
    const warning = logs.records.find((l) => l.msg === 'webhook not delivered');
    expect(warning).to.include({ level: 40, outboxId: row.id, status: 500 });
    expect(logs.lines.join('\n')).to.not.include(WEBHOOK_SECRET).and.not.include(desk.secret).and.not.include(receiver.url);

    receiver.behaviour.status = 200;
    expect(await sender.drain()).to.equal(0);
    expect(receiver.received).to.have.length(1);

    now = (failed.next_attempt_at as number) + 1;
    expect(await sender.drain()).to.equal(1);
    expect(await sender.drain()).to.equal(0);
    now += 5 * HOUR;
    expect(await sender.drain()).to.equal(0);

    expect(receiver.received).to.have.length(2);
    expect(receiver.received.map((r) => r.verified)).to.deep.equal([true, true]);
    // The same delivery id both times, so a receiver can ignore a repeat.
    expect(receiver.received[1]!.headers['x-refunddesk-delivery']).to.equal(receiver.received[0]!.headers['x-refunddesk-delivery']);
    expect(one('select status, attempts, last_error from outbox where id = ?', row.id)).to.deep.equal({ status: 'sent', attempts: 2, last_error: null });
    expect(deliveriesOf(row.id).map((d) => d.status_code)).to.deep.equal([500, 200]);
  });

  it('When the receiver does not answer in time, or nothing listens, then each counts as a failed attempt with its reason', async () => {
    receiver.behaviour.delayMs = 2000;
    await fileTicket();
    const slow = lastWebhook();
    expect(await sender.drain()).to.equal(0);
    expect(one('select status, attempts, last_error from outbox where id = ?', slow.id)).to.deep.equal({
      status: 'pending', attempts: 1, last_error: 'timeout after 300 ms',
    });
    const [delivery] = deliveriesOf(slow.id);
    expect(delivery).to.include({ status_code: null, error: 'timeout after 300 ms' });
    expect(delivery!.duration_ms as number).to.be.at.least(250);

    desk.db.$client.prepare("update outbox set status = 'failed' where id = ?").run(slow.id);
    configure(desk, `http://127.0.0.1:${await freePort()}/hooks`);
    await fileTicket();
    const refused = lastWebhook();
    expect(await sender.drain()).to.equal(0);
    expect(one('select status, attempts from outbox where id = ?', refused.id)).to.deep.equal({ status: 'pending', attempts: 1 });
    expect(deliveriesOf(refused.id)[0]).to.include({ status_code: null });
    expect(deliveriesOf(refused.id)[0]!.error).to.match(/ECONNREFUSED/);
  });

  it('When an event older than 24 hours fails once more, then it is marked failed and never tried again', async () => {
    receiver.behaviour.status = 503;
    enqueueWebhook(desk.db, 'ticket.resolved', { ticket: 'RD-OLD0-0001' }, now - 25 * HOUR);
    const old = lastWebhook();
    expect(await sender.drain()).to.equal(0);
    expect(one('select status, attempts, last_error from outbox where id = ?', old.id)).to.deep.equal({
      status: 'failed', attempts: 1, last_error: 'HTTP 503',
    });
    expect(deliveriesOf(old.id).map((d) => d.status_code)).to.deep.equal([503]);
    receiver.behaviour.status = 200;
    now += 2 * HOUR;
    expect(await sender.drain()).to.equal(0);
    expect(receiver.received).to.have.length(1);
  });

  it('When no webhook URL is set, then events wait without attempts (and email is not held up), and go once it is set', async () => {
    configure(desk, null);
    await fileTicket();
    const row = lastWebhook();
    expect(await sender.drain()).to.equal(0);
    expect(await desk.outbox.drain()).to.be.at.least(1);
    expect(one('select status, attempts from outbox where id = ?', row.id)).to.deep.equal({ status: 'pending', attempts: 0 });
    expect(deliveriesOf(row.id)).to.deep.equal([]);
    expect(receiver.received).to.deep.equal([]);

    configure(desk, receiver.url);
    expect(await sender.drain()).to.equal(1);
    expect(receiver.received).to.have.length(1);
    expect(one('select status from outbox where id = ?', row.id).status).to.equal('sent');
  });

  it('When the admin sends a test, then a signed webhook.test reaches the receiver at once and the answer is returned and logged', async () => {
    const ok = await sendTestWebhook({ db: desk.db, secret: desk.secret, clock, timeoutMs: 1000 });
    expect(ok).to.include({ ok: true, statusCode: 200, error: null });
    expect(ok.durationMs).to.be.a('number');
    expect(receiver.received).to.have.length(1);
    const [got] = receiver.received;
    expect(got!.verified).to.equal(true);
    expect(got!.headers['x-refunddesk-event']).to.equal('webhook.test');
    expect(JSON.parse(got!.body)).to.include({ event: 'webhook.test', id: got!.headers['x-refunddesk-delivery'] });
    const row = lastWebhook();
    expect(row).to.include({ status: 'sent', attempts: 1, payload: got!.body });
    expect(deliveriesOf(row.id)[0]).to.include({ event: 'webhook.test', status_code: 200 });

    receiver.behaviour.status = 500;
    const bad = await sendTestWebhook({ db: desk.db, secret: desk.secret, clock, timeoutMs: 1000 });
    expect(bad).to.include({ ok: false, statusCode: 500, error: 'HTTP 500' });
    expect(lastWebhook()).to.include({ status: 'failed', last_error: 'HTTP 500' });

    // Test sends are records, not queue entries: the sender leaves them alone.
    now += 2 * HOUR;
    expect(await sender.drain()).to.equal(0);
    expect(receiver.received).to.have.length(2);

    configure(desk, null);
    const unset = await sendTestWebhook({ db: desk.db, secret: desk.secret, clock });
    expect(unset).to.deep.equal({ ok: false, statusCode: null, error: 'webhook_url_missing', durationMs: 0 });
    expect(receiver.received).to.have.length(2);
  });

  it('When the delivery log is read in pages, then it goes newest first with each event\'s current state, every attempt once', async () => {
    receiver.behaviour.status = 500;
    await fileTicket();
    const retried = lastWebhook();
    await sender.drain();
    receiver.behaviour.status = 200;
    now += HOUR;
    await sender.drain();
    await fileTicket();
    await sender.drain();

    const total = (one('select count(*) n from webhook_deliveries').n as number);
    const seen: number[] = [];
    let before: number | undefined;
    let page = listDeliveries(desk.db, { limit: 2 });
    for (;;) {
      expect(page.deliveries.length).to.be.at.most(2);
      seen.push(...page.deliveries.map((d) => d.id));
      if (page.next === null) break;
      before = page.next;
      page = listDeliveries(desk.db, { before, limit: 2 });
    }
    expect(seen).to.have.length(total);
    expect(seen).to.deep.equal([...seen].sort((a, b) => b - a));
    const newest = listDeliveries(desk.db, { limit: 3 }).deliveries;
    expect(newest.map((d) => [d.outboxId === retried.id, d.statusCode, d.outboxStatus])).to.deep.equal([
      [false, 200, 'sent'],
      [true, 200, 'sent'],
      [true, 500, 'sent'],
    ]);
    expect(newest[2]).to.include({ event: 'ticket.created', error: 'HTTP 500', attempts: 2 });
  });
});

describe('webhooks: after a restart', () => {
  let desk: TestDesk;
  let second: Desk | undefined;
  let receiver: Receiver;
  // The second desk runs an hour later, when the retry is due.
  let offset = 0;
  const clock = () => Date.now() + offset;
  before(async () => {
    desk = await startTestDesk();
    receiver = await startReceiver(clock);
  });
  after(async () => {
    await second?.close();
    await desk.cleanup();
    await receiver.close();
  });

  it('When the desk stops with an event still waiting for a retry, then the desk started again on the same data delivers it', async () => {
    receiver.behaviour.status = 500;
    configure(desk, receiver.url);
    const panel = createApiToken(desk.db, 'panel', ['tickets:write'], Date.now()).token;
    const res = await desk.agent().post('/api/v1/tickets').set('Authorization', `Bearer ${panel}`).send({
      email: 'restart@example.com', orderIds: ['99001'], link: 'https://instagram.com/p/r', reason: 'not_started',
      details: 'Never started.', preferredResolution: 'balance', language: 'uk',
    });
    expect(res.status).to.equal(201);
    expect(await desk.webhooks.drain()).to.equal(0);
    expect(receiver.received.map((r) => r.verified)).to.deep.equal([true]);
    await desk.close();

    offset = HOUR;
    receiver.behaviour.status = 200;
    second = await rebootDesk(desk, { clock });
    expect(await second.webhooks.drain()).to.equal(1);
    expect(await second.webhooks.drain()).to.equal(0);

    expect(receiver.received).to.have.length(2);
    expect(receiver.received[1]!.verified).to.equal(true);
    expect(JSON.parse(receiver.received[1]!.body).data.ticket).to.equal(res.body.ticket.number);
    const row = second.db.$client.prepare("select status, attempts from outbox where kind = 'webhook'").get();
    expect(row).to.deep.equal({ status: 'sent', attempts: 2 });
  });
});
