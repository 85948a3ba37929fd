import { expect } from 'chai';
import { REF } from '../../../server/domain/order';
import { parseOrderItem } from '../../../server/orders/items';
import { ProviderClient } from '../../../server/providers/api-v2';
import { okValue, startProviderServer, type ProviderServer } from '../../support/provider-server';

const ORDER = { id: '1', customerEmail: 'a@example.com', link: 'https://x.test/p', quantity: 1, charge: '1', status: 'Pending', createdAt: '2026-11-20' };

describe('provider order IDs: one pattern for the panel and the provider client', () => {
  let server: ProviderServer;
  let client: ProviderClient;

  beforeEach(async () => {
    server = await startProviderServer('ids-key');
    client = new ProviderClient({ apiUrl: server.url, apiKey: server.key, timeoutMs: 2000 });
    server.orders.set('ab.12', { status: 'In progress', remains: 10 });
    server.orders.set('81532', { status: 'Completed', remains: 0 });
  });
  afterEach(() => server.close());

  it('When an ID has letters, digits, dots, dashes or underscores, then the panel may store it and the client sends it', async () => {
    for (const id of ['ab.12', 'x-1', 'A_b.c-9', '7'.repeat(64)]) {
      expect(REF.test(id), id).to.equal(true);
      const item = parseOrderItem({ ...ORDER, providerOrderId: id }, 'USD');
      expect(item.ok && item.value.providerOrderId, id).to.equal(id);
    }
    for (const id of ['1,2', 'a b', '7'.repeat(65), 'ü']) {
      expect(REF.test(id), id).to.equal(false);
      expect(parseOrderItem({ ...ORDER, providerOrderId: id }, 'USD').ok, id).to.equal(false);
    }
    expect(okValue(await client.status('ab.12'))).to.include({ status: 'in_progress', remains: 10 });
    expect(server.requests.map((r) => r.params)).to.deep.equal([{ order: 'ab.12' }]);
  });

  it('When a multi-status includes an ID that is not plain, then only that order carries an error and the others are asked', async () => {
    const items = okValue(await client.statuses(['ab.12', '1,2', '81532']));
    expect([...items.keys()]).to.deep.equal(['ab.12', '1,2', '81532']);
    expect(items.get('ab.12')).to.have.nested.property('value.status', 'in_progress');
    expect(items.get('81532')).to.have.nested.property('value.status', 'completed');
    expect(items.get('1,2')).to.include({ ok: false }).and.have.property('error').that.is.a('string');
    expect(server.requests.map((r) => r.params)).to.deep.equal([{ orders: 'ab.12,81532' }]);
  });

  it('When no ID of a multi-status is plain, then nothing is sent and the call is rejected', async () => {
    expect(await client.statuses(['1,2', ''])).to.include({ ok: false, kind: 'rejected', code: 'invalid_id' });
    expect(server.requests).to.deep.equal([]);
  });
});
