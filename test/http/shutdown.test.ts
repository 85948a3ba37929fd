// SIGTERM on the real process: it stops listening, finishes the request and the
// email send under way, closes the database and exits 0; a second signal cuts it short.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../server/config';
import { upsertOrders } from '../../server/orders/store';
import { saveProvider } from '../../server/providers/connections';
import { bootDesk } from '../../server/runtime';
import { confirmationOf, csrfFrom, postTicket } from '../support/desk';
import { deskEnv, startDeskProcess, type DeskProcess } from '../support/desk-process';
import { freePort, refused, startSmtpAt, until, type HeldSmtp } from '../support/loopback';
import { startProviderServer, type ProviderServer } from '../support/provider-server';

async function login(desk: DeskProcess): Promise<request.Agent> {
  const agent = request.agent(desk.url);
  const csrf = await csrfFrom(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf: csrf, email: 'admin@desk.test', password: 'admin-password-123' });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  return agent;
}

describe('graceful shutdown of the desk process', function () {
  this.timeout(60_000);
  // Made when the tests run, not when the file loads (a -g filter would leave it behind).
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-shutdown-'));
  });
  const holds: (() => void)[] = [];
  let provider: ProviderServer;
  let smtp: HeldSmtp | undefined;
  let desk: DeskProcess | undefined;
  let env: Record<string, string>;
  let number: string;
  const dbFile = () => path.join(env.DATA_DIR!, 'refunddesk.sqlite');

  before(async () => {
    provider = await startProviderServer('shutdown-key');
    env = deskEnv(dir, await freePort(), { OUTBOX_POLL_MS: '100' });
    // An order at a provider, and a ticket about it whose confirmation email waits in the outbox.
    const setup = await bootDesk(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { log: pino({ level: 'silent' }) });
    saveProvider(setup.db, setup.secret, { id: 'p1', name: 'Loop SMM', apiUrl: provider.url, apiKey: 'shutdown-key' }, Date.now());
    upsertOrders(
      setup.db,
      [{ id: '71001', customerEmail: 'stop@example.com', providerId: 'p1', providerOrderId: 'x71001', link: 'https://instagram.com/p/stop', quantity: 1000, charge: '1.5', status: 'Pending', createdAt: new Date().toISOString() }],
      { now: Date.now(), currency: 'USD' },
    );
    provider.orders.set('x71001', { status: 'In progress', remains: 400 });
    ({ number } = confirmationOf(await postTicket(request.agent(setup.app), { email: 'stop@example.com', orderIds: '71001' })));
    await setup.close();
  });
  afterEach(async () => {
    holds.splice(0).forEach((release) => release());
    await desk?.stop();
    await smtp?.close();
  });
  after(async () => {
    await provider.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('When SIGTERM comes while a page waits for a provider and an email is being sent, then both finish, new connections are refused, the database is closed clean and it exits 0', async () => {
    smtp = await startSmtpAt(await freePort(), () => new Promise<void>((resolve) => holds.push(resolve)));
    desk = await startDeskProcess({ ...env, SMTP_URL: smtp.url });
    await until('the email send to start', () => smtp!.arriving === 1);
    const agent = await login(desk);
    // The staff page refreshes the ticket's order from the provider, which answers after 1.5 s.
    provider.faults.status = 'slow';
    provider.delayMs = 1500;
    let answeredAt = 0;
    const page = agent.get(`/desk/tickets/${number}`).then((res) => {
      answeredAt = Date.now();
      return res;
    });
    await until('the provider to be asked', () => provider.requestsFor('status').length === 1);

    desk.child.kill('SIGTERM');
    expect(await refused(desk.port), 'new connections are refused').to.equal(true);
    const refusedAt = Date.now();
    holds.splice(0).forEach((release) => release());

    const res = await page;
    expect(res.status).to.equal(200);
    expect(res.text).to.include(number).and.include('In progress');
    expect(answeredAt, 'the page was answered after the desk stopped listening').to.be.greaterThan(refusedAt);
    expect(await desk.exited).to.deep.equal({ code: 0, signal: null });
    expect(desk.output()).to.include('shutting down').and.include('"msg":"stopped"');
    expect(smtp.messages).to.have.length(1);
    expect(smtp.messages[0]!.subject).to.include(number);

    // Closed by the desk: the WAL was checkpointed into the database file and removed.
    expect(fs.existsSync(`${dbFile()}-wal`)).to.equal(false);
    const db = new Database(dbFile(), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      expect(db.prepare("select status, attempts from outbox where kind = 'email'").all()).to.deep.equal([{ status: 'sent', attempts: 1 }]);
      expect(db.prepare("select status, synced_at is not null synced from orders where id = '71001'").get()).to.deep.equal({ status: 'in_progress', synced: 1 });
    } finally {
      db.close();
    }
  });

  it('When a send hangs and a second SIGTERM comes, then the desk exits at once with 1 and the unsent email stays queued', async () => {
    smtp = await startSmtpAt(await freePort(), () => new Promise<void>((resolve) => holds.push(resolve)));
    desk = await startDeskProcess({ ...env, SMTP_URL: smtp.url });
    confirmationOf(await postTicket(request.agent(desk.url), { email: 'hang@example.com', orderIds: '71002' }));
    await until('the email send to start', () => smtp!.arriving === 1);

    desk.child.kill('SIGTERM');
    expect(await refused(desk.port)).to.equal(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(desk.child.exitCode, 'still waiting for the send').to.equal(null);
    desk.child.kill('SIGTERM');
    expect(await desk.exited).to.deep.equal({ code: 1, signal: null });
    expect(desk.output()).to.include('second signal');

    const db = new Database(dbFile(), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      expect(db.prepare("select status, attempts from outbox where kind = 'email' and payload like '%hang@example.com%'").get()).to.deep.equal({ status: 'pending', attempts: 0 });
    } finally {
      db.close();
    }
  });
});
