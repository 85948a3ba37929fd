import { expect } from 'chai';
import { ProviderClient } from '../../../server/providers/api-v2';
import { failureOf } from '../../../server/providers/failures';

// An answer the provider gives whatever was asked.
const answering = (body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status: 200 });
const client = (body: unknown) => new ProviderClient({ apiUrl: 'http://provider.test/api/v2', apiKey: 'refusal-test-key', fetch: answering(body) });

describe('provider refusals: the provider\'s words, or a code the pages translate', () => {
  it('When the provider answers an error without words, then the code is provider_error_blank, shown as "refused"', async () => {
    for (const error of [true, 1, {}, { message: '' }, '   ']) {
      const result = await client({ error }).balance();
      expect(result, JSON.stringify(error)).to.include({ ok: false, kind: 'rejected', code: 'provider_error_blank' });
    }
    expect(failureOf('provider_error_blank')).to.equal('refused');
  });

  it('When the provider answers an error with words, then they are kept under provider_error', async () => {
    expect(await client({ error: { message: 'Not enough funds' } }).balance()).to.include({ code: 'provider_error', message: 'Not enough funds' });
    expect(await client({ error: 'Invalid API key' }).balance()).to.include({ code: 'provider_error', message: 'Invalid API key' });
  });

  it('When a refill or refill status is refused without words, then it is provider_error_blank too', async () => {
    expect(await client({ refill: { error: true } }).refill('1')).to.include({ ok: false, kind: 'rejected', code: 'provider_error_blank', needsHuman: false });
    expect(await client({ status: { error: {} } }).refillStatus('1')).to.include({ ok: false, code: 'provider_error_blank' });
    expect(await client({ refill: { error: 'Refill is not available' } }).refill('1')).to.include({ code: 'provider_error', message: 'Refill is not available' });
  });

  it('When a cancel is refused without words, then the rejection carries no invented text', async () => {
    const answer = await client([{ order: '1', cancel: { error: true } }, { order: '2', cancel: { error: 'Too late' } }]).cancel(['1', '2']);
    expect(answer.ok && Object.fromEntries(answer.value)).to.deep.equal({
      1: { outcome: 'rejected', error: null },
      2: { outcome: 'rejected', error: 'Too late' },
    });
  });
});
