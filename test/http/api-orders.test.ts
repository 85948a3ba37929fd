import { expect } from 'chai';
import { createApiToken, revokeApiToken, type Scope } from '../../server/api/tokens';
import { startTestDesk, type TestDesk } from '../support/desk';

describe('panel API: tokens, scopes, services and orders', () => {
  let desk: TestDesk;
  let writer: string;
  let reader: string;
  before(async () => {
    desk = await startTestDesk();
    writer = token(['orders:write']);
    reader = token(['tickets:read']);
  });
  after(() => desk.cleanup());

  const token = (scopes: Scope[]) => createApiToken(desk.db, 'panel', scopes, Date.now()).token;
  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const put = (path: string, body: unknown, bearer = writer) =>
    desk.agent().put(`/api/v1${path}`).set('Authorization', `Bearer ${bearer}`).send(body as object);

  const order = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    customerEmail: 'Buyer@Example.com',
    serviceId: '12',
    providerId: 'prov-1',
    providerOrderId: `p${id}`,
    link: 'https://instagram.com/p/xyz',
    quantity: 1000,
    charge: '0.27819',
    currency: 'USD',
    startCount: '3572',
    remains: 157,
    status: 'Partial',
    createdAt: '2026-11-20T10:00:00Z',
    completedAt: '2026-11-21 08:30:00',
    ...extra,
  });

  describe('authentication and scopes', () => {
    it('When no token is sent, then the answer is 401 with a JSON error and nothing is stored', async () => {
      const res = await desk.agent().put('/api/v1/orders').send([order('1')]);
      expect(res.status).to.equal(401);
      expect(res.body.error).to.include({ code: 'unauthorized' });
      expect(res.body.error.message).to.be.a('string').with.length.greaterThan(0);
      expect(res.headers['www-authenticate']).to.match(/^Bearer/);
      expect(sql('select count(*) n from orders')[0]!.n).to.equal(0);
    });

    it('When an unknown or revoked token is sent, then the answer is 401', async () => {
      expect((await put('/orders', [order('1')], 'rdk_not-a-real-token')).status).to.equal(401);
      const { id, token: revoked } = createApiToken(desk.db, 'old', ['orders:write'], Date.now());
      expect((await put('/orders', [], revoked)).status).to.equal(200);
      revokeApiToken(desk.db, id, Date.now());
      const res = await put('/orders', [order('1')], revoked);
      expect(res.status).to.equal(401);
      expect(sql('select count(*) n from orders')[0]!.n).to.equal(0);
    });

    it('When a token lacks the scope, then the answer is 403 naming the scope, and nothing is stored', async () => {
      const res = await put('/orders', [order('1')], reader);
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
      expect(res.body.error.details.requiredScope).to.deep.equal(['orders:write']);
      expect(sql('select count(*) n from orders')[0]!.n).to.equal(0);
    });

    it('When the error is asked for in Arabic, then its message is Arabic', async () => {
      const res = await desk.agent().get('/api/v1/orders/1').set('Accept-Language', 'ar');
      expect(res.status).to.equal(401);
      expect(res.body.error.message).to.match(/[\u0600-\u06FF]/);
    });

    it('When a token is used, then only its hash is stored and its last use is recorded', async () => {
      const { id, token: fresh } = createApiToken(desk.db, 'audit', ['tickets:read'], Date.now());
      await desk.agent().get('/api/v1/orders/404404').set('Authorization', `Bearer ${fresh}`);
      const [row] = sql('select token_hash, last_used_at from api_tokens where id = ?', id);
      expect(row!.token_hash).to.match(/^[0-9a-f]{64}$/).and.not.equal(fresh);
      expect(row!.last_used_at).to.be.a('number');
    });
  });

  describe('PUT /api/v1/services', () => {
    it('When services are pushed, then they are stored with refill days and cancel flags, and bad items are listed by index', async () => {
      const res = await put('/services', {
        items: [
          { id: '12', name: 'Instagram followers [refill 30d]', providerId: 'prov-1', refillDays: 30, cancelAllowed: true },
          { id: '13', name: 'Views', providerId: 'prov-2', refillDays: '0', cancelAllowed: 'false' },
          { id: '14', refillDays: -1 },
        ],
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ stored: 2, created: 2, updated: 0, unchanged: 0 });
      expect(res.body.errors).to.have.length(1);
      expect(res.body.errors[0]).to.include({ index: 2, code: 'invalid_item' });
      expect(res.body.errors[0].details.fields).to.have.keys('name', 'refillDays');
      expect(sql('select id, refill_days, cancel_allowed from services order by id')).to.deep.equal([
        { id: '12', refill_days: 30, cancel_allowed: 1 },
        { id: '13', refill_days: 0, cancel_allowed: 0 },
      ]);
      expect(sql('select id from providers order by id').map((r) => r.id)).to.deep.equal(['prov-1', 'prov-2']);
    });
  });

  describe('PUT /api/v1/orders', () => {
    it('When good and bad orders are pushed together, then the good ones are stored exactly and the bad ones are reported by index', async () => {
      const res = await put('/orders', [
        order('81532'),
        order('81533', { charge: '1.5', status: 'In Progress', remains: '400' }),
        order('abc'),
        order('81534', { charge: '0.1.2', customerEmail: 'nope', quantity: 0 }),
        'not an object',
        order('81535', { status: 'Exploded', createdAt: 1_763_632_800 }),
      ]);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ stored: 3, created: 3 });
      expect(res.body.errors.map((e: { index: number }) => e.index)).to.deep.equal([2, 3, 4]);
      expect(res.body.errors[0].details.fields).to.have.keys('id');
      expect(res.body.errors[1].details.fields).to.have.keys('charge', 'customerEmail', 'quantity');

      const [partial] = sql('select * from orders where id = ?', '81532');
      expect(partial).to.include({
        customer_email: 'buyer@example.com',
        charge_micros: 278_190,
        status: 'partial',
        status_text: 'Partial',
        start_count: 3572,
        remains: 157,
        created_at: Date.parse('2026-11-20T10:00:00Z'),
        completed_at: Date.parse('2026-11-21T08:30:00Z'),
      });
      expect(sql('select status, charge_micros from orders where id = ?', '81533')[0]).to.deep.equal({
        status: 'in_progress',
        charge_micros: 1_500_000,
      });
      // an unknown provider spelling is kept for a person to review, never a crash
      expect(sql('select status, status_text, created_at from orders where id = ?', '81535')[0]).to.deep.equal({
        status: 'unknown',
        status_text: 'Exploded',
        created_at: 1_763_632_800_000,
      });
    });

    it('When the same orders are pushed again, then nothing changes; when one changed, only it is updated', async () => {
      const before = sql('select * from orders where id = ?', '81532')[0];
      const again = await put('/orders', [order('81532'), order('81533', { charge: '1.5', status: 'In Progress', remains: '400' })]);
      expect(again.body).to.include({ stored: 2, created: 0, updated: 0, unchanged: 2 });
      expect(sql('select * from orders where id = ?', '81532')[0]).to.deep.equal(before);

      const changed = await put('/orders', [order('81532', { remains: 0, status: 'Completed' })]);
      expect(changed.body).to.include({ updated: 1, unchanged: 0 });
      expect(sql('select status, remains from orders where id = ?', '81532')[0]).to.deep.equal({ status: 'completed', remains: 0 });
    });

    it('When more than 1,000 items are sent, then the answer is 413 and nothing is stored', async () => {
      const items = Array.from({ length: 1001 }, (_, i) => order(String(900_000 + i)));
      const res = await put('/orders', items);
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('too_many_items');
      expect(sql("select count(*) n from orders where id like '9000%'")[0]!.n).to.equal(0);
    });

    it('When exactly 1,000 items are sent, then all are stored in one call', async () => {
      const items = Array.from({ length: 1000 }, (_, i) => order(String(700_000 + i)));
      const res = await put('/orders', items);
      expect(res.body).to.include({ stored: 1000, created: 1000 });
      expect(sql("select count(*) n from orders where id like '7%'")[0]!.n).to.equal(1000);
    });

    it('When the body is not a list or not JSON, then the answer is 400', async () => {
      const notList = await put('/orders', { orders: [] });
      expect(notList.status).to.equal(400);
      expect(notList.body.error.code).to.equal('items_required');
      const broken = await desk
        .agent()
        .put('/api/v1/orders')
        .set('Authorization', `Bearer ${writer}`)
        .set('Content-Type', 'application/json')
        .send('{"items": [');
      expect(broken.status).to.equal(400);
      expect(broken.body.error.code).to.equal('invalid_json');
    });
  });

  describe('GET /api/v1/orders/:id', () => {
    it('When an order is read, then its facts come back with money as a decimal string', async () => {
      const res = await desk.agent().get('/api/v1/orders/81533').set('Authorization', `Bearer ${reader}`);
      expect(res.status).to.equal(200);
      expect(res.body.order).to.include({
        id: '81533',
        charge: '1.500000',
        status: 'in_progress',
        serviceName: 'Instagram followers [refill 30d]',
        refillDays: 30,
        createdAt: '2026-11-20T10:00:00.000Z',
      });
    });

    it('When the order does not exist, then the answer is 404 in the JSON error shape', async () => {
      const res = await desk.agent().get('/api/v1/orders/123456789').set('Authorization', `Bearer ${writer}`);
      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ error: { code: 'not_found', message: 'Not found.', details: {} } });
    });
  });
});
