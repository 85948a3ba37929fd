import { expect } from 'chai';
import { createApiToken, type Scope } from '../../server/api/tokens';
import { PRESETS } from '../../server/domain/policy/settings';
import { writeSetting } from '../../server/settings/store';
import { filesIn, startTestDesk, type TestDesk } from '../support/desk';
import { htmlPretendingToBePng, png } from '../support/images';

describe('panel API: tickets with their orders and the recommendation', () => {
  let desk: TestDesk;
  let panel: string;
  before(async () => {
    desk = await startTestDesk();
    panel = createApiToken(desk.db, 'panel', ['orders:write', 'tickets:read', 'tickets:write'], Date.now()).token;
    const services = [{ id: '7', name: 'Followers', providerId: 'p1', refillDays: 30, cancelAllowed: true }];
    await call('put', '/services').send(services);
    const orders = [
      // 1000 ordered, 157 never delivered: the panel owes 0.27819 × 157 ÷ 1000 = 0.04367583 → 0.043675
      order('81532', { status: 'Partial', remains: '157', completedAt: '2026-11-21T08:00:00Z' }),
      order('81533', { status: 'Pending', remains: '1000', customerEmail: 'someone-else@example.com' }),
      order('81540', { status: 'Partial', remains: '500', refunded: '0.139095' }),
    ];
    const pushed = await call('put', '/orders').send(orders);
    expect(pushed.body.stored).to.equal(3);
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  function call(method: 'get' | 'put' | 'post', path: string, bearer = panel) {
    return desk.agent()[method](`/api/v1${path}`).set('Authorization', `Bearer ${bearer}`);
  }
  function order(id: string, extra: Record<string, string>) {
    return {
      id,
      customerEmail: 'buyer@example.com',
      serviceId: '7',
      providerId: 'p1',
      link: 'https://instagram.com/p/xyz',
      quantity: '1000',
      charge: '0.27819',
      startCount: '3572',
      createdAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      ...extra,
    };
  }
  const ticket = (extra: Record<string, unknown> = {}) => ({
    email: 'buyer@example.com',
    orderIds: ['81532'],
    link: 'https://instagram.com/p/xyz',
    reason: 'partial_delivery',
    details: 'Only part of it arrived.',
    preferredResolution: 'balance',
    language: 'uk',
    ...extra,
  });

  it('When a ticket about a partial order is created, then it is stored and linked, and the recommendation is the exact undelivered amount', async () => {
    const res = await call('post', '/tickets').send(ticket());
    expect(res.status).to.equal(201);
    const number = res.body.ticket.number as string;
    expect(res.body.customerUrl).to.match(new RegExp(`^http://desk.test/t/${number}\\?k=`));
    const [row] = sql('select * from tickets where number = ?', number);
    expect(row).to.include({ language: 'uk', reason: 'partial_delivery', status: 'new' });
    expect(sql('select order_id, known_at_intake, email_matches from ticket_orders where ticket_id = ?', row!.id)).to.deep.equal([
      { order_id: '81532', known_at_intake: 1, email_matches: 1 },
    ]);
    expect(sql("select count(*) n from outbox where kind = 'email'")[0]!.n).to.equal(1);

    const read = await call('get', `/tickets/${number}`);
    expect(read.status).to.equal(200);
    const [o] = read.body.ticket.orders;
    expect(o).to.include({ id: '81532', known: true, emailMatches: true, decision: null });
    expect(o.order).to.include({ status: 'partial', remains: 157, quantity: 1000, charge: '0.278190' });
    expect(o.recommendation).to.deep.include({
      outcome: 'partial_refund',
      amount: '0.043675',
      currency: 'USD',
      destinations: ['balance'],
      rule: 'partial.undelivered',
      flags: [],
    });
    expect(o.recommendation.explanation).to.be.a('string').and.not.equal('partial.undelivered');
    expect(o.checklist.map((c: { key: string }) => c.key)).to.deep.equal(['customerOwnsOrder', 'undeliveredComputed', 'noAutomaticRefund']);
    expect(o.checklist[0]).to.include({ mandatory: true, evidence: 'pass' });
    expect(o.eligibleOutcomes).to.deep.equal(['partial_refund', 'reject']);
  });

  it('When the panel already refunded the undelivered part, then the recommendation is to reject as already refunded', async () => {
    const res = await call('post', '/tickets').send(ticket({ orderIds: '81540', email: 'buyer2@example.com' }));
    expect(res.status).to.equal(201);
    const [o] = res.body.ticket.orders;
    expect(o.emailMatches).to.equal(false);
    expect(o.recommendation).to.include({ outcome: 'reject', rule: 'alreadyRefunded', amount: '0.000000', rejectReason: 'already_refunded' });
    expect(o.recommendation.flags).to.include('already_refunded');
  });

  it('When a ticket names an unknown order and another customer’s order, then both are recorded and flagged', async () => {
    const res = await call('post', '/tickets').send(
      ticket({ email: 'third@example.com', orderIds: [81533, 99999], reason: 'not_started', language: 'ar' }),
    );
    expect(res.status).to.equal(201);
    const id = sql('select id from tickets where number = ?', res.body.ticket.number)[0]!.id;
    expect(sql('select order_id, known_at_intake, email_matches from ticket_orders where ticket_id = ? order by order_id', id)).to.deep.equal([
      { order_id: '81533', known_at_intake: 1, email_matches: 0 },
      { order_id: '99999', known_at_intake: 0, email_matches: null },
    ]);
    const [known, unknown] = res.body.ticket.orders;
    expect(known.checklist[0]).to.include({ key: 'customerOwnsOrder', evidence: 'fail' });
    expect(unknown).to.include({ known: false, order: null });
    expect(unknown.recommendation).to.include({ outcome: null, rule: 'order.unknown' });
    expect(unknown.recommendation.flags).to.deep.equal(['order_unknown']);
  });

  it('When a ticket is sent as multipart with a screenshot, then the screenshot is attached', async () => {
    const res = await call('post', '/tickets')
      .field('email', 'shots@example.com')
      .field('orderIds', '123123')
      .field('link', 'https://t.me/channel')
      .field('reason', 'not_started')
      .field('preferredResolution', 'balance')
      .attach('screenshots', await png(), 'proof.png');
    expect(res.status).to.equal(201);
    const id = sql('select id from tickets where number = ?', res.body.ticket.number)[0]!.id;
    expect(sql('select original_name, stage_key_hash from attachments where ticket_id = ?', id)).to.deep.equal([
      { original_name: 'proof.png', stage_key_hash: null },
    ]);
  });

  it('When a field is invalid or a file is not an image, then the answer is 422 with messages per field and nothing is stored', async () => {
    const tickets = sql('select count(*) n from tickets')[0]!.n;
    const files = filesIn(desk.store.dir).length;
    const bad = await call('post', '/tickets').send(ticket({ email: 'nope', orderIds: 'abc', reason: 'whatever' }));
    expect(bad.status).to.equal(422);
    expect(bad.body.error.code).to.equal('validation_failed');
    expect(bad.body.error.details.fields).to.have.keys('email', 'orderIds', 'reason');
    const html = await call('post', '/tickets')
      .field('email', 'shots@example.com')
      .field('orderIds', '555555')
      .field('link', 'https://t.me/channel')
      .field('reason', 'not_started')
      .attach('screenshots', htmlPretendingToBePng, 'evil.png');
    expect(html.status).to.equal(422);
    expect(html.body.error.details.fields).to.have.keys('screenshots');
    expect(sql('select count(*) n from tickets')[0]!.n).to.equal(tickets);
    expect(filesIn(desk.store.dir)).to.have.length(files);
  });

  it('When an order already has an open ticket, then the answer is 409 naming it, and no ticket or file is added', async () => {
    const tickets = sql('select count(*) n from tickets')[0]!.n;
    const files = filesIn(desk.store.dir).length;
    const res = await call('post', '/tickets')
      .field('email', 'buyer@example.com')
      .field('orderIds', '81532')
      .field('link', 'https://instagram.com/p/xyz')
      .field('reason', 'partial_delivery')
      .attach('screenshots', await png(), 'again.png');
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('duplicate_order');
    expect(res.body.error.details.orderIds).to.deep.equal(['81532']);
    expect(res.body.error.details.tickets).to.have.length(1);
    expect(res.body.error.details.tickets).to.deep.equal(sql("select t.number from tickets t join ticket_orders o on o.ticket_id = t.id where o.order_id = '81532' and o.open = 1").map((r) => r.number));
    expect(res.body.error.details.fields.orderIds).to.include('81532');
    expect(sql('select count(*) n from tickets')[0]!.n).to.equal(tickets);
    expect(filesIn(desk.store.dir)).to.have.length(files);
    expect(sql('select count(*) n from attachments where ticket_id is null')[0]!.n).to.equal(0);
  });

  it('When the customer has reached the open-ticket cap, then the answer is 422 open_ticket_limit', async () => {
    for (const id of ['300001', '300002']) {
      expect((await call('post', '/tickets').send(ticket({ email: 'busy@example.com', orderIds: id }))).status).to.equal(201);
    }
    await call('post', '/tickets').send(ticket({ email: 'busy@example.com', orderIds: '300003' }));
    const res = await call('post', '/tickets').send(ticket({ email: 'busy@example.com', orderIds: '300004' }));
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('open_ticket_limit');
    expect(sql("select count(*) n from tickets where email = 'busy@example.com'")[0]!.n).to.equal(3);
  });

  const scopes: [string, 'get' | 'post', string, Scope[], Scope][] = [
    ['read a ticket', 'get', '/tickets/RD-AAAA-AAAA', ['tickets:write', 'orders:write'], 'tickets:read'],
    ['create a ticket', 'post', '/tickets', ['tickets:read', 'orders:write'], 'tickets:write'],
  ];
  for (const [what, method, path, others, required] of scopes) {
    it(`When a token without the scope tries to ${what}, then the answer is 403`, async () => {
      const other = createApiToken(desk.db, 'other', others, Date.now()).token;
      const res = await call(method, path, other).send(ticket({ orderIds: '444444' }));
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
      expect(res.body.error.details).to.deep.equal({ requiredScope: [required] });
      // The refusal carries the error and nothing else: no ticket, no customer link.
      expect(Object.keys(res.body)).to.deep.equal(['error']);
      // Only the POST could have filed the ticket it carries: nothing of it may be stored.
      if (method === 'post') expect(sql("select count(*) n from ticket_orders where order_id = '444444'")[0]!.n).to.equal(0);
    });
  }

  it('When two orders of one service run on the same link at once, then the review flags the overlap, following the preset in settings', async () => {
    const twin = (id: string, serviceId: string, status = 'Pending') =>
      order(id, { status, remains: '1000', serviceId, customerEmail: 'twins@example.com', link: 'https://instagram.com/p/ovl' });
    // 81550 was canceled (a refund is due) while its twin 81551 ran on the same link
    const pushed = await call('put', '/orders').send([twin('81550', '7', 'Canceled'), twin('81551', '7'), twin('81552', '8')]);
    expect(pushed.body.stored).to.equal(3);

    const overlapping = await call('post', '/tickets').send(ticket({ email: 'twins@example.com', orderIds: '81550', reason: 'changed_mind' }));
    const [o] = overlapping.body.ticket.orders;
    expect(o.recommendation.flags).to.include('overlapping');
    expect(o.recommendation).to.include({ outcome: null, rule: 'overlapping.review' });

    const otherService = await call('post', '/tickets').send(ticket({ email: 'twins@example.com', orderIds: '81552', reason: 'changed_mind' }));
    expect(otherService.body.ticket.orders[0].recommendation.flags).not.to.include('overlapping');

    writeSetting(desk.db, 'policy', PRESETS.strict, Date.now());
    try {
      const strict = await call('get', `/tickets/${overlapping.body.ticket.number}`);
      expect(strict.body.ticket.orders[0].recommendation).to.include({ outcome: 'reject', rule: 'overlapping.reject' });
    } finally {
      writeSetting(desk.db, 'policy', PRESETS.standard, Date.now());
    }
  });

  it('When a ticket number does not exist, then the answer is 404', async () => {
    const res = await call('get', '/tickets/RD-ZZZZ-ZZZZ');
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('not_found');
  });
});

describe('panel API: rate limit per token', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk({ RATE_LIMIT_API: '3' });
  });
  after(() => desk.cleanup());

  it('When a token goes over its limit, then the answer is 429, and another token is not affected', async () => {
    const a = createApiToken(desk.db, 'a', ['tickets:read'], Date.now()).token;
    const b = createApiToken(desk.db, 'b', ['tickets:read'], Date.now()).token;
    const get = (t: string) => desk.agent().get('/api/v1/orders/1').set('Authorization', `Bearer ${t}`);
    for (let i = 0; i < 3; i++) expect((await get(a)).status).to.equal(404);
    const limited = await get(a);
    expect(limited.status).to.equal(429);
    expect(limited.body.error.code).to.equal('rate_limited');
    expect((await get(b)).status).to.equal(404);
  });
});
