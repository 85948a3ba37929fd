import { expect } from 'chai';
import { createApiToken, type Scope } from '../../server/api/tokens';
import { createStaffUser } from '../../server/auth/staff';
import { startTestDesk, type TestDesk } from '../support/desk';

describe('panel API: GET /api/v1/decisions, issued decisions since a cursor', () => {
  let desk: TestDesk;
  let reader: string;
  let staffId: number;
  const T = Date.parse('2026-12-01T10:00:00Z');
  /** Issued decisions as the API must list them: ordered by (issued_at, id). */
  const issued: { id: number; issuedAt: number; ticket: string; email: string; orderId: string }[] = [];

  before(async () => {
    desk = await startTestDesk();
    reader = token(['decisions:read']);
    staffId = (await createStaffUser(desk.db, { email: 'agent@desk.test', name: 'Alya', role: 'agent', password: 'staff-password-123' }, Date.now())).id;
    // Three tickets with three orders each; issued out of id order, with ties on the time.
    const offsets = [5, 1, 3, 1, 9, 2, 7, 3];
    let n = 0;
    for (const t of [1, 2, 3]) {
      const orderIds = [1, 2, 3].map((o) => String(90_000 + t * 10 + o));
      const { number, email } = await fileTicket(`feed${t}@example.com`, orderIds);
      for (const orderId of orderIds) {
        const offset = offsets[n++];
        if (offset === undefined) {
          // The last order of all: one void (once issued, then found not to have happened) and one awaiting the provider.
          insertDecision(number, orderId, 'void', T + 4_000);
          insertDecision(number, orderId, 'awaiting_confirmation', null);
          continue;
        }
        const id = insertDecision(number, orderId, 'issued', T + offset * 1000);
        issued.push({ id, issuedAt: T + offset * 1000, ticket: number, email, orderId });
      }
    }
    issued.sort((a, b) => a.issuedAt - b.issuedAt || a.id - b.id);
  });
  after(() => desk.cleanup());

  const token = (scopes: Scope[]) => createApiToken(desk.db, 'panel', scopes, Date.now()).token;
  const get = (query: string, bearer = reader) => desk.agent().get(`/api/v1/decisions${query}`).set('Authorization', `Bearer ${bearer}`);

  async function fileTicket(email: string, orderIds: string[]) {
    const res = await desk
      .agent()
      .post('/api/v1/tickets')
      .set('Authorization', `Bearer ${token(['tickets:write'])}`)
      .send({ email, orderIds, link: 'https://instagram.com/p/feed', reason: 'not_started', details: 'Never started.', preferredResolution: 'balance', language: 'en' });
    expect(res.status).to.equal(201);
    return { number: res.body.ticket.number as string, email };
  }

  function insertDecision(number: string, orderId: string, state: string, issuedAt: number | null): number {
    const ticket = desk.db.$client.prepare('select id from tickets where number = ?').get(number) as { id: number };
    const row = desk.db.$client
      .prepare(
        `insert into decisions (ticket_id, order_key, order_id, state, outcome, destination, amount_micros, currency, rule, decided_by, decided_at, issued_at)
         values (?, ?, ?, ?, 'full_refund', 'balance', 278190, 'USD', 'pending.cancel', ?, ?, ?) returning id`,
      )
      .get(ticket.id, orderId, orderId, state, staffId, T, issuedAt) as { id: number };
    return row.id;
  }

  it('When the token lacks decisions:read, then the answer is 403 naming the scope; without a token, 401', async () => {
    const res = await get('', token(['tickets:read', 'tickets:write', 'orders:write']));
    expect(res.status).to.equal(403);
    expect(res.body.error).to.include({ code: 'forbidden' });
    expect(res.body.error.details.requiredScope).to.deep.equal(['decisions:read']);
    expect((await desk.agent().get('/api/v1/decisions')).status).to.equal(401);
  });

  it('When decisions are read without a cursor, then every issued one comes in issue order with its ticket, customer and money, and none void or awaiting', async () => {
    const res = await get('');
    expect(res.status).to.equal(200);
    expect(res.body.decisions.map((d: { id: number }) => d.id)).to.deep.equal(issued.map((d) => d.id));
    const first = issued[0]!;
    expect(res.body.decisions[0]).to.deep.include({
      id: first.id,
      state: 'issued',
      outcome: 'full_refund',
      destination: 'balance',
      amount: '0.278190',
      currency: 'USD',
      ticket: first.ticket,
      customerEmail: first.email,
      orderId: first.orderId,
      issuedAt: new Date(first.issuedAt).toISOString(),
    });
    expect(res.body.decisions.every((d: { state: string }) => d.state === 'issued')).to.equal(true);
    expect(res.body.next).to.be.a('string');
  });

  it('When a panel pages with next, then each issued decision comes exactly once in order, and polling later brings only the new ones', async () => {
    const seen: number[] = [];
    let pages = 0;
    let next: string | null = null;
    for (;;) {
      const res = await get(`?limit=3${next ? `&after=${next}` : ''}`);
      expect(res.status).to.equal(200);
      expect(res.body.decisions.length).to.be.at.most(3);
      if (res.body.decisions.length === 0) {
        // At the end the cursor stays where it was, so a poller can keep it.
        expect(res.body.next).to.equal(next);
        break;
      }
      seen.push(...res.body.decisions.map((d: { id: number }) => d.id));
      next = res.body.next;
      pages += 1;
    }
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal(issued.map((d) => d.id));

    const { number } = await fileTicket('feed-late@example.com', ['90100']);
    const late = insertDecision(number, '90100', 'issued', T + 60_000);
    const poll = await get(`?after=${next}`);
    expect(poll.body.decisions.map((d: { id: number }) => d.id)).to.deep.equal([late]);
    expect((await get(`?after=${poll.body.next}`)).body.decisions).to.deep.equal([]);
    desk.db.$client.prepare("update decisions set state = 'void' where id = ?").run(late);
  });

  it('When the cursor is not one the desk gave out, then the answer is 400 bad_cursor in the caller\'s language', async () => {
    const good = Buffer.from(`${T}:1`).toString('base64url');
    for (const bad of ['not-a-cursor', Buffer.from('abc:1').toString('base64url'), Buffer.from(`${T}`).toString('base64url'), `${good}=`, `${good}.`, '']) {
      const res = await get(`?after=${encodeURIComponent(bad)}`);
      expect(res.status, bad).to.equal(400);
      expect(res.body.error.code, bad).to.equal('bad_cursor');
    }
    expect((await get(`?after=${good}&after=${good}`)).body.error.code).to.equal('bad_cursor');
    const ar = await get('?after=nope').set('Accept-Language', 'ar');
    expect(ar.body.error.message).to.match(/[\u0600-\u06FF]/);
    const uk = await get('?after=nope').set('Accept-Language', 'uk');
    expect(uk.body.error.message).to.match(/[\u0400-\u04FF]/);
  });

  it('When the limit is out of range, then 0 or text is refused and more than 500 is served as 500', async () => {
    for (const bad of ['0', '-1', 'ten', '2.5']) {
      const res = await get(`?limit=${bad}`);
      expect(res.status, bad).to.equal(400);
      expect(res.body.error).to.include({ code: 'bad_request' });
      expect(res.body.error.details).to.deep.equal({ parameter: 'limit', max: 500 });
    }
    const res = await get('?limit=100000');
    expect(res.status).to.equal(200);
    expect(res.body.decisions).to.have.length(issued.length);
  });
});
