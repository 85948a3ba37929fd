import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createStaffUser } from '../../server/auth/staff';
import { loadConfig } from '../../server/config';
import { csrfFrom, startTestDesk, type TestDesk } from '../support/desk';

const MINUTE = 60_000;
const PASSWORD = 'right-password-1';

type Res = request.Response;

const setCookie = (res: Res, name: string) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
const cookieValue = (res: Res, name: string) => /^[^=]+=([^;]*)/.exec(setCookie(res, name) ?? '')?.[1];
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const alertOf = (res: Res) => /<div class="alert alert-error" role="alert">([^<]*)<\/div>/.exec(res.text)?.[1];

describe('login security: lockout, session rotation, logout, password change', () => {
  let desk: TestDesk;
  let now = Date.parse('2026-03-02T09:00:00Z');
  const clock = () => now;
  let users = 0;

  before(async () => {
    desk = await startTestDesk({}, { clock });
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const hashOf = (email: string) => sql('select password_hash h from staff_users where email = ?', email)[0]!.h as string;
  const sessionsOf = (email: string) =>
    sql('select s.token_hash h from sessions s join staff_users u on u.id = s.user_id where u.email = ?', email).map((r) => r.h);
  const lockEvents = () =>
    sql("select actor_type, actor_id, ticket_id, data from audit_events where action = 'auth.locked' order by id").map((r) => ({
      ...r,
      data: JSON.parse(r.data as string) as Record<string, unknown>,
    }));

  async function newStaff(role: 'agent' | 'manager' | 'admin' = 'agent'): Promise<string> {
    const email = `staff${++users}@desk.test`;
    await createStaffUser(desk.db, { email, name: `Staff ${users}`, role, password: PASSWORD }, now);
    return email;
  }

  /** One login attempt from `ip`, with a CSRF token fetched from the login page in `lng`. */
  async function attempt(agent: request.Agent, email: string, password: string, ip: string, lng = 'en') {
    const csrf = await csrfFrom(agent, `/login?lng=${lng}`);
    return agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrf, email, password, next: '/desk' });
  }

  async function failTimes(n: number, email: string, ip: string, lng = 'en'): Promise<Res[]> {
    const agent = desk.agent();
    const answers: Res[] = [];
    for (let i = 0; i < n; i++) answers.push(await attempt(agent, email, `wrong-password-${i}`, ip, lng));
    return answers;
  }

  /** A logged-in browser and its session token. */
  async function loggedIn(email: string, password = PASSWORD, ip = '198.51.100.200') {
    const agent = desk.agent();
    const res = await attempt(agent, email, password, ip);
    expect(res.status, `login of ${email}`).to.equal(303);
    return { agent, token: cookieValue(res, 'rd_session')! };
  }

  describe('lockout', () => {
    it('When the lock settings are read, then they default to 5 failures and 15 minutes and follow LOGIN_LOCK_*', () => {
      expect(loadConfig({}).loginLock).to.deep.equal({ threshold: 5, lockMs: 15 * MINUTE });
      expect(loadConfig({ LOGIN_LOCK_THRESHOLD: '3', LOGIN_LOCK_MINUTES: '2' }).loginLock).to.deep.equal({ threshold: 3, lockMs: 2 * MINUTE });
      expect(() => loadConfig({ LOGIN_LOCK_THRESHOLD: '0' })).to.throw(/LOGIN_LOCK_THRESHOLD/);
    });

    it('When an account fails 5 times, then it is locked: even the right password is refused with "try again later" until 15 minutes have passed, and the lockout is audited', async () => {
      const email = await newStaff();
      const userId = sql('select id from staff_users where email = ?', email)[0]!.id;
      const ip = '203.0.113.1';
      const answers = await failTimes(5, email, ip);
      expect(answers.slice(0, 4).map((r) => r.status)).to.deep.equal([422, 422, 422, 422]);
      expect(answers[4]!.status).to.equal(429);
      expect(alertOf(answers[4]!)).to.equal('Too many failed attempts. Please try again in 15 minutes.');
      expect(answers[4]!.text).to.include(`value="${email}"`);

      const events = lockEvents();
      expect(events).to.have.length(1);
      expect(events[0]).to.deep.include({ actor_type: 'system', actor_id: null, ticket_id: null });
      expect(events[0]!.data).to.deep.equal({ scope: 'account', email, userId, ip, failures: 5, until: now + 15 * MINUTE });

      // Locked: the right password, even from another address, makes no session.
      now += 14 * MINUTE;
      const refused = await attempt(desk.agent(), email, PASSWORD, '203.0.113.2');
      expect(refused.status).to.equal(429);
      expect(refused.headers['retry-after']).to.equal('60');
      expect(alertOf(refused)).to.equal('Too many failed attempts. Please try again in 1 minute.');
      expect(setCookie(refused, 'rd_session')).to.equal(undefined);
      expect(sessionsOf(email)).to.deep.equal([]);
      expect(lockEvents(), 'refusals while locked are not new lockouts').to.have.length(1);

      now += MINUTE;
      const after = await attempt(desk.agent(), email, PASSWORD, '203.0.113.2');
      expect(after.status).to.equal(303);
      expect(sessionsOf(email)).to.have.length(1);
    });

    it('When the page is in Arabic, then the lock message is in Arabic with the right plural form', async () => {
      const email = await newStaff();
      const answers = await failTimes(5, email, '203.0.113.3', 'ar');
      expect(answers[3]!.text).to.include('dir="rtl"');
      expect(alertOf(answers[3]!)).to.equal('البريد الإلكتروني أو كلمة المرور غير صحيحة.');
      expect(answers[4]!.status).to.equal(429);
      expect(alertOf(answers[4]!)).to.equal('محاولات فاشلة كثيرة جدًا. يُرجى المحاولة مرة أخرى بعد 15 دقيقة.');
      now += 13 * MINUTE;
      const two = await attempt(desk.agent(), email, PASSWORD, '203.0.113.4', 'ar');
      expect(alertOf(two)).to.equal('محاولات فاشلة كثيرة جدًا. يُرجى المحاولة مرة أخرى بعد دقيقتين.');
      now += 2 * MINUTE;
    });

    it('When the email belongs to no account, then it is counted and locked exactly like a real one, and the lockout is audited without a user', async () => {
      const real = await newStaff();
      const ghost = 'nobody-here@desk.test';
      const realAnswers = await failTimes(5, real, '203.0.113.5');
      const ghostAnswers = await failTimes(5, ghost, '203.0.113.6');
      expect(ghostAnswers.map((r) => r.status)).to.deep.equal(realAnswers.map((r) => r.status));
      expect(ghostAnswers.map(alertOf)).to.deep.equal(realAnswers.map(alertOf));
      const next = await attempt(desk.agent(), ghost, 'any-password-at-all', '203.0.113.7');
      expect(next.status).to.equal(429);
      expect(lockEvents().at(-1)!.data).to.deep.include({ scope: 'account', email: ghost, userId: null, failures: 5 });
      now += 15 * MINUTE;
    });

    it('When many wrong passwords for one account arrive at once from many addresses, then still only 5 are checked', async () => {
      const email = await newStaff();
      const agent = desk.agent();
      const csrf = await csrfFrom(agent, '/login');
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          agent.post('/login').set('X-Forwarded-For', `192.0.2.${i + 1}`).type('form').send({ _csrf: csrf, email, password: `guess-${i}` }),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).to.deep.equal([...Array(4).fill(422), ...Array(8).fill(429)]);
      expect(lockEvents().filter((e) => e.data.email === email)).to.have.length(1);
      now += 15 * MINUTE;
    });

    it('When a login succeeds, then the failures before it no longer count', async () => {
      const email = await newStaff();
      const ip = '203.0.113.8';
      await failTimes(4, email, ip);
      expect((await attempt(desk.agent(), email, PASSWORD, ip)).status).to.equal(303);
      const answers = await failTimes(4, email, ip);
      expect(answers.map((r) => r.status)).to.deep.equal([422, 422, 422, 422]);
      expect((await attempt(desk.agent(), email, PASSWORD, ip)).status).to.equal(303);
    });

    it('When failures are more than 15 minutes apart, then they do not add up to a lock', async () => {
      const email = await newStaff();
      await failTimes(4, email, '203.0.113.9');
      now += 15 * MINUTE;
      const answers = await failTimes(4, email, '203.0.113.9');
      expect(answers.map((r) => r.status)).to.deep.equal([422, 422, 422, 422]);
      expect((await attempt(desk.agent(), email, PASSWORD, '203.0.113.9')).status).to.equal(303);
    });

    it('When one address fails 10 times over many emails, then that address is locked, other addresses are not, and the lockout is audited', async () => {
      const email = await newStaff();
      const ip = '203.0.113.10';
      const agent = desk.agent();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await attempt(agent, `spray${i}@desk.test`, 'Summer2026!', ip)).status);
      expect(statuses).to.deep.equal([422, 422, 422, 422, 422, 422, 422, 422, 422, 429]);
      expect(lockEvents().at(-1)!.data).to.deep.equal({ scope: 'address', ip, failures: 10, until: now + 15 * MINUTE });
      expect((await attempt(desk.agent(), email, PASSWORD, ip)).status).to.equal(429);
      expect((await attempt(desk.agent(), email, PASSWORD, '203.0.113.11')).status).to.equal(303);
      now += 15 * MINUTE;
    });

    it('When an address guessing at other accounts logs in to a valid one between guesses, then its failures still count and the address is locked at 10', async () => {
      const email = await newStaff();
      const ip = '203.0.113.12';
      // Successes alone never add up to a lock of their address.
      for (let i = 0; i < 12; i++) expect((await attempt(desk.agent(), email, PASSWORD, ip)).status, `login ${i + 1}`).to.equal(303);

      const agent = desk.agent();
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) statuses.push((await attempt(agent, `guess${i}@desk.test`, 'Winter2026!', ip)).status);
      expect(statuses).to.deep.equal(Array(9).fill(422));
      // The attacker's own valid account, from the same address: it logs in...
      expect((await attempt(desk.agent(), email, PASSWORD, ip)).status).to.equal(303);
      // ...but the nine guesses before it are not forgotten: the tenth locks the address.
      const tenth = await attempt(agent, 'guess9@desk.test', 'Winter2026!', ip);
      expect(tenth.status).to.equal(429);
      expect(lockEvents().at(-1)!.data).to.deep.equal({ scope: 'address', ip, failures: 10, until: now + 15 * MINUTE });
      expect((await attempt(desk.agent(), email, PASSWORD, ip)).status, 'the valid account too, from that address').to.equal(429);
      expect((await attempt(desk.agent(), email, PASSWORD, '203.0.113.13')).status, 'the account itself is not locked').to.equal(303);
      now += 15 * MINUTE;
    });
  });

  describe('sessions', () => {
    it('When staff log in, then the session token and the CSRF browser id are new, and the session the browser had is destroyed', async () => {
      const email = await newStaff();
      const agent = desk.agent();
      const preLogin = await csrfFrom(agent, '/login');
      const first = await agent.post('/login').type('form').send({ _csrf: preLogin, email, password: PASSWORD });
      expect(first.status).to.equal(303);
      const token1 = cookieValue(first, 'rd_session')!;
      expect(setCookie(first, 'rd_session')).to.match(/; HttpOnly/).and.match(/; SameSite=Lax/).and.match(/; Path=\//).and.not.match(/Secure/);
      expect(setCookie(first, 'rd_bid')).to.match(/; HttpOnly/).and.match(/; SameSite=Lax/).and.match(/; Path=\//);

      // The CSRF token of the page before the login is dead after it.
      const stale = await agent.post('/logout').type('form').send({ _csrf: preLogin });
      expect(stale.status).to.equal(403);
      expect(sessionsOf(email)).to.deep.equal([sha256(token1)]);

      const csrf = await csrfFrom(agent, '/desk');
      expect(csrf).to.not.equal(preLogin);
      const second = await agent.post('/login').type('form').send({ _csrf: csrf, email, password: PASSWORD });
      expect(second.status).to.equal(303);
      const token2 = cookieValue(second, 'rd_session')!;
      expect(token2).to.match(/^[\w-]{43}$/).and.not.equal(token1);
      expect(sessionsOf(email)).to.deep.equal([sha256(token2)]);
      const old = await request(desk.app).get('/desk').set('Cookie', `rd_session=${token1}`);
      expect(old.status).to.equal(303);
      expect(old.headers.location).to.equal('/login?next=%2Fdesk');
      expect((await request(desk.app).get('/desk').set('Cookie', `rd_session=${token2}`)).status).to.equal(200);
    });

    it('When staff log out, then the session row is deleted, the cookie is cleared and the old cookie no longer opens the desk', async () => {
      const email = await newStaff();
      const { agent, token } = await loggedIn(email);
      const other = await loggedIn(email);
      const csrf = await csrfFrom(agent, '/desk');
      const out = await agent.post('/logout').type('form').send({ _csrf: csrf });
      expect(out.status).to.equal(303);
      expect(out.headers.location).to.equal('/login');
      expect(setCookie(out, 'rd_session')).to.match(/^rd_session=;/).and.match(/Expires=Thu, 01 Jan 1970/);
      expect(sessionsOf(email), 'only the other browser is still logged in').to.deep.equal([sha256(other.token)]);
      expect((await agent.get('/desk')).status).to.equal(303);
      const replayed = await request(desk.app).get('/desk').set('Cookie', `rd_session=${token}`);
      expect(replayed.status).to.equal(303);
      expect((await other.agent.get('/desk')).status).to.equal(200);
    });

    it('When PUBLIC_URL is https, then the session and CSRF cookies are Secure, HttpOnly, SameSite=Lax and for the whole site', async () => {
      const secure = await startTestDesk({ PUBLIC_URL: 'https://desk.example' });
      try {
        const page = await request(secure.app).get('/login');
        const flags = (c: string | undefined) => {
          expect(c).to.match(/; Secure/).and.match(/; HttpOnly/).and.match(/; SameSite=Lax/).and.match(/; Path=\//);
        };
        flags(setCookie(page, 'rd_bid'));
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
        const login = await request(secure.app)
          .post('/login')
          .set('Cookie', `rd_bid=${cookieValue(page, 'rd_bid')}`)
          .type('form')
          .send({ _csrf: csrf, email: 'admin@desk.test', password: 'admin-password-123' });
        expect(login.status).to.equal(303);
        flags(setCookie(login, 'rd_session'));
        flags(setCookie(login, 'rd_bid'));
        const cookies = `rd_bid=${cookieValue(login, 'rd_bid')}; rd_session=${cookieValue(login, 'rd_session')}`;
        const deskPage = await request(secure.app).get('/desk').set('Cookie', cookies);
        expect(deskPage.status).to.equal(200);
        const logout = await request(secure.app)
          .post('/logout')
          .set('Cookie', cookies)
          .type('form')
          .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(deskPage.text)![1]! });
        expect(logout.status).to.equal(303);
        flags(setCookie(logout, 'rd_session'));
      } finally {
        await secure.cleanup();
      }
    });
  });

  describe('password change', () => {
    const PAGE = '/desk/account/password';

    async function change(agent: request.Agent, fields: Record<string, string>) {
      const csrf = await csrfFrom(agent, PAGE);
      return agent.post(PAGE).type('form').send({ _csrf: csrf, ...fields });
    }

    it('When the page is opened without a session, then it goes to the login page; with one, the staff navigation links to it', async () => {
      const res = await desk.agent().get(PAGE);
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(PAGE)}`);
      const { agent } = await loggedIn(await newStaff());
      const home = await agent.get('/desk');
      expect(home.text).to.include(`<a href="${PAGE}">Password</a>`);
      const page = await agent.get(`${PAGE}?lng=uk`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Зміна пароля').and.include('name="current"').and.include('name="confirm"');
    });

    it('When an agent changes their password, then it is re-hashed, their other sessions end, this one stays, the change is audited and a notice shows', async () => {
      const email = await newStaff();
      const bystander = await newStaff('manager');
      const here = await loggedIn(email);
      const elsewhere = await loggedIn(email);
      const third = await loggedIn(email);
      const theirs = await loggedIn(bystander);
      const before = hashOf(email);

      const res = await change(here.agent, { current: PASSWORD, password: 'a-new-password-22', confirm: 'a-new-password-22' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${PAGE}?notice=changed`);
      expect(hashOf(email)).to.match(/^scrypt\$/).and.not.equal(before).and.not.include('a-new-password-22');
      expect(sessionsOf(email)).to.deep.equal([sha256(here.token)]);
      expect(sessionsOf(bystander)).to.deep.equal([sha256(theirs.token)]);
      expect((await elsewhere.agent.get('/desk')).status).to.equal(303);
      expect((await third.agent.get('/desk')).status).to.equal(303);
      expect((await here.agent.get('/desk')).status).to.equal(200);

      const notice = await here.agent.get(res.headers.location!);
      expect(notice.text).to.include('Your password is changed. Your other sessions have been logged out.');
      const userId = sql('select id from staff_users where email = ?', email)[0]!.id;
      const events = sql("select actor_type, actor_id, data from audit_events where action = 'auth.passwordChanged'");
      expect(events).to.deep.equal([{ actor_type: 'staff', actor_id: userId, data: JSON.stringify({ sessionsEnded: 2 }) }]);

      expect((await attempt(desk.agent(), email, PASSWORD, '198.51.100.201')).status).to.equal(422);
      expect((await attempt(desk.agent(), email, 'a-new-password-22', '198.51.100.201')).status).to.equal(303);
    });

    it('When the current password is wrong, then the answer is 422 with the error beside that field, in Arabic too, and nothing changes', async () => {
      const email = await newStaff();
      const here = await loggedIn(email);
      const other = await loggedIn(email);
      const before = hashOf(email);
      const audited = sql('select count(*) n from audit_events')[0]!.n;

      const res = await change(here.agent, { current: 'not-my-password', password: 'a-new-password-22', confirm: 'a-new-password-22' });
      expect(res.status).to.equal(422);
      expect(res.text).to.match(/<p class="field-error" id="current-error">The current password is not correct.<\/p>/);
      expect(res.text).to.include('aria-describedby="current-error"').and.not.include('not-my-password').and.not.include('a-new-password-22');
      expect(res.text, 'language links go to the page, not the POST').to.include(`href="${PAGE}?lng=ar"`);
      expect(hashOf(email)).to.equal(before);
      expect(sessionsOf(email)).to.have.members([sha256(here.token), sha256(other.token)]);
      expect(sql('select count(*) n from audit_events')[0]!.n).to.equal(audited);

      await here.agent.get(`${PAGE}?lng=ar`);
      const ar = await change(here.agent, { current: 'not-my-password', password: 'a-new-password-22', confirm: 'a-new-password-22' });
      expect(ar.status).to.equal(422);
      expect(ar.text).to.include('dir="rtl"').and.include('<p class="field-error" id="current-error">كلمة المرور الحالية غير صحيحة.</p>');
    });

    for (const [title, fields, field, message] of [
      ['too short', { password: 'short-1', confirm: 'short-1' }, 'password', 'Use at least <bdi>10</bdi> characters.'],
      ['typed differently twice', { password: 'a-new-password-22', confirm: 'a-new-password-23' }, 'confirm', 'The two new passwords are not the same.'],
      ['the current one again', { password: PASSWORD, confirm: PASSWORD }, 'password', 'Choose a password different from the current one.'],
      ['left empty', { password: '', confirm: '' }, 'password', 'This field is required.'],
    ] as const) {
      it(`When the new password is ${title}, then the answer is 422 with the error beside ${field} and nothing changes`, async () => {
        const email = await newStaff();
        const here = await loggedIn(email);
        const other = await loggedIn(email);
        const before = hashOf(email);
        const res = await change(here.agent, { current: PASSWORD, ...fields });
        expect(res.status).to.equal(422);
        expect(res.text).to.include(`<p class="field-error" id="${field}-error">${message}</p>`);
        expect(hashOf(email)).to.equal(before);
        expect(sessionsOf(email)).to.have.length(2);
        expect((await other.agent.get('/desk')).status).to.equal(200);
      });
    }
  });

  describe('CSRF', () => {
    it('When the login form is posted without its CSRF token, then it is refused with 403 and no session is made', async () => {
      const email = await newStaff();
      const agent = desk.agent();
      await agent.get('/login');
      const res = await agent.post('/login').type('form').send({ email, password: PASSWORD });
      expect(res.status).to.equal(403);
      expect(sessionsOf(email)).to.deep.equal([]);
    });

    it('When logout is posted without its CSRF token, then it is refused with 403 and the session lives on', async () => {
      const email = await newStaff();
      const { agent, token } = await loggedIn(email);
      const res = await agent.post('/logout').type('form').send({});
      expect(res.status).to.equal(403);
      expect(sessionsOf(email)).to.deep.equal([sha256(token)]);
      expect((await agent.get('/desk')).status).to.equal(200);
    });

    it('When a password change is posted without its CSRF token, or with a forged one, then it is refused with 403 and nothing changes', async () => {
      const email = await newStaff();
      const { agent } = await loggedIn(email);
      await loggedIn(email);
      const before = hashOf(email);
      const fields = { current: PASSWORD, password: 'a-new-password-22', confirm: 'a-new-password-22' };
      expect((await agent.post('/desk/account/password').type('form').send(fields)).status).to.equal(403);
      expect((await agent.post('/desk/account/password').type('form').send({ ...fields, _csrf: 'x'.repeat(43) })).status).to.equal(403);
      expect(hashOf(email)).to.equal(before);
      expect(sessionsOf(email)).to.have.length(2);
    });
  });
});
