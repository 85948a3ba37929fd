import { expect } from 'chai';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, validTicket, type TestDesk } from '../support/desk';

describe('intake: filing a ticket', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const ticketCount = () => sql('select count(*) n from tickets')[0]!.n as number;
  let nextOrder = 500_000;
  const freshOrders = (n = 1) => Array.from({ length: n }, () => String(nextOrder++)).join(', ');

  for (const [lng, subject] of [
    ['en', /received/],
    ['ar', /[\u0600-\u06FF]/],
    ['uk', /[\u0400-\u04FF]/],
  ] as const) {
    it(`When a valid ticket is filed in ${lng}, then it is stored with its orders and a confirmation email is queued in ${lng}`, async () => {
      const agent = desk.agent();
      const orderIds = freshOrders(2);
      const res = await postTicket(agent, { lng, orderIds, email: `${lng}@example.com` });
      const { number, token } = confirmationOf(res);

      const [ticket] = sql('select * from tickets where number = ?', number);
      expect(ticket).to.include({ language: lng, email: `${lng}@example.com`, status: 'new', reason: 'not_started' });
      const orders = sql('select order_id, open from ticket_orders where ticket_id = ? order by order_id', ticket!.id);
      expect(orders.map((o) => o.order_id)).to.deep.equal(orderIds.split(', '));
      expect(sql('select * from audit_events where ticket_id = ?', ticket!.id)[0]).to.include({ action: 'ticket.created', to_status: 'new' });

      const [mail] = sql("select payload from outbox where kind = 'email' order by id desc limit 1");
      const payload = JSON.parse(mail!.payload as string);
      expect(payload.to).to.equal(`${lng}@example.com`);
      expect(payload.lang).to.equal(lng);
      expect(payload.subject).to.match(subject).and.to.include(number);
      expect(payload.text).to.include(`http://desk.test/t/${number}?k=${token}`);

      const page = await agent.get(res.headers.location!);
      expect(page.status).to.equal(200);
      expect(page.text).to.include(number).and.to.include(`lang="${lng}"`);
    });
  }

  it('When the page is opened with prefill parameters, then the fields are filled in and the language is set', async () => {
    const res = await desk.agent().get('/tickets/new?orderIds=81532,81533&link=https://t.me/x&reason=drop&lng=ar');
    expect(res.text).to.include('<html lang="ar" dir="rtl">');
    expect(res.text).to.match(/<textarea id="orderIds"[^>]*>81532,81533<\/textarea>/);
    expect(res.text).to.include('value="https://t.me/x"');
    expect(res.text).to.match(/<option value="drop" selected>/);
  });

  it('When / is opened, then it shows the form too', async () => {
    const res = await desk.agent().get('/');
    expect(res.text).to.include('action="/tickets"');
  });

  const invalid: [string, Record<string, string>, string, string][] = [
    ['the email is not an email', { email: 'not-an-email' }, 'email', 'Enter a valid email address'],
    ['an order ID is not numeric', { orderIds: '81532, abc' }, 'orderIds', 'is not an order ID'],
    ['eleven orders are given', { orderIds: '1 2 3 4 5 6 7 8 9 10 11' }, 'orderIds', 'At most 10 orders'],
    ['the link is not a link', { link: 'javascript:alert(1)' }, 'link', 'Enter the full link'],
    ['the reason is made up', { reason: 'free_money' }, 'reason', 'Choose a reason'],
    ['other has no details', { reason: 'other', details: '' }, 'details', 'Please tell us what happened'],
    ['the resolution is made up', { preferredResolution: 'cash' }, 'preferredResolution', 'This field is required'],
    ['a billing error has no reference', { reason: 'billing_error', orderIds: '', amount: '5' }, 'paymentReference', 'payment or transaction reference'],
    ['a billing error has a bad amount', { reason: 'billing_error', orderIds: '', paymentReference: 'TX1', amount: '5.5.5' }, 'amount', 'Enter an amount'],
  ];
  for (const [when, change, field, message] of invalid) {
    it(`When ${when}, then the form returns 422 with the error beside ${field}, all input kept and nothing stored`, async () => {
      const before = ticketCount();
      const details = 'Keep this text <b>please</b>';
      const res = await postTicket(desk.agent(), { details, ...change });
      expect(res.status).to.equal(422);
      const error = new RegExp(`<p class="field-error" id="${field}-error">(?:(?!</p>).)*${message}`);
      expect(res.text).to.match(error);
      expect(res.text).to.include(`value="${change.email ?? validTicket.email}"`);
      if (!('details' in change)) expect(res.text).to.include('Keep this text &lt;b&gt;please&lt;/b&gt;');
      expect(ticketCount()).to.equal(before);
    });
  }

  it('When the form comes back with errors, then the language links lead to the form page, not to the POST address', async () => {
    const res = await postTicket(desk.agent(), { email: 'nope' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('href="/tickets/new?lng=ar"').and.not.include('href="/tickets?lng=');
  });

  it('When the form is sent in Arabic with an error, then the error is in Arabic', async () => {
    const res = await postTicket(desk.agent(), { lng: 'ar', email: 'nope' });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/<p class="field-error" id="email-error">[^<]*[\u0600-\u06FF]/);
  });

  it('When a billing error is filed with a reference and an amount, then the amount is stored exactly in micro-units', async () => {
    const res = await postTicket(desk.agent(), {
      email: 'billing@example.com', reason: 'billing_error', orderIds: '', link: '', paymentReference: 'PAY-77', amount: '12.345678',
    });
    const { number } = confirmationOf(res);
    expect(sql('select amount_micros, currency, payment_reference from tickets where number = ?', number)[0]).to.deep.equal({
      amount_micros: 12_345_678, currency: 'USD', payment_reference: 'PAY-77',
    });
  });

  it('When an order already has an open ticket, then no second ticket is made and the link goes to the first ticket\'s email only', async () => {
    const orderIds = freshOrders(1);
    const first = confirmationOf(await postTicket(desk.agent(), { orderIds, email: 'owner@example.com' }));
    const before = ticketCount();
    const mailsBefore = sql('select count(*) n from outbox')[0]!.n as number;

    const res = await postTicket(desk.agent(), { orderIds: `${orderIds}, ${freshOrders(1)}`, email: 'someone-else@example.com' });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/id="orderIds-error">[^<]*Already in an open ticket/);
    expect(res.text).to.not.include(first.number).and.not.include(first.token).and.not.include('owner@example.com');
    expect(ticketCount()).to.equal(before);
    const mails = sql('select payload from outbox where id > ?', mailsBefore).map((m) => JSON.parse(m.payload as string));
    expect(mails).to.have.length(1);
    expect(mails[0].to).to.equal('owner@example.com');
    expect(mails[0].text).to.include(`/t/${first.number}?k=`);
    // The emailed link is a new, working one; the first link keeps working too.
    const link = /\/t\/[\w-]+\?k=[\w-]+/.exec(mails[0].text)![0];
    expect((await desk.agent().get(link)).status).to.equal(200);
    expect((await desk.agent().get(`/t/${first.number}?k=${first.token}`)).status).to.equal(200);
  });

  it('When the database is asked to hold one order in two open tickets, then it refuses', () => {
    const [t1, t2] = sql('select id from tickets limit 2');
    desk.db.$client.prepare("insert into ticket_orders (ticket_id, order_id, open) values (?, '999001', 1)").run(t1!.id);
    expect(() =>
      desk.db.$client.prepare("insert into ticket_orders (ticket_id, order_id, open) values (?, '999001', 1)").run(t2!.id),
    ).to.throw(/UNIQUE/);
  });

  it('When an email already has 3 open tickets, then a fourth is refused with the cap in the message', async () => {
    for (let i = 0; i < 3; i++) confirmationOf(await postTicket(desk.agent(), { email: 'busy@example.com', orderIds: freshOrders() }));
    const before = ticketCount();
    const res = await postTicket(desk.agent(), { email: 'Busy@Example.com', orderIds: freshOrders() });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/id="email-error">[^<]*already has 3 open tickets/);
    expect(ticketCount()).to.equal(before);
  });

  it('When the CSRF token is missing, then the submit is refused with 403 and nothing is stored', async () => {
    const agent = desk.agent();
    await csrfFrom(agent, '/tickets/new');
    const before = ticketCount();
    const res = await postTicket(agent, { orderIds: freshOrders() }, [], { csrf: null });
    expect(res.status).to.equal(403);
    expect(res.text).to.include('Form expired');
    expect(ticketCount()).to.equal(before);
  });

  it('When the CSRF token belongs to another browser, then the submit is refused with 403', async () => {
    const stolen = await csrfFrom(desk.agent(), '/tickets/new');
    const res = await postTicket(desk.agent(), { orderIds: freshOrders() }, [], { csrf: stolen });
    expect(res.status).to.equal(403);
  });

  it('When a form is posted from another origin, then it is refused with 403', async () => {
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, '/tickets/lookup');
    const res = await agent.post('/tickets/lookup').set('Origin', 'https://evil.example').type('form').send({ _csrf: csrf, email: 'a@b.co', number: 'RD-2222-2222' });
    expect(res.status).to.equal(403);
  });
});

describe('intake: rate limit', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk({ RATE_LIMIT_INTAKE: '2' });
  });
  after(() => desk.cleanup());

  it('When one address submits more than the limit, then it gets the 429 page and nothing more is stored', async () => {
    const agent = desk.agent();
    confirmationOf(await postTicket(agent, { orderIds: '700001' }));
    confirmationOf(await postTicket(agent, { orderIds: '700002', email: 'b@example.com' }));
    const res = await postTicket(agent, { orderIds: '700003', email: 'c@example.com' });
    expect(res.status).to.equal(429);
    expect(res.text).to.include('Too many requests');
    expect(desk.db.$client.prepare('select count(*) n from tickets').get()).to.deep.equal({ n: 2 });
  });
});
