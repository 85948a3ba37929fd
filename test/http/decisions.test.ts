import { expect } from 'chai';
import type request from 'supertest';
import { createApiToken } from '../../server/api/tokens';
import { upsertOrders, upsertServices } from '../../server/orders/store';
import { saveProvider } from '../../server/providers/connections';
import { confirmationOf, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { startProviderServer, type ProviderServer } from '../support/provider-server';
import { formFields, loginAs, postWorkspaceForm } from '../support/staff';

describe('deciding: checklist gate, ledger, provider actions, exactly once', () => {
  let desk: TestDesk;
  let provider: ProviderServer;
  let agent: request.Agent;
  let seq = 0;
  before(async () => {
    desk = await startTestDesk({ PROVIDER_TIMEOUT_SECONDS: '0.5' });
    provider = await startProviderServer('decisions-key');
    provider.delayMs = 2000;
    saveProvider(desk.db, desk.secret, { id: 'p1', name: 'Loop SMM', apiUrl: provider.url, apiKey: 'decisions-key' }, Date.now());
    upsertServices(desk.db, [
      { id: 's-refill', name: 'Followers [30 days refill]', providerId: 'p1', refillDays: 30, cancelAllowed: true },
      { id: 's-plain', name: 'Views', providerId: 'p1', refillDays: 0, cancelAllowed: true },
    ], { now: Date.now() });
    agent = await loginAs(desk, 'agent@desk.test', 'agent', 'Alya');
  });
  after(async () => {
    await desk.cleanup();
    await provider.close();
  });

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const one = (q: string, ...args: unknown[]) => sql(q, ...args)[0]!;

  /** An order on the panel (and at the provider), and a customer ticket about it. */
  async function ticketAbout(status: string, extra: Record<string, unknown> = {}, reason = 'partial_delivery', lng = 'en') {
    const id = String(880_000 + ++seq);
    const email = `c${seq}@example.com`;
    const r = upsertOrders(
      desk.db,
      [
        {
          id,
          customerEmail: email,
          serviceId: 's-plain',
          providerId: 'p1',
          providerOrderId: `x${id}`,
          link: `https://instagram.com/p/${id}`,
          quantity: 1000,
          charge: '0.27819',
          startCount: 3572,
          remains: 157,
          status,
          createdAt: new Date(Date.now() - 3_600_000).toISOString(),
          ...extra,
        },
      ],
      { now: Date.now(), currency: 'USD' },
    );
    expect(r.errors).to.deep.equal([]);
    provider.orders.set(`x${id}`, { status, remains: Number(extra.remains ?? 157), cancelable: true, refillable: true });
    const { number } = confirmationOf(await postTicket(desk.agent(), { email, orderIds: id, reason, lng, link: `https://instagram.com/p/${id}` }));
    return { id, number };
  }
  const tick = (number: string, orderKey: string, item: string) => postWorkspaceForm(agent, number, '/checklist', { orderKey, item, checked: '1' });
  const decide = (number: string, fields: Record<string, string>) => postWorkspaceForm(agent, number, '/decisions', fields);

  it('When a mandatory checklist item is not checked, then the decision is refused on the server and nothing is written', async () => {
    const { id, number } = await ticketAbout('Partial', {}, 'partial_delivery');
    // Tamper: post straight to the server, bypassing the page.
    const res = await decide(number, { orderKey: id, outcome: 'partial_refund', destination: 'balance', amount: '0.043675' });
    // customerOwnsOrder and the two partial items pass by evidence here, so the gate is open; close it with a mismatched email.
    expect(res.status).to.equal(303);
    const other = await ticketAbout('Partial');
    desk.db.$client.prepare('update orders set customer_email = ? where id = ?').run('someone@else.com', other.id);
    const refused = await decide(other.number, { orderKey: other.id, outcome: 'partial_refund', destination: 'balance', amount: '0.043675' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('required checklist item is not checked yet');
    expect(sql('select * from decisions where order_id = ?', other.id)).to.deep.equal([]);
    expect(sql('select * from ledger_entries where order_id = ?', other.id)).to.deep.equal([]);

    expect((await tick(other.number, other.id, 'customerOwnsOrder')).status).to.equal(303);
    expect(one('select ticked_by from checklist_ticks where order_key = ?', other.id).ticked_by).to.be.a('number');
    const ok = await decide(other.number, { orderKey: other.id, outcome: 'partial_refund', destination: 'balance', amount: '0.043675' });
    expect(ok.status).to.equal(303);
    expect(one('select state from decisions where order_id = ?', other.id).state).to.equal('issued');
  });

  it('When the recommended partial refund is issued, then the ledger pays the exact undelivered amount once, the customer is emailed, the panel webhook is queued and the ticket is resolved', async () => {
    const { id, number } = await ticketAbout('Partial', {}, 'partial_delivery', 'ar');
    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.text).to.include('value="0.043675"');
    const res = await decide(number, { orderKey: id, outcome: 'partial_refund', destination: 'balance', amount: '0.043675' });
    expect(res.status).to.equal(303);
    const d = one('select * from decisions where order_id = ?', id);
    expect(d).to.include({ state: 'issued', outcome: 'partial_refund', amount_micros: 43_675, rule: 'partial.undelivered', override_note: null, order_status: 'partial' });
    expect(sql('select kind, amount_micros, currency from ledger_entries where decision_id = ?', d.id)).to.deep.equal([
      { kind: 'balance_credit', amount_micros: 43_675, currency: 'USD' },
    ]);
    expect(one('select status, resolved_at from tickets where number = ?', number)).to.include({ status: 'resolved' });
    const mail = JSON.parse(one("select payload from outbox where kind = 'email' order by id desc limit 1").payload as string);
    expect(mail.lang).to.equal('ar');
    expect(mail.html).to.include('dir="rtl"').and.to.include('0.043675');
    const hook = JSON.parse(one("select payload from outbox where kind = 'webhook' and payload like '%decision.issued%' order by id desc limit 1").payload as string);
    expect(hook.data).to.deep.include({ ticket: number });
    expect(hook.data.decision).to.include({ amount: '0.043675', outcome: 'partial_refund', orderId: id });
    const token = createApiToken(desk.db, 'panel', ['tickets:read'], Date.now()).token;
    const api = await desk.agent().get(`/api/v1/tickets/${number}`).set('Authorization', `Bearer ${token}`);
    expect(api.body.ticket.status).to.equal('resolved');
    expect(api.body.ticket.orders[0].decision).to.include({ state: 'issued', outcome: 'partial_refund', amount: '0.043675', destination: 'balance' });
    expect(sql("select action from audit_events where ticket_id = ? and action in ('decision.issued', 'ticket.resolved')", d.ticket_id).map((a) => a.action)).to.deep.equal([
      'decision.issued',
      'ticket.resolved',
    ]);
  });

  it('When 50 decisions for one order arrive at once, then exactly one is issued and one ledger entry written', async () => {
    const { id, number } = await ticketAbout('Partial');
    const page = await agent.get(`/desk/tickets/${number}`);
    const fields = { ...formFields(page.text, `/desk/tickets/${number}/decisions`), orderKey: id, outcome: 'partial_refund', destination: 'balance', amount: '0.043675' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => agent.post(`/desk/tickets/${number}/decisions`).type('form').send(fields)));
    expect(answers.filter((a) => a.status === 303)).to.have.length(1);
    expect(answers.filter((a) => a.status === 409)).to.have.length(49);
    expect(sql('select id from decisions where order_id = ?', id)).to.have.length(1);
    expect(sql('select id from ledger_entries where order_id = ?', id)).to.have.length(1);
  });

  it('When an order was already paid, then the database refuses a second payment for it, even from another decision', async () => {
    const paid = one('select order_id, ticket_id from ledger_entries limit 1');
    const decisionId = desk.db.$client
      .prepare(
        "insert into decisions (ticket_id, order_key, order_id, state, outcome, amount_micros, currency, rule, decided_by, decided_at) values (?, 'elsewhere', ?, 'issued', 'full_refund', 1, 'USD', 'manual', 1, 0)",
      )
      .run(paid.ticket_id, paid.order_id).lastInsertRowid;
    expect(() =>
      desk.db.$client
        .prepare("insert into ledger_entries (decision_id, ticket_id, order_id, kind, amount_micros, currency, created_at) values (?, ?, ?, 'balance_credit', 1, 'USD', 0)")
        .run(decisionId, paid.ticket_id, paid.order_id),
    ).to.throw(/UNIQUE constraint failed: ledger_entries\.order_id/);
    expect(() =>
      desk.db.$client
        .prepare("insert into ledger_entries (decision_id, ticket_id, order_id, kind, amount_micros, currency, created_at) values ((select decision_id from ledger_entries limit 1), ?, null, 'balance_credit', 1, 'USD', 0)")
        .run(paid.ticket_id),
    ).to.throw(/UNIQUE constraint failed: ledger_entries\.decision_id/);
  });

  it('When the agent departs from the recommendation without a note, then it is refused; with a note it is issued and the override recorded', async () => {
    const { id, number } = await ticketAbout('Partial');
    const bare = await decide(number, { orderKey: id, outcome: 'partial_refund', destination: 'balance', amount: '0.02' });
    expect(bare.status).to.equal(422);
    expect(bare.text).to.include('say why in the note');
    expect(bare.text).to.include('value="0.02"');
    const tooMuch = await decide(number, { orderKey: id, outcome: 'partial_refund', destination: 'balance', amount: '0.3', note: 'goodwill' });
    expect(tooMuch.status).to.equal(422);
    expect(tooMuch.text).to.include('At most');
    const noted = await decide(number, { orderKey: id, outcome: 'partial_refund', destination: 'balance', amount: '0.02', note: 'The customer confirmed 80 arrived late.' });
    expect(noted.status).to.equal(303);
    expect(one('select amount_micros, override_note from decisions where order_id = ?', id)).to.deep.equal({
      amount_micros: 20_000,
      override_note: 'The customer confirmed 80 arrived late.',
    });
  });

  it('When a pending order is refunded with the provider cancel, then the cancel is sent once and, accepted, the full refund is issued', async () => {
    const { id, number } = await ticketAbout('Pending', { remains: 1000 }, 'changed_mind');
    const res = await decide(number, { orderKey: id, outcome: 'full_refund', destination: 'balance', amount: '0.27819', providerAction: '1' });
    expect(res.status).to.equal(303);
    const cancels = provider.requestsFor('cancel').filter((r) => r.params.orders === `x${id}`);
    expect(cancels).to.have.length(1);
    expect(one('select action, outcome from provider_actions where order_id = ?', id)).to.deep.equal({ action: 'cancel', outcome: 'accepted' });
    expect(one('select state, amount_micros from decisions where order_id = ?', id)).to.deep.equal({ state: 'issued', amount_micros: 278_190 });
    expect(one('select amount_micros from ledger_entries where order_id = ?', id).amount_micros).to.equal(278_190);
  });

  it('When the provider refuses the cancel, then nothing is issued, the agent is told, and the policy now says delivery goes on', async () => {
    const { id, number } = await ticketAbout('Pending', { remains: 1000 }, 'changed_mind');
    provider.orders.get(`x${id}`)!.cancelable = false;
    const res = await decide(number, { orderKey: id, outcome: 'full_refund', destination: 'balance', amount: '0.27819', providerAction: '1' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('The provider refused the cancel');
    expect(sql('select state from decisions where order_id = ?', id)).to.deep.equal([{ state: 'void' }]);
    expect(sql('select * from ledger_entries where order_id = ?', id)).to.deep.equal([]);
    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.text).to.include('The provider refused the cancel; delivery goes on.');
  });

  it('When the provider times out on the cancel, then no money is issued and the decision waits for a person, who can confirm it', async () => {
    const { id, number } = await ticketAbout('Pending', { remains: 1000 }, 'changed_mind');
    provider.faults.cancel = 'slow';
    try {
      const res = await decide(number, { orderKey: id, outcome: 'full_refund', destination: 'balance', amount: '0.27819', providerAction: '1' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.include('provider=unknown');
    } finally {
      delete provider.faults.cancel;
    }
    expect(one('select state from decisions where order_id = ?', id).state).to.equal('awaiting_confirmation');
    expect(sql('select * from ledger_entries where order_id = ?', id)).to.deep.equal([]);
    expect(one('select outcome from provider_actions where order_id = ?', id).outcome).to.equal('unknown');
    const cancelsBefore = provider.requestsFor('cancel').length;

    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.text).to.include('Check the order at the provider');
    const decisionId = one('select id from decisions where order_id = ?', id).id;
    const confirm = await agent
      .post(`/desk/tickets/${number}/decisions/${decisionId}/confirm`)
      .type('form')
      .send({ ...formFields(page.text, `/desk/tickets/${number}/decisions/${decisionId}/confirm`), happened: '1' });
    expect(confirm.status).to.equal(303);
    expect(one('select state from decisions where id = ?', decisionId).state).to.equal('issued');
    expect(one('select amount_micros from ledger_entries where order_id = ?', id).amount_micros).to.equal(278_190);
    expect(provider.requestsFor('cancel').length, 'never retried').to.equal(cancelsBefore);
  });

  it('When a person finds the provider did not cancel, then the waiting decision is voided and pays nothing', async () => {
    const { id, number } = await ticketAbout('Pending', { remains: 1000 }, 'changed_mind');
    provider.faults.cancel = 'destroy';
    try {
      const res = await decide(number, { orderKey: id, outcome: 'full_refund', destination: 'balance', amount: '0.27819', providerAction: '1' });
      expect(res.headers.location).to.include('provider=unknown');
    } finally {
      delete provider.faults.cancel;
    }
    expect(one('select state from decisions where order_id = ?', id).state).to.equal('awaiting_confirmation');
    const decisionId = one('select id from decisions where order_id = ?', id).id;
    const res = await postWorkspaceForm(agent, number, `/decisions/${decisionId}/confirm`, { happened: '0' });
    expect(res.status).to.equal(303);
    expect(one('select state from decisions where id = ?', decisionId).state).to.equal('void');
    expect(sql('select * from ledger_entries where order_id = ?', id)).to.deep.equal([]);
  });

  it('When a drop inside the warranty is refilled, then the provider refill is called and the decision pays no money', async () => {
    const { id, number } = await ticketAbout('Completed', { remains: 0, serviceId: 's-refill', completedAt: new Date(Date.now() - 86_400_000).toISOString() }, 'drop');
    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.text).to.include('Drop inside the refill warranty: refill.');
    await tick(number, id, 'evidenceCompared');
    const res = await decide(number, { orderKey: id, outcome: 'refill', providerAction: '1' });
    expect(res.status).to.equal(303);
    expect(provider.requestsFor('refill').filter((r) => r.params.order === `x${id}`)).to.have.length(1);
    expect(one('select action, outcome, refill_id from provider_actions where order_id = ?', id)).to.include({ action: 'refill', outcome: 'accepted' });
    expect(one('select state, outcome, amount_micros from decisions where order_id = ?', id)).to.deep.equal({ state: 'issued', outcome: 'refill', amount_micros: 0 });
    expect(sql('select * from ledger_entries where order_id = ?', id)).to.deep.equal([]);
  });

  it('When the provider times out on the refill, then nothing is issued, the decision waits for a person, and the refill is never sent again', async () => {
    const { id, number } = await ticketAbout('Completed', { remains: 0, serviceId: 's-refill', completedAt: new Date(Date.now() - 86_400_000).toISOString() }, 'drop');
    await tick(number, id, 'evidenceCompared');
    provider.faults.refill = 'slow';
    try {
      const res = await decide(number, { orderKey: id, outcome: 'refill', providerAction: '1' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.include('provider=unknown');
    } finally {
      delete provider.faults.refill;
    }
    expect(one('select state, outcome, issued_at from decisions where order_id = ?', id)).to.deep.equal({ state: 'awaiting_confirmation', outcome: 'refill', issued_at: null });
    expect(one('select action, outcome, refill_id from provider_actions where order_id = ?', id)).to.deep.equal({ action: 'refill', outcome: 'unknown', refill_id: null });
    expect(sql('select * from ledger_entries where order_id = ?', id)).to.deep.equal([]);
    const ticketId = one('select ticket_id from decisions where order_id = ?', id).ticket_id;
    expect(sql("select id from outbox where payload like ? and payload like '%decision.issued%'", `%${number}%`), 'no decision event yet').to.deep.equal([]);
    expect(one('select status from tickets where id = ?', ticketId).status).to.not.equal('resolved');
    const refills = provider.requestsFor('refill').filter((r) => r.params.order === `x${id}`).length;
    expect(refills).to.equal(1);

    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.text).to.include('Check the order at the provider');
    const decisionId = one('select id from decisions where order_id = ?', id).id;
    const confirm = await postWorkspaceForm(agent, number, `/decisions/${decisionId}/confirm`, { happened: '1' });
    expect(confirm.status).to.equal(303);
    expect(one('select state from decisions where id = ?', decisionId).state).to.equal('issued');
    expect(sql('select * from ledger_entries where order_id = ?', id), 'a refill pays nothing').to.deep.equal([]);
    expect(sql("select id from outbox where payload like ? and payload like '%decision.issued%'", `%${number}%`)).to.have.length(1);
    expect(provider.requestsFor('refill').filter((r) => r.params.order === `x${id}`), 'never retried').to.have.length(refills);
  });

  it('When the provider refuses the refill, then nothing is issued and the reason is shown', async () => {
    const { id, number } = await ticketAbout('Completed', { remains: 0, serviceId: 's-refill', completedAt: new Date(Date.now() - 86_400_000).toISOString() }, 'drop');
    provider.orders.get(`x${id}`)!.refillable = false;
    await tick(number, id, 'evidenceCompared');
    const res = await decide(number, { orderKey: id, outcome: 'refill', providerAction: '1' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Refill is not available for this order');
    expect(sql('select state from decisions where order_id = ?', id)).to.deep.equal([{ state: 'void' }]);
  });

  it('When a request is rejected, then the reason is recorded, no money moves and the customer is told why', async () => {
    const { id, number } = await ticketAbout('Completed', { remains: 0, completedAt: new Date(Date.now() - 86_400_000).toISOString() }, 'drop');
    await tick(number, id, 'evidenceCompared');
    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.text).to.include('The service has no refill guarantee: reject.');
    const res = await decide(number, { orderKey: id, outcome: 'reject', rejectReason: 'no_refill_guarantee' });
    expect(res.status).to.equal(303);
    expect(one('select outcome, reject_reason, amount_micros from decisions where order_id = ?', id)).to.deep.equal({
      outcome: 'reject',
      reject_reason: 'no_refill_guarantee',
      amount_micros: 0,
    });
    const mail = JSON.parse(one("select payload from outbox where kind = 'email' order by id desc limit 1").payload as string);
    expect(mail.text).to.include('no refill guarantee');
  });

  it('When a ticket has orders, then a payment decision left from before they were merged in does not stand for one of them', async () => {
    const { id, number } = await ticketAbout('Completed', { remains: 0, completedAt: new Date(Date.now() - 86_400_000).toISOString() }, 'drop');
    const ticketId = one('select id from tickets where number = ?', number).id as number;
    desk.db.$client.prepare('insert into ticket_orders (ticket_id, order_id) values (?, ?)').run(ticketId, '7700' + id);
    const by = one("select id from staff_users where email = 'agent@desk.test'").id;
    desk.db.$client
      .prepare(
        `insert into decisions (ticket_id, order_key, order_id, state, outcome, amount_micros, currency, rule, recommended_outcome, decided_by, decided_at, issued_at)
         values (?, 'payment', null, 'issued', 'reject', 0, 'USD', 'billing.reject', 'reject', ?, ?, ?)`,
      )
      .run(ticketId, by, Date.now(), Date.now());
    await tick(number, id, 'evidenceCompared');
    expect((await decide(number, { orderKey: id, outcome: 'reject', rejectReason: 'no_refill_guarantee' })).status).to.equal(303);
    expect(one('select count(*) n from decisions where order_key = ? and state = ?', id, 'issued').n).to.equal(1);
    // One of two orders decided: the ticket stays open.
    expect(one('select status from tickets where id = ?', ticketId).status).to.not.equal('resolved');
  });

  it('When a billing error is verified and refunded to the original method, then the fee is recorded and the ledger holds the net amount', async () => {
    const res = await postTicket(desk.agent(), {
      email: 'payer@example.com',
      orderIds: '',
      link: '',
      reason: 'billing_error',
      paymentReference: 'TRC20 9f3c1a7e',
      amount: '49.90',
      preferredResolution: 'original_method',
    });
    const { number } = confirmationOf(res);
    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.text).to.include('Verify the payment reference before any refund.');
    const early = await decide(number, { orderKey: 'payment', outcome: 'full_refund', destination: 'original_method', amount: '48.90', fee: '1', method: 'USDT TRC20', reference: 'tx-77', note: 'verified on chain' });
    expect(early.status).to.equal(422);
    expect(sql('select * from decisions where ticket_id = (select id from tickets where number = ?)', number)).to.deep.equal([]);
    await tick(number, 'payment', 'paymentReferenceVerified');
    const noMethod = await decide(number, { orderKey: 'payment', outcome: 'full_refund', destination: 'original_method', amount: '48.90', fee: '1', note: 'verified on chain' });
    expect(noMethod.status).to.equal(422);
    expect(noMethod.text).to.include('Enter the payment method');
    const ok = await decide(number, { orderKey: 'payment', outcome: 'full_refund', destination: 'original_method', amount: '48.90', fee: '1', method: 'USDT TRC20', reference: 'tx-77', note: 'verified on chain' });
    expect(ok.status).to.equal(303);
    const ticketId = one('select id from tickets where number = ?', number).id;
    expect(one('select order_id, destination, amount_micros, fee_micros, method, reference from decisions where ticket_id = ?', ticketId)).to.deep.equal({
      order_id: null,
      destination: 'original_method',
      amount_micros: 48_900_000,
      fee_micros: 1_000_000,
      method: 'USDT TRC20',
      reference: 'tx-77',
    });
    expect(one('select kind, amount_micros from ledger_entries where ticket_id = ?', ticketId)).to.deep.equal({ kind: 'original_method_refund', amount_micros: 48_900_000 });
    expect(one('select status from tickets where id = ?', ticketId).status).to.equal('resolved');
  });

  it('When a form was built from an older version of the ticket, then the write is refused with 409, shows what changed, and writes nothing', async () => {
    const { id, number } = await ticketAbout('Partial');
    const stalePage = await agent.get(`/desk/tickets/${number}`);
    const staleFields = formFields(stalePage.text, `/desk/tickets/${number}/decisions`);
    const other = await loginAs(desk, `other${seq}@desk.test`, 'agent', 'Bohdan');
    await postWorkspaceForm(other, number, '/assign', { assignee: 'me' });
    const res = await agent
      .post(`/desk/tickets/${number}/decisions`)
      .type('form')
      .send({ ...staleFields, orderKey: id, outcome: 'partial_refund', destination: 'balance', amount: '0.043675' });
    expect(res.status).to.equal(409);
    expect(res.text).to.include('Someone changed this ticket').and.to.include('Bohdan').and.to.include('Taken');
    expect(sql('select * from decisions where order_id = ?', id)).to.deep.equal([]);
  });
});
