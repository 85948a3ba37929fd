import { expect } from 'chai';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { png } from '../support/images';

describe('customer ticket page', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  let order = 300_000;
  const file = async (fields: Record<string, string> = {}) =>
    confirmationOf(await postTicket(desk.agent(), { orderIds: String(order++), email: `c${order}@example.com`, ...fields }));
  /** Posts a reply from the ticket page as the customer's browser would. */
  async function postReply(number: string, token: string, body: string, files: { name: string; data: Buffer }[] = []) {
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, `/t/${number}?k=${token}`);
    const req = agent.post(`/t/${number}/replies`).field('_csrf', csrf).field('k', token).field('body', body);
    for (const f of files) req.attach('screenshots', f.data, f.name);
    return { res: await req, agent, csrf };
  }

  it('When the private link is opened, then the page shows status, timeline, orders and the customer text', async () => {
    const { number, token } = await file({ details: 'Never started <script>x</script>', orderIds: '123456' });
    const res = await desk.agent().get(`/t/${number}?k=${token}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('<bdi>123456</bdi>');
    expect(res.text).to.include('Ticket opened');
    expect(res.text).to.include('Never started &lt;script&gt;x&lt;/script&gt;');
    expect(res.headers['cache-control']).to.include('no-store');
  });

  it('When the token is wrong or missing, then the answer is the same 404 as for a ticket that does not exist', async () => {
    const { number } = await file();
    const wrong = await desk.agent().get(`/t/${number}?k=not-the-token`);
    const missing = await desk.agent().get(`/t/${number}`);
    const none = await desk.agent().get('/t/RD-2222-2222?k=not-the-token');
    expect([wrong.status, missing.status, none.status]).to.deep.equal([404, 404, 404]);
    // The pages differ only in the requested address (kept in the language links).
    const page = (html: string, n: string) => html.replaceAll(n, 'N').replace(/k=[\w-]+/g, 'k=K');
    expect(page(wrong.text, number)).to.equal(page(none.text, 'RD-2222-2222'));
    expect(wrong.text).to.include('Not found');
  });

  it('When the customer replies with a screenshot, then the message and the screenshot are stored on the ticket', async () => {
    const { number, token } = await file();
    const { res, agent } = await postReply(number, token, 'Here is the proof', [{ name: 'proof.png', data: await png() }]);
    expect(res.status).to.equal(303);
    const [msg] = sql('select m.* from messages m join tickets t on t.id = m.ticket_id where t.number = ?', number);
    expect(msg).to.include({ author_type: 'customer', body: 'Here is the proof', internal: 0 });
    expect(sql('select original_name from attachments where message_id = ?', msg!.id)).to.deep.equal([{ original_name: 'proof.png' }]);
    const page = await agent.get(res.headers.location!);
    expect(page.text).to.include('Here is the proof').and.include('Your reply was sent');
  });

  it('When the customer answers a ticket waiting for them, then it returns to review and the change is audited', async () => {
    const { number, token } = await file();
    desk.db.$client.prepare("update tickets set status = 'waiting_customer' where number = ?").run(number);
    const { res } = await postReply(number, token, 'Answer');
    expect(res.status).to.equal(303);
    const [ticket] = sql('select id, status, version from tickets where number = ?', number);
    expect(ticket).to.include({ status: 'in_review', version: 2 });
    expect(sql('select action, from_status, to_status from audit_events where ticket_id = ? order by id desc limit 1', ticket!.id)).to.deep.equal([
      { action: 'ticket.customerReplied', from_status: 'waiting_customer', to_status: 'in_review' },
    ]);
  });

  it('When a reply is empty, then the page comes back with 422 and the error, and nothing is stored', async () => {
    const { number, token } = await file();
    const { res } = await postReply(number, token, '   ');
    expect(res.status).to.equal(422);
    // Switching language from here stays on the ticket page, with its token.
    expect(res.text).to.include(`href="/t/${number}?k=${token}&amp;lng=uk"`);
    expect(res.text).to.include('id="body-error"');
    expect(sql('select count(*) n from messages m join tickets t on t.id = m.ticket_id where t.number = ?', number)[0]!.n).to.equal(0);
  });

  it('When a reply holds only invisible characters (a bidi override, a control), then it counts as empty and nothing is stored', async () => {
    const { number, token } = await file();
    const { res } = await postReply(number, token, '\u202E\u0007');
    expect(res.status).to.equal(422);
    expect(res.text).to.include('id="body-error"');
    expect(sql('select count(*) n from messages m join tickets t on t.id = m.ticket_id where t.number = ?', number)[0]!.n).to.equal(0);
  });

  it('When a reply has a bad file, then the typed text is kept and no message is stored', async () => {
    const { number, token } = await file();
    const { res } = await postReply(number, token, 'My long explanation', [{ name: 'fake.gif', data: Buffer.from('GIF89a not really') }]);
    expect(res.status).to.equal(422);
    expect(res.text).to.include('>My long explanation</textarea>');
    expect(sql('select count(*) n from messages m join tickets t on t.id = m.ticket_id where t.number = ?', number)[0]!.n).to.equal(0);
  });

  it('When a reply is posted with a wrong token, then it is 404 and nothing is stored', async () => {
    const { number } = await file();
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, '/tickets/new');
    const res = await agent.post(`/t/${number}/replies`).field('_csrf', csrf).field('k', 'wrong').field('body', 'hi');
    expect(res.status).to.equal(404);
    expect(sql('select count(*) n from messages m join tickets t on t.id = m.ticket_id where t.number = ?', number)[0]!.n).to.equal(0);
  });

  it('When a reply is posted without the CSRF token, then it is 403', async () => {
    const { number, token } = await file();
    const res = await desk.agent().post(`/t/${number}/replies`).field('k', token).field('body', 'hi');
    expect(res.status).to.equal(403);
  });

  it('When the customer closes the ticket, then it is closed, its orders are free again and replies are refused', async () => {
    const { number, token } = await file({ orderIds: '777777' });
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, `/t/${number}?k=${token}`);
    const res = await agent.post(`/t/${number}/close`).type('form').send({ _csrf: csrf, k: token });
    expect(res.status).to.equal(303);
    const [ticket] = sql('select * from tickets where number = ?', number);
    expect(ticket).to.include({ status: 'closed' });
    expect(ticket!.closed_at).to.be.a('number');
    expect(sql('select open from ticket_orders where ticket_id = ?', ticket!.id)).to.deep.equal([{ open: 0 }]);
    expect(sql('select from_status, to_status, actor_type from audit_events where ticket_id = ? order by id desc limit 1', ticket!.id)).to.deep.equal([
      { from_status: 'new', to_status: 'closed', actor_type: 'customer' },
    ]);
    const page = await agent.get(`/t/${number}?k=${token}`);
    expect(page.text).to.include('This ticket is closed').and.not.include('action="/t/' + number + '/replies"');
    const reply = await agent.post(`/t/${number}/replies`).field('_csrf', csrf).field('k', token).field('body', 'again');
    expect(reply.status).to.equal(422);
    // The order can be asked about again in a new ticket.
    confirmationOf(await postTicket(desk.agent(), { orderIds: '777777', email: 'again@example.com' }));
  });

  it('When the audit trail is edited or deleted, then the database refuses', () => {
    expect(() => desk.db.$client.prepare("update audit_events set action = 'x'").run()).to.throw(/append-only/);
    expect(() => desk.db.$client.prepare('delete from audit_events').run()).to.throw(/append-only/);
  });
});

describe('lookup: getting the private link again', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());

  const outboxCount = () => (desk.db.$client.prepare('select count(*) n from outbox').get() as { n: number }).n;
  async function lookup(email: string, number: string) {
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, '/tickets/lookup');
    return agent.post('/tickets/lookup').type('form').send({ _csrf: csrf, email, number });
  }
  const bodyOf = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');

  it('When email and number match, and when they do not, then the answer is the same and only a match sends an email', async () => {
    const { number } = confirmationOf(await postTicket(desk.agent(), { orderIds: '11', email: 'look@example.com' }));
    const before = outboxCount();
    const hit = await lookup('LOOK@example.com', number.toLowerCase());
    expect(outboxCount()).to.equal(before + 1);
    const wrongEmail = await lookup('other@example.com', number);
    const noTicket = await lookup('look@example.com', 'RD-2222-2222');
    expect(outboxCount()).to.equal(before + 1);
    expect([hit.status, wrongEmail.status, noTicket.status]).to.deep.equal([200, 200, 200]);
    expect(bodyOf(hit.text)).to.equal(bodyOf(wrongEmail.text)).and.equal(bodyOf(noTicket.text));
    const mail = JSON.parse((desk.db.$client.prepare('select payload from outbox order by id desc limit 1').get() as { payload: string }).payload);
    expect(mail.to).to.equal('look@example.com');
    expect(mail.subject).to.include(number);
  });

  it('When the number is malformed, then the form shows the error and keeps the input', async () => {
    const res = await lookup('a@example.com', 'hello');
    expect(res.status).to.equal(422);
    expect(res.text).to.include('id="number-error"').and.include('value="hello"').and.include('value="a@example.com"');
  });
});
