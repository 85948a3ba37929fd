import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { verifyApiToken } from '../../server/api/tokens';
import { openDb, type Db } from '../../server/db';
import { deskEnv, runScript } from '../support/desk-process';
import { startProviderServer, type ProviderServer } from '../support/provider-server';

describe('command line: API tokens and provider connections', () => {
  let dir: string;
  let db: Db;
  let provider: ProviderServer;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-cli-'));
    provider = await startProviderServer('cli-provider-key-123');
  });
  after(async () => {
    db?.$client.close();
    await provider.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a CLI as the desk on this folder would be set up (a CLI listens on no port, hence 0). */
  function cli(script: string, ...args: string[]) {
    return runScript(script, args, deskEnv(dir, 0, { SECRET: 'cli-secret-cli-secret-cli-secret-0123456' }));
  }
  const database = () => (db ??= openDb(path.join(dir, 'data', 'refunddesk.sqlite')));

  it('When a token is created, then it is printed once, stored only as a hash, and works with its scopes', async () => {
    const out = await cli('token', 'create', '--name', 'panel', '--scopes', 'orders:write,tickets:read');
    expect(out.code).to.equal(0);
    const token = /^(rdk_\S+)$/m.exec(out.stdout)?.[1];
    expect(token).to.be.a('string');
    const rows = database().$client.prepare('select name, token_hash, scopes from api_tokens').all() as Record<string, string>[];
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ name: 'panel', scopes: 'orders:write,tickets:read' });
    expect(rows[0]!.token_hash).not.to.equal(token);
    expect(verifyApiToken(database(), token!, Date.now())?.scopes).to.deep.equal(['orders:write', 'tickets:read']);

    const listed = await cli('token', 'list');
    expect(listed.stdout).to.include('panel').and.to.include('active').and.not.to.include(token!);

    const revoked = await cli('token', 'revoke', '1');
    expect(revoked.code).to.equal(0);
    expect(verifyApiToken(database(), token!, Date.now())).to.equal(null);
  });

  it('When a token is asked for with an unknown scope, then nothing is created and the exit code is 2', async () => {
    const out = await cli('token', 'create', '--name', 'x', '--scopes', 'orders:write,everything');
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('Scopes:');
    expect(database().$client.prepare('select count(*) n from api_tokens').get()).to.deep.equal({ n: 1 });
  });

  it('When a provider is connected and tested, then its key is stored sealed and the balance call answers, without printing the key', async () => {
    const set = await cli('provider', 'set', '--id', 'p9', '--name', 'Cheap SMM', '--url', provider.url, '--key', 'cli-provider-key-123');
    expect(set.code).to.equal(0);
    const row = database().$client.prepare('select name, api_url, api_key_sealed from providers where id = ?').get('p9') as Record<string, string>;
    expect(row).to.include({ name: 'Cheap SMM', api_url: provider.url });
    expect(row.api_key_sealed).not.to.include('cli-provider-key-123');

    const tested = await cli('provider', 'test', 'p9');
    expect(tested.code).to.equal(0);
    expect(tested.stdout).to.include('100.842920');
    expect(provider.requestsFor('balance')[0]!.keyOk).to.equal(true);
    const listed = await cli('provider', 'list');
    expect(listed.stdout).to.include('key set').and.not.to.include('cli-provider-key-123');
  });

  it('When the provider rejects the key, then the test fails with exit code 1 and the key is not printed', async () => {
    await cli('provider', 'set', '--id', 'p9', '--key', 'wrong-key-456');
    const tested = await cli('provider', 'test', 'p9');
    expect(tested.code).to.equal(1);
    expect(tested.stderr + tested.stdout).not.to.include('wrong-key-456');
  });
});
