import { Writable } from 'node:stream';
import { expect } from 'chai';
import pino from 'pino';
import type request from 'supertest';
import { upsertOrders } from '../../server/orders/store';
import { saveProvider } from '../../server/providers/connections';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { startProviderServer, type ProviderServer } from '../support/provider-server';
import { until } from '../support/loopback';
import { loginAs } from '../support/staff';

const KEY = 'prov-key-7Hq2-NEVER-SHOW-THIS';

describe('provider connector: orders refreshed on ticket open and by the periodic sync', () => {
  let desk: TestDesk;
  let provider: ProviderServer;
  let agent: request.Agent;
  const logLines: string[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    desk = await startTestDesk({}, { log: pino({ level: 'debug' }, sink) });
    provider = await startProviderServer(KEY);
    saveProvider(desk.db, desk.secret, { id: 'p1', name: 'Fast SMM', apiUrl: provider.url, apiKey: KEY }, Date.now());
    // Throws unless the login answers 303 (the copy it replaces did not look).
    agent = await loginAs(desk, 'agent@desk.test', 'agent', 'Agent');
  });
  after(async () => {
    await desk.cleanup();
    await provider.close();
  });

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const orderRow = (id: string) => sql('select status, status_text, remains, start_count, synced_at from orders where id = ?', id)[0]!;
  const statusCalls = () => provider.requestsFor('status').length;

  function pushOrder(id: string, providerOrderId: string, status = 'Pending') {
    const r = upsertOrders(
      desk.db,
      [
        {
          id,
          customerEmail: 'buyer@example.com',
          providerId: 'p1',
          providerOrderId,
          link: `https://instagram.com/p/${id}`,
          quantity: '1000',
          charge: '2.5',
          remains: '1000',
          status,
          createdAt: new Date(Date.now() - 3_600_000).toISOString(),
        },
      ],
      { now: Date.now(), currency: 'USD' },
    );
    expect(r.errors).to.deep.equal([]);
  }
  async function fileTicket(orderIds: string) {
    // one email per ticket keeps clear of the open-ticket cap
    const res = await postTicket(desk.agent(), { orderIds, reason: 'changed_mind', email: `buyer+${orderIds.slice(0, 5)}@example.com` });
    return confirmationOf(res).number;
  }

  it('When a provider is saved, then its key is stored sealed, never in the clear', () => {
    const [row] = sql('select api_url, api_key_sealed from providers where id = ?', 'p1');
    expect(row!.api_url).to.equal(provider.url);
    expect(row!.api_key_sealed).to.be.a('string').and.not.include(KEY);
  });

  it('When an agent opens a ticket, then its orders are asked from the provider (multi-status) and the live status is shown', async () => {
    pushOrder('81001', 'x-1');
    pushOrder('81002', 'x-2');
    provider.orders.set('x-1', { status: 'In progress', remains: 300, startCount: 1200 });
    provider.orders.set('x-2', { status: 'Cancelled', remains: 1000, startCount: 0 });
    const number = await fileTicket('81001, 81002');

    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.status).to.equal(200);
    const calls = provider.requestsFor('status');
    expect(calls).to.have.length(1);
    expect(calls[0]!.params.orders!.split(',').sort()).to.deep.equal(['x-1', 'x-2']);
    expect(calls[0]!.keyOk).to.equal(true);
    expect(orderRow('81001')).to.include({ status: 'in_progress', status_text: 'In progress', remains: 300, start_count: 1200 });
    expect(orderRow('81001').synced_at).to.be.a('number');
    expect(orderRow('81002')).to.include({ status: 'canceled' });
    expect(page.text).to.include('In progress').and.to.include('Canceled and not yet credited');
    expect(page.text).not.to.include(KEY);
  });

  it('When the ticket changes while the page waits for the provider, then the page shows it as changed, with the new version in its forms', async () => {
    pushOrder('81301', 'x-31');
    provider.orders.set('x-31', { status: 'In progress', remains: 10, startCount: 0 });
    const number = await fileTicket('81301');
    const asked = statusCalls();
    provider.faults.status = 'slow';
    provider.delayMs = 500;
    try {
      const page = agent.get(`/desk/tickets/${number}`).then((res) => res);
      await until('the provider is asked', () => statusCalls() > asked);
      // Another agent's change, made during the wait.
      desk.db.$client
        .prepare("update tickets set details = 'Changed while the page waited', version = version + 1 where number = ?")
        .run(number);
      const res = await page;
      const { version } = sql('select version from tickets where number = ?', number)[0] as { version: number };
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Changed while the page waited');
      expect(res.text).to.include(`name="version" value="${version}"`);
    } finally {
      delete provider.faults.status;
    }
  });

  it('When the ticket is opened again within a minute, then the provider is not asked again; "Refresh" asks now', async () => {
    const number = sql("select t.number from tickets t join ticket_orders o on o.ticket_id = t.id where o.order_id = '81001'")[0]!.number;
    const before = statusCalls();
    await agent.get(`/desk/tickets/${number}`);
    expect(statusCalls()).to.equal(before);

    provider.orders.set('x-1', { status: 'Partial', remains: 120, startCount: 1200 });
    const csrf = await csrfFrom(agent, `/desk/tickets/${number}`);
    const refreshed = await agent.post(`/desk/tickets/${number}/refresh`).type('form').send({ _csrf: csrf });
    expect(refreshed.status).to.equal(303);
    expect(statusCalls()).to.equal(before + 1);
    expect(orderRow('81001')).to.include({ status: 'partial', remains: 120 });
  });

  it('When "Refresh" is sent without a CSRF token, then it is refused and the provider is not asked', async () => {
    const number = sql("select t.number from tickets t join ticket_orders o on o.ticket_id = t.id where o.order_id = '81001'")[0]!.number;
    const before = statusCalls();
    const res = await agent.post(`/desk/tickets/${number}/refresh`).type('form').send({});
    expect(res.status).to.equal(403);
    expect(statusCalls()).to.equal(before);
  });

  it('When the provider spells a status it has never used, then the order needs manual review and nothing crashes', async () => {
    pushOrder('81003', 'x-3');
    provider.orders.set('x-3', { status: 'Stuck somewhere', remains: 1000 });
    const number = await fileTicket('81003');
    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.status).to.equal(200);
    expect(orderRow('81003')).to.include({ status: 'unknown', status_text: 'Stuck somewhere' });
    expect(page.text).to.include('Stuck somewhere').and.to.include('Manual review');
  });

  it('When the periodic sync runs, then it refreshes the orders of open tickets only, in one request per provider', async () => {
    pushOrder('81004', 'x-4');
    provider.orders.set('x-4', { status: 'Completed', remains: 0, startCount: 50 });
    pushOrder('81005', 'x-5');
    provider.orders.set('x-5', { status: 'Completed', remains: 0 });
    await fileTicket('81004');
    const closed = await fileTicket('81005');
    desk.db.$client.prepare("update ticket_orders set open = 0 where ticket_id = (select id from tickets where number = ?)").run(closed);

    const before = statusCalls();
    const report = await desk.sync.syncOpenTickets();
    expect(statusCalls()).to.equal(before + 1);
    const asked = provider.requestsFor('status').at(-1)!.params.orders!.split(',');
    expect(asked).to.include('x-4').and.not.include('x-5');
    expect(report.failedProviders).to.deep.equal([]);
    expect(orderRow('81004')).to.include({ status: 'completed', remains: 0 });
    expect(orderRow('81005')).to.include({ status: 'pending', synced_at: null });
  });

  it('When the provider fails, then the page still opens with the last known status and a notice, and the key is in no log line', async () => {
    pushOrder('81006', 'x-6');
    provider.orders.set('x-6', { status: 'Processing' });
    const number = await fileTicket('81006');
    provider.faults.status = 'html';
    const page = await agent.get(`/desk/tickets/${number}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('could not be reached');
    expect(orderRow('81006')).to.include({ status: 'pending', synced_at: null });
    const report = await desk.sync.syncOpenTickets();
    expect(report.failedProviders).to.deep.equal(['p1']);
    expect(logLines.some((l) => l.includes('provider status failed'))).to.equal(true);
    expect(logLines.join('\n')).not.to.include(KEY);
    delete provider.faults.status;
  });
});
