import { expect } from 'chai';
import { ProviderClient, type Result } from '../../../server/providers/api-v2';
import { startProviderServer, type Action, type Fault, type ProviderServer } from '../../support/provider-server';

// A key with characters that change when form- or URL-encoded, so every spelling of it can be looked for.
const KEY = 'sk_live+Secret/42=&key';
const KEY_SPELLINGS = [KEY, encodeURIComponent(KEY), new URLSearchParams({ k: KEY }).toString().slice(2)];

function expectNoKey(result: unknown): void {
  const text = JSON.stringify(result, (_name, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v));
  for (const spelling of KEY_SPELLINGS) expect(text).not.to.include(spelling);
}

type Call = { name: string; action: Action; changes: boolean; run: (c: ProviderClient) => Promise<Result<unknown>> };
const CALLS: Call[] = [
  { name: 'status', action: 'status', changes: false, run: (c) => c.status('1') },
  { name: 'statuses', action: 'status', changes: false, run: (c) => c.statuses(['1', '2']) },
  { name: 'refillStatus', action: 'refill_status', changes: false, run: (c) => c.refillStatus('1') },
  { name: 'balance', action: 'balance', changes: false, run: (c) => c.balance() },
  { name: 'refill', action: 'refill', changes: true, run: (c) => c.refill('1') },
  { name: 'cancel', action: 'cancel', changes: true, run: (c) => c.cancel(['1', '2']) },
];

const FAULTS: { fault: Fault; kind: string; code: RegExp }[] = [
  { fault: 'error', kind: 'rejected', code: /^provider_error$/ },
  { fault: 'http403', kind: 'rejected', code: /^http_403$/ },
  { fault: 'http500', kind: 'unknown', code: /^http_500$/ },
  { fault: 'html', kind: 'unknown', code: /^not_json$/ },
  { fault: 'slow', kind: 'unknown', code: /^timeout$/ },
  { fault: 'destroy', kind: 'unknown', code: /^(UND_ERR_SOCKET|ECONNRESET|connection_lost)$/ },
];

describe('provider API v2 client: failures', () => {
  let server: ProviderServer;
  let client: ProviderClient;

  beforeEach(async () => {
    server = await startProviderServer(KEY);
    server.delayMs = 1000;
    server.orders.set('1', { status: 'Pending', cancelable: true, refillable: true });
    server.refills.set('1', 'Pending');
    client = new ProviderClient({ apiUrl: server.url, apiKey: KEY, timeoutMs: 200 });
  });
  afterEach(() => server.close());

  for (const { fault, kind, code } of FAULTS) {
    for (const call of CALLS) {
      const human = kind === 'unknown' && call.changes;
      it(`When ${call.name} meets fault "${fault}", then it is ${kind}${human ? ', needs a human' : ''} and was sent once`, async () => {
        server.faults[call.action] = fault;
        const result = await call.run(client);
        expect(result).to.include({ ok: false, kind, needsHuman: human });
        if (!result.ok) expect(result.code).to.match(code);
        expect(server.requestsFor(call.action)).to.have.length(1);
        expectNoKey(result);
      });
    }
  }

  it('When the provider echoes the key in a top-level error, then the message keeps the text without the key', async () => {
    server.faults.status = 'error';
    const result = await client.status('1');
    expect(result).to.include({ ok: false, kind: 'rejected', message: 'Invalid request for key [key]' });
  });

  it('When the key is wrong, then the call is rejected with the provider\'s words', async () => {
    const result = await new ProviderClient({ apiUrl: server.url, apiKey: 'wrong' }).balance();
    expect(result).to.deep.equal({ ok: false, kind: 'rejected', code: 'provider_error', message: 'Invalid API key', needsHuman: false });
  });

  describe('When the provider is not listening (connection refused)', () => {
    let calls: number;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    beforeEach(async () => {
      calls = 0;
      await server.close();
      client = new ProviderClient({ apiUrl: server.url, apiKey: KEY, timeoutMs: 1000, fetch: counting });
    });

    for (const call of CALLS) {
      const attempts = call.changes ? 1 : 2;
      it(`then ${call.name} is unreachable after ${attempts} attempt(s) and needs no human`, async () => {
        const result = await call.run(client);
        expect(result).to.include({ ok: false, kind: 'unreachable', code: 'ECONNREFUSED', needsHuman: false });
        expect(calls).to.equal(attempts);
        expectNoKey(result);
      });
    }
  });

  it('When the first attempt of a status is refused, then the retry gets the answer', async () => {
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      calls += 1;
      if (calls === 1) return Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }));
      return fetch(input, init);
    };
    const result = await new ProviderClient({ apiUrl: server.url, apiKey: KEY, fetch: flaky }).status('1');
    expect(result).to.have.nested.property('value.status', 'pending');
    expect(server.requests).to.have.length(1);
  });

  it('When fetch fails with the request body in its message, then the key does not leak', async () => {
    const leaky: typeof fetch = (_input, init) =>
      Promise.reject(new TypeError(`socket hang up sending ${String(init?.body)}`, { cause: { code: 'ECONNRESET', body: init?.body } }));
    const leakyClient = new ProviderClient({ apiUrl: server.url, apiKey: KEY, fetch: leaky });
    const refill = await leakyClient.refill('1');
    expect(refill).to.include({ ok: false, kind: 'unknown', code: 'ECONNRESET', needsHuman: true });
    expectNoKey(refill);
    const thrownString: typeof fetch = () => Promise.reject(`boom ${KEY}`);
    const status = await new ProviderClient({ apiUrl: server.url, apiKey: KEY, fetch: thrownString }).status('1');
    expect(status).to.include({ ok: false, kind: 'unknown' });
    expectNoKey(status);
  });

  it('When an answer has an unreadable shape, then read calls are unknown and refill/cancel need a human', async () => {
    const answer = (body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status: 200 });
    const make = (body: unknown) => new ProviderClient({ apiUrl: server.url, apiKey: KEY, fetch: answer(body) });
    expect(await make({ charge: '1' }).status('1')).to.include({ kind: 'unknown', code: 'bad_shape', needsHuman: false });
    expect(await make({ balance: 'lots' }).balance()).to.include({ kind: 'unknown', code: 'bad_shape' });
    expect(await make({ ok: true }).refill('1')).to.include({ kind: 'unknown', code: 'bad_shape', needsHuman: true });
    expect(await make({ 1: { cancel: 1 } }).cancel(['1'])).to.include({ kind: 'unknown', code: 'bad_shape', needsHuman: true });
    const odd = await make([{ order: '1', cancel: 0 }]).cancel(['1']);
    expect(odd.ok && odd.value.get('1')).to.include({ outcome: 'unknown', needsHuman: true });
  });

  it('When the API URL is not a URL, then nothing is sent and the provider is unreachable', async () => {
    const result = await new ProviderClient({ apiUrl: 'not a url', apiKey: KEY }).balance();
    expect(result).to.include({ ok: false, kind: 'unreachable', code: 'invalid_url' });
  });

  it('When a refill times out, then it is not retried even after the provider finishes it', async () => {
    server.faults.refill = 'slow';
    server.delayMs = 400;
    const result = await client.refill('1');
    expect(result).to.include({ kind: 'unknown', code: 'timeout', needsHuman: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.requestsFor('refill')).to.have.length(1);
    expect(server.refills.size).to.equal(2); // the provider did create it: exactly why a human must look
  });
});
