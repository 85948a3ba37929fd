import crypto from 'node:crypto';
import { expect } from 'chai';
import { createStaffUser } from '../../server/auth/staff';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import type request from 'supertest';

describe('staff: login, sessions and the desk', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
    await createStaffUser(desk.db, { email: 'agent@desk.test', name: 'Alya Agent', role: 'agent', password: 'agent-password-1' }, Date.now());
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const cookie = (res: request.Response, name: string) =>
    ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));

  async function login(agent: request.Agent, email: string, password: string) {
    const csrf = await csrfFrom(agent, '/login');
    return agent.post('/login').type('form').send({ _csrf: csrf, email, password, next: '/desk' });
  }

  for (const path of ['/desk', '/desk/tickets/RD-2222-2222', '/desk?before=10']) {
    it(`When ${path} is opened without a session, then it redirects to the login page`, async () => {
      const res = await desk.agent().get(path);
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(path)}`);
    });
  }

  it('When the password is wrong, then the login page says so with 422 and no session is made', async () => {
    const res = await login(desk.agent(), 'agent@desk.test', 'wrong-password');
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Email or password is not correct').and.include('value="agent@desk.test"');
    expect(sql('select count(*) n from sessions')[0]!.n).to.equal(0);
  });

  it('When the email is unknown, then the answer is the same as for a wrong password', async () => {
    const res = await login(desk.agent(), 'nobody@desk.test', 'whatever-password');
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Email or password is not correct');
  });

  it('When the agent logs in, then the session is stored only as a hash, the cookie is HttpOnly and SameSite, and the desk lists tickets', async () => {
    const { number } = confirmationOf(await postTicket(desk.agent(), { orderIds: '5550001', email: 'listed@example.com' }));
    const agent = desk.agent();
    const before = await csrfFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: before, email: 'AGENT@desk.test', password: 'agent-password-1', next: '/desk' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/desk');
    const set = cookie(res, 'rd_session')!;
    expect(set).to.match(/HttpOnly/).and.match(/SameSite=Lax/);
    const token = /rd_session=([^;]+)/.exec(set)![1]!;
    const rows = sql('select token_hash from sessions');
    expect(rows).to.deep.equal([{ token_hash: crypto.createHash('sha256').update(token).digest('hex') }]);
    expect(JSON.stringify(rows)).to.not.include(token);

    // The CSRF browser id is rotated at login: the old token no longer works.
    expect(cookie(res, 'rd_bid')).to.be.a('string');
    const stale = await agent.post('/logout').type('form').send({ _csrf: before });
    expect(stale.status).to.equal(403);

    const list = await agent.get('/desk');
    expect(list.status).to.equal(200);
    expect(list.text).to.include(number).and.include('listed@example.com').and.include('Alya Agent');
    desk.db.$client
      .prepare("insert into messages (ticket_id, author_type, body, created_at) select id, 'customer', 'Any news?', 0 from tickets where number = ?")
      .run(number);
    const ticket = await agent.get(`/desk/tickets/${number}`);
    expect(ticket.status).to.equal(200);
    expect(ticket.text).to.include('<bdi>5550001</bdi>').and.include('Any news?');
    // Staff see who wrote it, not the customer-facing "You".
    expect(ticket.text).to.match(/<strong>Customer<\/strong>/);

    const csrf = await csrfFrom(agent, '/desk');
    const out = await agent.post('/logout').type('form').send({ _csrf: csrf });
    expect(out.status).to.equal(303);
    expect(sql('select count(*) n from sessions')[0]!.n).to.equal(0);
    expect((await agent.get('/desk')).status).to.equal(303);
  });

  it('When the login form is posted without a CSRF token, then it is refused with 403', async () => {
    const agent = desk.agent();
    await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ email: 'agent@desk.test', password: 'agent-password-1' });
    expect(res.status).to.equal(403);
    expect(sql('select count(*) n from sessions')[0]!.n).to.equal(0);
  });

  it('When a session has expired, then it no longer opens the desk', async () => {
    const agent = desk.agent();
    expect((await login(agent, 'agent@desk.test', 'agent-password-1')).status).to.equal(303);
    desk.db.$client.prepare('update sessions set expires_at = ?').run(Date.now() - 1);
    expect((await agent.get('/desk')).status).to.equal(303);
  });

  it('When a login asks to go to another site afterwards, then it goes to the desk instead', async () => {
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrf, email: 'agent@desk.test', password: 'agent-password-1', next: '//evil.example/x' });
    expect(res.headers.location).to.equal('/desk');
  });

  it('When passwords are stored, then they are scrypt hashes, never the password', () => {
    const rows = sql('select password_hash from staff_users');
    for (const r of rows) expect(r.password_hash).to.match(/^scrypt\$32768\$8\$1\$/).and.not.include('password');
  });
});
