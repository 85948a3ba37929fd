import { expect } from 'chai';
import type request from 'supertest';
import { upsertOrders } from '../../server/orders/store';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { png } from '../support/images';
import { formFields, loginAs, postWorkspaceForm } from '../support/staff';

describe('working a ticket: opening, assignment, replies, notes, status, merge, viewers', () => {
  let desk: TestDesk;
  let agent: request.Agent;
  let seq = 0;
  before(async () => {
    desk = await startTestDesk();
    agent = await loginAs(desk, 'alya@desk.test', 'agent', 'Alya');
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const one = (q: string, ...args: unknown[]) => sql(q, ...args)[0]!;
  async function file(lng = 'en', files: { name: string; data: Buffer }[] = []) {
    seq++;
    const res = await postTicket(desk.agent(), { email: `w${seq}@example.com`, orderIds: String(770_000 + seq), lng }, files);
    return confirmationOf(res);
  }
  const ticketRow = (number: string) => one('select * from tickets where number = ?', number);

  it('When an agent opens a new ticket, then it moves to in review and the opening is audited', async () => {
    const { number } = await file();
    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.status).to.equal(200);
    expect(ticketRow(number).status).to.equal('in_review');
    expect(sql("select from_status, to_status from audit_events where action = 'ticket.opened' and ticket_id = ?", ticketRow(number).id)).to.deep.equal([
      { from_status: 'new', to_status: 'in_review' },
    ]);
  });

  it('When an agent takes, hands over and releases a ticket, then the assignee follows and each step is audited', async () => {
    const { number } = await file();
    const bohdan = await loginAs(desk, 'bohdan@desk.test', 'agent', 'Bohdan');
    const bohdanId = one("select id from staff_users where email = 'bohdan@desk.test'").id as number;
    expect((await postWorkspaceForm(agent, number, '/assign', { assignee: 'me' })).status).to.equal(303);
    expect(ticketRow(number).assignee_id).to.equal(one("select id from staff_users where email = 'alya@desk.test'").id);
    expect((await postWorkspaceForm(agent, number, '/assign', { assignee: String(bohdanId) })).status).to.equal(303);
    expect(ticketRow(number).assignee_id).to.equal(bohdanId);
    expect((await postWorkspaceForm(bohdan, number, '/assign', { assignee: 'none' })).status).to.equal(303);
    expect(ticketRow(number).assignee_id).to.equal(null);
    const actions = sql("select action from audit_events where ticket_id = ? and action like 'ticket.%' order by id", ticketRow(number).id).map((a) => a.action);
    expect(actions).to.include.members(['ticket.taken', 'ticket.assigned', 'ticket.released']);
    const bad = await postWorkspaceForm(agent, number, '/assign', { assignee: '999999' });
    expect(bad.status).to.equal(422);
    expect(ticketRow(number).assignee_id).to.equal(null);
  });

  it('When an agent replies publicly and waits for the customer, then the customer is emailed, the first response is recorded and the SLA clock pauses', async () => {
    const { number } = await file('uk');
    const before = ticketRow(number);
    const res = await postWorkspaceForm(agent, number, '/reply', { body: 'Надішліть, будь ласка, скріншот: {{link}}', wait: '1' });
    expect(res.status).to.equal(303);
    const t = ticketRow(number);
    expect(t.status).to.equal('waiting_customer');
    expect(t.first_responded_at).to.be.a('number');
    expect(t.sla_paused_at).to.be.a('number');
    expect(t.sla_due_at).to.equal(null);
    const mail = JSON.parse(one("select payload from outbox where kind = 'email' order by id desc limit 1").payload as string);
    expect(mail.to).to.equal(before.email);
    expect(mail.lang).to.equal('uk');
    expect(mail.text).to.include('Надішліть, будь ласка, скріншот').and.to.match(new RegExp(`http://desk.test/t/${number}\\?k=[\\w-]+&lng=uk`));
    expect(mail.text).not.to.include('{{link}}');
  });

  it('When the customer answers a ticket waiting on them, then it returns to review and the due times move by the time spent waiting', async () => {
    const { number, token } = await file();
    await postWorkspaceForm(agent, number, '/reply', { body: 'Which post?', wait: '1' });
    const waiting = ticketRow(number);
    desk.db.$client.prepare('update tickets set sla_paused_at = ? where id = ?').run((waiting.sla_paused_at as number) - 3_600_000, waiting.id);
    const customer = desk.agent();
    const csrf = await csrfFrom(customer, `/t/${number}?k=${token}`);
    await customer.post(`/t/${number}/replies`).field('_csrf', csrf).field('k', token).field('body', 'This one.');
    const t = ticketRow(number);
    expect(t.status).to.equal('in_review');
    expect(t.sla_paused_at).to.equal(null);
    expect((t.resolution_due_at as number) - (waiting.resolution_due_at as number)).to.be.within(3_600_000, 3_700_000);
    expect(t.sla_due_at).to.equal(t.resolution_due_at);
  });

  it('When an agent writes an internal note, then no email is sent and the customer never sees it', async () => {
    const { number, token } = await file();
    const mails = sql("select count(*) n from outbox where kind = 'email'")[0]!.n;
    const res = await postWorkspaceForm(agent, number, '/reply', { body: 'SECRET-NOTE: customer seems to be a reseller', internal: '1' });
    expect(res.status).to.equal(303);
    expect(one('select internal from messages where body like ?', 'SECRET-NOTE%').internal).to.equal(1);
    expect(sql("select count(*) n from outbox where kind = 'email'")[0]!.n).to.equal(mails);
    const customerPage = await desk.agent().get(`/t/${number}?k=${token}`);
    expect(customerPage.status).to.equal(200);
    expect(customerPage.text).not.to.include('SECRET-NOTE');
    const staffPage = await agent.get(`/desk/tickets/${number}`);
    expect(staffPage.text).to.include('SECRET-NOTE');
    expect(ticketRow(number).first_responded_at).to.equal(null);
  });

  it('When an empty reply or a status the ticket cannot take is sent, then the page comes back with 422 and nothing changes', async () => {
    const { number } = await file();
    const empty = await postWorkspaceForm(agent, number, '/reply', { body: '   ' });
    expect(empty.status).to.equal(422);
    expect(sql('select * from messages where ticket_id = ?', ticketRow(number).id)).to.deep.equal([]);
    const status = await postWorkspaceForm(agent, number, '/status', { status: 'resolved' });
    expect(status.status).to.equal(422);
    expect(ticketRow(number).status).to.equal('in_review');
    const closed = await postWorkspaceForm(agent, number, '/status', { status: 'closed' });
    expect(closed.status).to.equal(303);
    expect(ticketRow(number)).to.include({ status: 'closed' });
    expect(sql('select open from ticket_orders where ticket_id = ?', ticketRow(number).id)).to.deep.equal([{ open: 0 }]);
  });

  it('When a duplicate is merged into another ticket, then its messages, screenshots and orders move there and it is marked merged', async () => {
    const dup = await file('en', [{ name: 'shot.png', data: await png() }]);
    const target = await file();
    const dupRow = ticketRow(dup.number);
    const res = await postWorkspaceForm(agent, dup.number, '/merge', { target: target.number.toLowerCase() });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/desk/tickets/${target.number}`);
    const targetRow = ticketRow(target.number);
    expect(ticketRow(dup.number)).to.include({ status: 'merged', merged_into_id: targetRow.id });
    expect(sql('select ticket_id from attachments where original_name = ?', 'shot.png')).to.deep.equal([{ ticket_id: targetRow.id }]);
    expect(sql('select order_id, open from ticket_orders where ticket_id = ? order by order_id', targetRow.id)).to.have.length(2);
    expect(sql('select * from ticket_orders where ticket_id = ?', dupRow.id)).to.deep.equal([]);
    const bad = await postWorkspaceForm(agent, target.number, '/merge', { target: 'RD-ZZZZ-ZZZZ' });
    expect(bad.status).to.equal(422);
    expect(ticketRow(target.number).merged_into_id).to.equal(null);
    expect(ticketRow(target.number).status).to.not.equal('merged');
  });

  it('When another agent opened the ticket in the last two minutes, then the page names them', async () => {
    const { number } = await file();
    const other = await loginAs(desk, `viewer${seq}@desk.test`, 'agent', 'Viktor');
    await other.get(`/desk/tickets/${number}`);
    const viewing = (html: string) => /Also viewing: (.*?)<\/p>/.exec(html)?.[1] ?? null;
    expect(viewing((await agent.get(`/desk/tickets/${number}`)).text)).to.equal('<bdi>Viktor</bdi>');
    desk.db.$client.prepare('update ticket_views set seen_at = seen_at - 180000').run();
    expect(viewing((await agent.get(`/desk/tickets/${number}`)).text)).to.equal(null);
  });

  it('When a canned response is inserted, then it is in the customer’s language with the order ID and amount filled in', async () => {
    seq++;
    upsertOrders(desk.db, [{ id: '661001', customerEmail: 'canned@example.com', link: 'https://t.me/x', quantity: 100, charge: '12.5', status: 'Canceled', createdAt: '2026-11-20T10:00:00Z' }], {
      now: Date.now(),
      currency: 'USD',
    });
    const { number } = confirmationOf(await postTicket(desk.agent(), { email: 'canned@example.com', orderIds: '661001', lng: 'ar', reason: 'not_started' }));
    const page = await agent.get(`/desk/tickets/${number}?canned=cancelRefunded`);
    const body = /<textarea id="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.text)![1]!;
    expect(body).to.match(/[\u0600-\u06FF]/);
    expect(body).to.include('661001').and.to.include('12.5');
    expect(sql("select count(distinct language) n from canned_responses")[0]!.n).to.equal(3);
  });

  it('When an agent opens a manager page, then it is refused', async () => {
    const res = await agent.get('/desk/orders/import');
    expect(res.status).to.equal(403);
  });

  it('When staff forms are posted without a session or without the CSRF token, then nothing is written', async () => {
    const { number } = await file();
    const page = await agent.get(`/desk/tickets/${number}`);
    const fields = formFields(page.text, `/desk/tickets/${number}/reply`);
    const anonymous = await desk.agent().post(`/desk/tickets/${number}/reply`).type('form').send({ ...fields, body: 'x' });
    expect(anonymous.status).to.equal(403);
    const noCsrf = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== '_csrf'));
    const forged = await agent.post(`/desk/tickets/${number}/reply`).type('form').send({ ...noCsrf, body: 'forged' });
    expect(forged.status).to.equal(403);
    expect(sql('select * from messages where ticket_id = ?', ticketRow(number).id)).to.deep.equal([]);
  });
});
