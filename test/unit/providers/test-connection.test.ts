import { expect } from 'chai';
import { saveProvider } from '../../../server/providers/connections';
import { testConnection } from '../../../server/settings/provider-service';
import { startDeskWithProvider, type TestDesk } from '../../support/desk';
import type { ProviderServer } from '../../support/provider-server';

const KEY = 'test-connection-key';

describe('provider "test connection": the provider\'s own words or a failure word, never our English', () => {
  let desk: TestDesk;
  let provider: ProviderServer;
  before(async () => {
    ({ desk, provider } = await startDeskWithProvider(KEY));
  });
  after(async () => {
    await desk.cleanup();
    await provider.close();
  });

  it('When the provider refuses with words, then they are the message and there is no failure word', async () => {
    saveProvider(desk.db, desk.secret, { id: 'wrong', name: 'Wrong', apiUrl: provider.url, apiKey: 'not-the-key' }, Date.now());
    expect(await testConnection(desk.db, desk.secret, 'wrong', 2000)).to.include({ ok: false, kind: 'rejected', code: 'provider_error', message: 'Invalid API key', failure: null });
  });

  it('When the test fails for any other reason, then the message is empty and the failure word says why', async () => {
    provider.faults.balance = 'http500';
    expect(await testConnection(desk.db, desk.secret, 'p1', 2000)).to.include({ ok: false, code: 'http_500', message: '', failure: 'serverError' });
    provider.faults.balance = 'html';
    expect(await testConnection(desk.db, desk.secret, 'p1', 2000)).to.include({ ok: false, code: 'not_json', message: '', failure: 'unreadable' });
    delete provider.faults.balance;
    expect(await testConnection(desk.db, desk.secret, 'p1', 2000)).to.include({ ok: true });
  });
});
