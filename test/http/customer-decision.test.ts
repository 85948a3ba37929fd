import { expect } from 'chai';
import { upsertOrders } from '../../server/orders/store';
import { closeAllResolvedTickets, closeResolvedTickets, DUE_FOR_CLOSING } from '../../server/tickets/auto-close';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { loginAs, postWorkspaceForm } from '../support/staff';

describe('the customer sees the decision, rates it, and the ticket closes itself', () => {
  let desk: TestDesk;
  let number: string;
  let token: string;
  before(async () => {
    desk = await startTestDesk();
    upsertOrders(
      desk.db,
      [{ id: '4822907', customerEmail: 'layla@example.com', link: 'https://youtube.com/watch?v=q8', quantity: 10000, charge: '18.00', remains: 6800, status: 'Partial', createdAt: '2026-11-19T10:00:00Z' }],
      { now: Date.now(), currency: 'USD' },
    );
    ({ number, token } = confirmationOf(
      await postTicket(desk.agent(), { email: 'layla@example.com', orderIds: '4822907', reason: 'partial_delivery', lng: 'ar', link: 'https://youtube.com/watch?v=q8' }),
    ));
    const agent = await loginAs(desk, 'agent@desk.test', 'agent');
    const res = await postWorkspaceForm(agent, number, '/decisions', { orderKey: '4822907', outcome: 'partial_refund', destination: 'balance', amount: '12.24' });
    expect(res.status).to.equal(303);
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const page = () => desk.agent().get(`/t/${number}?k=${token}&lng=ar`);

  it('When the customer opens the ticket, then the decision shows in Arabic, right to left, with the amount and where it went', async () => {
    const res = await page();
    expect(res.text).to.include('<html lang="ar" dir="rtl">');
    const section = /<section class="card" id="decision">([\s\S]*?)<\/section>/.exec(res.text)![1]!;
    expect(section).to.include('<bdi>4822907</bdi>');
    expect(section).to.match(/أُضيف <bdi>[^<]*12\.24[^<]*<\/bdi> إلى رصيدك في اللوحة/);
  });

  it('When the customer rates outside 1–5, then the form comes back with the error and the comment kept, and nothing is stored', async () => {
    const customer = desk.agent();
    const csrf = await csrfFrom(customer, `/t/${number}?k=${token}`);
    const res = await customer.post(`/t/${number}/rating`).type('form').send({ _csrf: csrf, k: token, rating: '9', comment: 'سريع' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('سريع');
    expect(sql('select rating from tickets where number = ?', number)).to.deep.equal([{ rating: null }]);
  });

  it('When the customer rates the resolution, then the rating and comment are stored and shown', async () => {
    const customer = desk.agent();
    const csrf = await csrfFrom(customer, `/t/${number}?k=${token}`);
    const res = await customer.post(`/t/${number}/rating`).type('form').send({ _csrf: csrf, k: token, rating: '5', comment: 'شكرًا، وصل المبلغ' });
    expect(res.status).to.equal(303);
    expect(sql('select rating, rating_comment from tickets where number = ?', number)).to.deep.equal([{ rating: 5, rating_comment: 'شكرًا، وصل المبلغ' }]);
    expect((await page()).text).to.include('5 من 5');
  });

  it('When seven days pass after resolution, then the ticket closes by itself and its order is released', () => {
    const resolvedAt = sql('select resolved_at from tickets where number = ?', number)[0]!.resolved_at as number;
    expect(closeResolvedTickets(desk.db, resolvedAt + 6 * 86_400_000)).to.equal(0);
    expect(closeResolvedTickets(desk.db, resolvedAt + 7 * 86_400_000 + 1)).to.equal(1);
    expect(sql('select status from tickets where number = ?', number)).to.deep.equal([{ status: 'closed' }]);
    expect(sql("select open from ticket_orders where order_id = '4822907'")).to.deep.equal([{ open: 0 }]);
    expect(sql("select actor_type from audit_events where action = 'ticket.autoClosed'")).to.deep.equal([{ actor_type: 'system' }]);
  });

  it('When a backlog of resolved tickets is due, then housekeeping closes all of it, batch after batch', async () => {
    const now = Date.now();
    const customer = sql('select id from customers limit 1')[0]!.id;
    const insert = desk.db.$client.prepare(
      "INSERT INTO tickets (number, customer_id, email, language, reason, details, preferred_resolution, status, resolved_at, created_at, updated_at) VALUES (?, ?, 'old@example.com', 'en', 'billing_error', 'old', 'balance', 'resolved', ?, ?, ?)",
    );
    for (let i = 0; i < 5; i += 1) insert.run(`RD-OLDR-000${i}`, customer, now - 8 * 86_400_000, now - 9 * 86_400_000, now);
    expect(await closeAllResolvedTickets(desk.db, () => now, 2)).to.equal(5);
    expect(sql("select count(*) n from tickets where number like 'RD-OLDR-%' and status = 'closed'")).to.deep.equal([{ n: 5 }]);
    expect(sql("select count(*) n from audit_events where action = 'ticket.autoClosed'")).to.deep.equal([{ n: 6 }]);
    // Finding them reads an index range, not every resolved ticket.
    const plan = sql(`EXPLAIN QUERY PLAN ${DUE_FOR_CLOSING}`, now, 50).map((r) => r.detail);
    expect(plan.join('\n')).to.include('tickets_status_resolved_idx (status=? AND resolved_at<?)');
  });
});
