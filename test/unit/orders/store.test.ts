import { expect } from 'chai';
import pino from 'pino';
import { OrderSync } from '../../../server/orders/sync';
import { upsertOrders, upsertServices } from '../../../server/orders/store';
import { startDeskWithProvider, type TestDesk } from '../../support/desk';
import type { ProviderServer } from '../../support/provider-server';

const KEY = 'store-test-key';

describe('orders: the panel\'s pushes and the provider\'s sync', () => {
  let desk: TestDesk;
  let provider: ProviderServer;
  let sync: OrderSync;
  before(async () => {
    ({ desk, provider } = await startDeskWithProvider(KEY));
    sync = new OrderSync({ db: desk.db, secret: desk.secret, log: pino({ level: 'silent' }), clock: Date.now, timeoutMs: 2000 });
  });
  after(async () => {
    await desk.cleanup();
    await provider.close();
  });

  const row = (id: string) =>
    desk.db.$client.prepare('select status, remains, synced_at from orders where id = ?').get(id) as { status: string; remains: number; synced_at: number | null };
  const push = (id: string, providerOrderId: string, status: string, remains: number) =>
    upsertOrders(
      desk.db,
      [{ id, customerEmail: 'b@example.com', providerId: 'p1', providerOrderId, link: `https://x.test/${id}`, quantity: 100, charge: '1', remains, status, createdAt: '2026-11-20' }],
      { now: Date.now(), currency: 'USD' },
    );

  it('When the panel pushes a changed order after a sync, then the order counts as not synced until the provider is asked again', async () => {
    push('5001', 'pv.5001', 'Pending', 100);
    provider.orders.set('pv.5001', { status: 'In progress', remains: 40 });
    expect(await sync.refresh(['5001'])).to.include({ updated: 1, missing: 0 });
    expect(row('5001')).to.include({ status: 'in_progress', remains: 40 }).and.have.property('synced_at').that.is.a('number');
    // A push equal to what is stored changes nothing: the provider's word stays live.
    expect(push('5001', 'pv.5001', 'In progress', 40)).to.include({ unchanged: 1 });
    expect(row('5001').synced_at).to.be.a('number');

    expect(push('5001', 'pv.5001', 'Pending', 100)).to.include({ updated: 1 });
    expect(row('5001')).to.deep.equal({ status: 'pending', remains: 100, synced_at: null });
    expect(await sync.refresh(['5001'], 60_000)).to.include({ updated: 1 });
    expect(row('5001')).to.include({ status: 'in_progress', remains: 40 }).and.have.property('synced_at').that.is.a('number');
  });

  it('When a stored provider order ID is not plain, then the sync still refreshes the provider\'s other orders', async () => {
    push('5002', 'pv.5002', 'Pending', 100);
    provider.orders.set('pv.5002', { status: 'Completed', remains: 0 });
    desk.db.$client.prepare("insert into orders (id, customer_email, provider_id, provider_order_id, link, quantity, charge_micros, currency, status, status_text, created_at, updated_at) values ('5003', 'b@example.com', 'p1', 'a b', 'https://x.test/5003', 1, 0, 'USD', 'pending', 'Pending', 1, 1)").run();
    expect(await sync.refresh(['5002', '5003'])).to.deep.equal({ updated: 1, missing: 1, failedProviders: [] });
    expect(row('5002')).to.include({ status: 'completed' });
  });

  it('When services are pushed, then no currency is needed', () => {
    expect(upsertServices(desk.db, [{ id: 's.1', name: 'Views' }], { now: Date.now() })).to.include({ created: 1 });
  });
});
