import { expect } from 'chai';
import { ProviderClient } from '../../../server/providers/api-v2';
import { okValue, startProviderServer, type ProviderServer } from '../../support/provider-server';

describe('provider API v2 client: answers', () => {
  let server: ProviderServer;
  let client: ProviderClient;

  beforeEach(async () => {
    server = await startProviderServer('k3y-success');
    client = new ProviderClient({ apiUrl: server.url, apiKey: server.key, timeoutMs: 2000 });
    server.orders.set('81532', { status: 'Partial', charge: '0.27819', startCount: 3572, remains: 157, currency: 'USD', cancelable: true });
    server.orders.set('81533', { status: 'Completed', charge: '1.5', startCount: 0, remains: 0, currency: 'USD', refillable: true });
  });
  afterEach(() => server.close());

  for (const numbers of ['string', 'number'] as const) {
    it(`When numbers arrive as ${numbers}s, then status parses them exactly`, async () => {
      server.numbers = numbers;
      expect(okValue(await client.status('81532'))).to.deep.equal({
        status: 'partial', rawStatus: 'Partial', chargeMicros: 278_190, startCount: 3572, remains: 157, currency: 'USD',
      });
      const [request] = server.requests;
      expect(request).to.deep.include({ action: 'status', params: { order: '81532' }, keyOk: true });
      expect(request!.contentType).to.match(/^application\/x-www-form-urlencoded/);
    });

    it(`When numbers arrive as ${numbers}s, then refill, refill_status, cancel and balance succeed`, async () => {
      server.numbers = numbers;
      expect(okValue(await client.refill('81533'))).to.deep.equal({ refillId: '1' });
      expect(okValue(await client.refillStatus('1'))).to.deep.equal({ status: 'pending', rawStatus: 'Pending' });
      expect(okValue(await client.balance())).to.deep.equal({ balanceMicros: 100_842_920, currency: 'USD' });
      const cancel = okValue(await client.cancel(['81532']));
      expect([...cancel]).to.deep.equal([['81532', { outcome: 'accepted' }]]);
      expect(server.requests.map((r) => [r.action, r.params])).to.deep.equal([
        ['refill', { order: '81533' }],
        ['refill_status', { refill: '1' }],
        ['balance', {}],
        ['cancel', { orders: '81532' }],
      ]);
    });
  }

  it('When a refill was completed by the provider, then refill_status says completed', async () => {
    server.refills.set('7', 'Completed');
    expect(okValue(await client.refillStatus('7'))).to.deep.equal({ status: 'completed', rawStatus: 'Completed' });
  });

  it('When the provider spells statuses oddly, then each is mapped and the raw spelling kept', async () => {
    const spellings: [string, string][] = [
      ['In Progress', 'in_progress'], ['inprogress', 'in_progress'], ['Cancelled', 'canceled'],
      ['Refunded', 'canceled'], ['Complete', 'completed'], ['Fail', 'unknown'], ['Stuck?', 'unknown'],
    ];
    spellings.forEach(([raw], i) => server.orders.set(String(i + 1), { status: raw }));
    const items = okValue(await client.statuses(spellings.map((_, i) => String(i + 1))));
    spellings.forEach(([raw, mapped], i) => {
      expect(items.get(String(i + 1))).to.deep.equal({
        ok: true,
        value: { status: mapped, rawStatus: raw, chargeMicros: null, startCount: null, remains: null, currency: null },
      });
    });
  });

  it('When multi-status includes an unknown order, then that item carries the error and the call is ok', async () => {
    const items = okValue(await client.statuses(['81532', '999', '81533']));
    expect(items.get('999')).to.deep.equal({ ok: false, error: 'Incorrect order ID' });
    expect(items.get('81532')).to.have.nested.property('value.status', 'partial');
    expect(items.get('81533')).to.have.nested.property('value.status', 'completed');
    expect(server.requests).to.have.length(1);
    expect(server.requests[0]!.params).to.deep.equal({ orders: '81532,999,81533' });
  });

  it('When 250 order IDs are asked for, then they go in 3 requests of at most 100', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => String(10_000 + i));
    for (const id of ids) server.orders.set(id, { status: 'Pending', charge: '0.1', remains: 100 });
    const items = okValue(await client.statuses(ids));
    const sizes = server.requestsFor('status').map((r) => r.params.orders!.split(',').length);
    expect(sizes).to.deep.equal([100, 100, 50]);
    expect(server.requestsFor('status').flatMap((r) => r.params.orders!.split(','))).to.deep.equal(ids);
    expect(items.size).to.equal(250);
    expect([...items.values()].every((item) => item.ok && item.value.status === 'pending')).to.equal(true);
  });

  it('When no order IDs are asked for, then nothing is sent', async () => {
    expect(okValue(await client.statuses([])).size).to.equal(0);
    expect(okValue(await client.cancel([])).size).to.equal(0);
    expect(server.requests).to.deep.equal([]);
  });

  it('When cancel is refused for some orders, then each order carries its own outcome', async () => {
    server.orders.set('2', { status: 'In progress', cancelable: false });
    const outcomes = okValue(await client.cancel(['81532', '2', '404']));
    expect(Object.fromEntries(outcomes)).to.deep.equal({
      81532: { outcome: 'accepted' },
      2: { outcome: 'rejected', error: 'Cancel is not available' },
      404: { outcome: 'rejected', error: 'Incorrect order ID' },
    });
    expect(server.requestsFor('cancel')).to.have.length(1);
    expect(server.orders.get('81532')!.status).to.equal('Canceled');
  });

  it('When the cancel answer leaves an order out, then that order is unknown and needs a human', async () => {
    const fetchWithout2: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const items = (await res.json()) as { order: unknown }[];
      return new Response(JSON.stringify(items.filter((item) => String(item.order) !== '2')), { status: 200 });
    };
    server.orders.set('2', { status: 'Pending', cancelable: true });
    const outcomes = okValue(await new ProviderClient({ apiUrl: server.url, apiKey: server.key, fetch: fetchWithout2 }).cancel(['81532', '2']));
    expect(outcomes.get('81532')).to.deep.equal({ outcome: 'accepted' });
    expect(outcomes.get('2')).to.include({ outcome: 'unknown', needsHuman: true });
  });

  it('When an ID would break the comma list, then nothing is sent and the call is rejected', async () => {
    for (const result of [await client.statuses(['1,2']), await client.cancel(['']), await client.refill('1 2')]) {
      expect(result).to.include({ ok: false, kind: 'rejected', code: 'invalid_id', needsHuman: false });
    }
    expect(server.requests).to.deep.equal([]);
  });

  it('When more than 100 orders are to be canceled, then nothing is sent', async () => {
    const result = await client.cancel(Array.from({ length: 101 }, (_, i) => String(i + 1)));
    expect(result).to.include({ ok: false, kind: 'rejected', code: 'too_many_orders' });
    expect(server.requests).to.deep.equal([]);
  });
});
