import { expect } from 'chai';
import type request from 'supertest';
import { createApiToken } from '../../server/api/tokens';
import { createStaffUser } from '../../server/auth/staff';
import { PRESETS } from '../../server/domain/policy/settings';
import { unseal } from '../../server/security/sealed';
import { verifySignature } from '../../server/webhooks/signature';
import { changeRole } from '../../server/settings/staff-service';
import { readSettings } from '../../server/settings/store';
import { csrfFrom, startTestDesk, type TestDesk } from '../support/desk';
import { startReceiver, type Receiver, type ReceivedRequest } from '../support/loopback';
import { startProviderServer, type ProviderServer } from '../support/provider-server';
import { loginAs } from '../support/staff';

describe('settings: policy, targets, canned responses, staff, providers, tokens and webhook', () => {
  let desk: TestDesk;
  let admin: request.Agent;
  let manager: request.Agent;
  let agent: request.Agent;
  let adminId: number;
  before(async () => {
    desk = await startTestDesk();
    admin = await loginAs(desk, 'boss@desk.test', 'admin');
    manager = await loginAs(desk, 'manny@desk.test', 'manager');
    agent = await loginAs(desk, 'alya@desk.test', 'agent');
    adminId = Number(sql("select id from staff_users where email = 'boss@desk.test'")[0]!.id);
    // The desk's first admin (from ADMIN_EMAIL) is disabled, so boss is the only active admin.
    desk.db.$client.prepare("update staff_users set active = 0 where email = 'admin@desk.test'").run();
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const events = (action: string) =>
    sql('select actor_type, actor_id, ticket_id, data from audit_events where action = ? order by id', action).map((e) => ({
      ...e,
      data: e.data === null ? null : (JSON.parse(String(e.data)) as Record<string, unknown>),
    }));
  async function post(who: request.Agent, url: string, fields: Record<string, string | string[]>) {
    const csrf = await csrfFrom(who, '/desk');
    return who.post(url).type('form').send({ _csrf: csrf, ...fields });
  }
  const policyForm = (values: Record<string, string> = {}) => ({
    preset: 'standard',
    cancelPending: 'always',
    customerMistakeAfterStart: 'undelivered',
    originalMethodFor: 'billing_duplicate_unstarted',
    extendedPendingHours: '24',
    stuckProcessingHours: '48',
    refundWindowDays: '30',
    slowDelivery: 'manual_review',
    overlapping: 'review',
    cryptoFee: '1',
    ...values,
  });

  describe('who may open what', () => {
    const managerPages = ['/desk/settings', '/desk/settings/policy', '/desk/settings/general', '/desk/settings/canned', '/desk/settings/canned/new'];
    const adminPages = ['/desk/settings/staff', '/desk/settings/staff/new', '/desk/settings/providers', '/desk/settings/providers/new', '/desk/settings/tokens', '/desk/settings/webhook'];

    it('When an agent opens any settings page or posts to one, then the answer is 403', async () => {
      for (const page of [...managerPages, ...adminPages]) expect((await agent.get(page)).status, page).to.equal(403);
      for (const page of ['/desk/settings/policy', '/desk/settings/general', '/desk/settings/staff', '/desk/settings/tokens']) {
        expect((await post(agent, page, { name: 'x' })).status, page).to.equal(403);
      }
      expect(sql("select count(*) n from settings")[0]!.n).to.equal(0);
    });

    it('When a manager opens the admin sections, then the answer is 403, while the manager sections open', async () => {
      for (const page of managerPages) expect((await manager.get(page)).status, page).to.equal(200);
      for (const page of adminPages) expect((await manager.get(page)).status, page).to.equal(403);
      const res = await post(manager, '/desk/settings/tokens', { name: 'sneaky', scopes: 'tickets:read' });
      expect(res.status).to.equal(403);
      expect(sql('select count(*) n from api_tokens')[0]!.n).to.equal(0);
      const staff = await post(manager, '/desk/settings/staff', { email: 'x@desk.test', name: 'X', role: 'admin', language: 'en', password: 'long-enough-pass' });
      expect(staff.status).to.equal(403);
      expect(sql("select count(*) n from staff_users where email = 'x@desk.test'")[0]!.n).to.equal(0);
    });

    it('When the landing page is opened, then a manager sees the manager sections and an admin also the admin ones', async () => {
      const forManager = (await manager.get('/desk/settings')).text;
      expect(forManager).to.include('href="/desk/settings/policy"').and.include('href="/desk/settings/canned"');
      expect(forManager).to.not.include('href="/desk/settings/staff"');
      const forAdmin = (await admin.get('/desk/settings')).text;
      for (const s of ['policy', 'general', 'canned', 'staff', 'providers', 'tokens', 'webhook']) expect(forAdmin).to.include(`href="/desk/settings/${s}"`);
    });

    it('When nobody is logged in, then a settings page redirects to the login page', async () => {
      const res = await desk.agent().get('/desk/settings/policy');
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/login?next=%2Fdesk%2Fsettings%2Fpolicy');
    });
  });

  describe('review policy', () => {
    it('When a value is out of range, then the form comes back with 422, each error beside its field, the input kept and nothing stored', async () => {
      const res = await post(manager, '/desk/settings/policy', policyForm({ extendedPendingHours: '0', refundWindowDays: '366', cryptoFee: '-1', overlapping: 'sometimes', intent: 'save' }));
      expect(res.status).to.equal(422);
      expect(res.text).to.include('id="extendedPendingHours-error"').and.include('id="refundWindowDays-error"').and.include('id="cryptoFee-error"').and.include('id="overlapping-error"');
      expect(res.text).to.include('Enter a whole number from <bdi>1</bdi> to <bdi>720</bdi>.').and.include('Enter a whole number from <bdi>1</bdi> to <bdi>365</bdi>.');
      expect(res.text).to.include('name="extendedPendingHours" type="text" inputmode="numeric" dir="ltr" class="short" value="0"');
      expect(res.text).to.include('value="366"').and.include('value="-1"');
      expect(sql("select count(*) n from settings where key = 'policy'")[0]!.n).to.equal(0);
      expect(events('settings.policy')).to.have.length(0);
    });

    it('When a preview is asked for, then the examples show saved versus submitted recommendations and nothing is saved', async () => {
      const strict = Object.fromEntries(Object.entries(PRESETS.strict).map(([k, v]) => [k, String(v)]));
      const res = await post(manager, '/desk/settings/policy', policyForm({ ...strict, cryptoFee: '1', intent: 'preview' }));
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Effect of the change');
      // Changed mind while pending: refunded under standard, only after the provider accepts the cancel under strict.
      const row = res.text.slice(res.text.indexOf('data-example="pending2h"'), res.text.indexOf('</tr>', res.text.indexOf('data-example="pending2h"')));
      expect(row).to.include('Pending order cancelled on request: full refund.').and.include('Send the cancel to the provider first');
      expect(row).to.include('changes');
      const partial = res.text.slice(res.text.indexOf('data-example="partial157"'), res.text.indexOf('</tr>', res.text.indexOf('data-example="partial157"')));
      expect(partial).to.include('US$0.043675').and.not.include('changes');
      expect(res.text).to.include('value="7"');
      expect(sql("select count(*) n from settings where key = 'policy'")[0]!.n).to.equal(0);
      expect(readSettings(desk.db).policy).to.deep.equal(PRESETS.standard);
      expect(events('settings.policy')).to.have.length(0);
    });

    it('When the strict preset is chosen and saved, then it is stored, audited and the review of a ticket follows it', async () => {
      const panel = createApiToken(desk.db, 'policy-test', ['orders:write', 'tickets:read', 'tickets:write'], Date.now()).token;
      const api = (method: 'get' | 'put' | 'post', path: string) => desk.agent()[method](`/api/v1${path}`).set('Authorization', `Bearer ${panel}`);
      const completed = new Date(Date.now() - 10 * 86_400_000).toISOString();
      const pushed = await api('put', '/orders').send([
        { id: '70001', customerEmail: 'policy@example.com', link: 'https://instagram.com/p/pol', quantity: '1000', charge: '0.27819', remains: '157', status: 'Partial', createdAt: completed, completedAt: completed },
      ]);
      expect(pushed.body.stored).to.equal(1);
      const made = await api('post', '/tickets').send({ email: 'policy@example.com', orderIds: ['70001'], link: 'https://instagram.com/p/pol', reason: 'partial_delivery', details: 'Part missing.', preferredResolution: 'balance', language: 'en' });
      expect(made.status).to.equal(201);
      const number = made.body.ticket.number as string;
      const recommendation = async () => (await api('get', `/tickets/${number}`)).body.ticket.orders[0].recommendation;
      expect(await recommendation()).to.include({ outcome: 'partial_refund', rule: 'partial.undelivered' });

      const filled = await manager.get('/desk/settings/policy?preset=strict');
      expect(filled.status).to.equal(200);
      expect(filled.text).to.include('The form shows the values of the Strict preset.');
      expect(filled.text).to.match(/name="refundWindowDays"[^>]*value="7"/);
      expect(sql("select count(*) n from settings where key = 'policy'")[0]!.n).to.equal(0);

      const strict = Object.fromEntries(Object.entries(PRESETS.strict).map(([k, v]) => [k, String(v)]));
      const res = await post(manager, '/desk/settings/policy', policyForm({ ...strict, cryptoFee: '1.5', intent: 'save' }));
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/desk/settings/policy?notice=saved');
      expect((await manager.get('/desk/settings/policy?notice=saved')).text).to.include('Saved.');
      expect(readSettings(desk.db).policy).to.deep.equal({ ...PRESETS.strict, cryptoFeeMicros: 1_500_000 });
      const [event] = events('settings.policy');
      expect(event).to.deep.include({ actor_type: 'staff', ticket_id: null });
      expect(event!.data!.keys).to.have.members(['preset', 'cancelPending', 'customerMistakeAfterStart', 'originalMethodFor', 'refundWindowDays', 'slowDelivery', 'overlapping', 'cryptoFeeMicros']);

      // Completed ten days ago: inside the standard 30-day window, outside the strict 7 days.
      expect(await recommendation()).to.include({ outcome: 'reject', rule: 'outsideWindow' });
    });
  });

  describe('service targets and limits', () => {
    it('When SLA targets, the cap and the currency are saved, then they are stored, audited and used for new tickets', async () => {
      const res = await post(manager, '/desk/settings/general', { firstResponseHours: '4', cancellationHours: '12', investigationHours: '72', maxOpenTicketsPerEmail: '5', currency: 'eur' });
      expect(res.status).to.equal(303);
      const s = readSettings(desk.db);
      expect(s.sla).to.deep.equal({ firstResponseHours: 4, cancellationHours: 12, investigationHours: 72 });
      expect(s).to.include({ maxOpenTicketsPerEmail: 5, currency: 'EUR' });
      const [event] = events('settings.general');
      expect(event!.data!.keys).to.have.members(['sla.firstResponseHours', 'sla.cancellationHours', 'sla.investigationHours', 'maxOpenTicketsPerEmail', 'currency']);

      const panel = createApiToken(desk.db, 'sla-test', ['tickets:write'], Date.now()).token;
      const made = await desk.agent().post('/api/v1/tickets').set('Authorization', `Bearer ${panel}`)
        .send({ email: 'sla@example.com', orderIds: ['70002'], link: 'https://t.me/x', reason: 'not_started', preferredResolution: 'balance', language: 'en' });
      expect(made.status).to.equal(201);
      const [t] = sql('select created_at, first_response_due_at, resolution_due_at from tickets where number = ?', made.body.ticket.number);
      expect(Number(t!.first_response_due_at) - Number(t!.created_at)).to.equal(4 * 3_600_000);
      expect(Number(t!.resolution_due_at) - Number(t!.created_at)).to.equal(12 * 3_600_000);
    });

    it('When the cap is out of range and the currency malformed, then 422 keeps the input and stores nothing', async () => {
      const res = await post(manager, '/desk/settings/general', { firstResponseHours: '4', cancellationHours: '12', investigationHours: '721', maxOpenTicketsPerEmail: '51', currency: 'EURO' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('id="maxOpenTicketsPerEmail-error"').and.include('id="investigationHours-error"').and.include('Enter a three-letter currency code');
      expect(res.text).to.include('value="51"').and.include('value="EURO"').and.include('value="721"');
      expect(readSettings(desk.db)).to.include({ maxOpenTicketsPerEmail: 5, currency: 'EUR' });
      expect(events('settings.general')).to.have.length(1);
    });
  });

  describe('canned responses', () => {
    it('When a response exists in one language only, then the overview marks the other languages missing', async () => {
      const full = await manager.get('/desk/settings/canned');
      expect(full.text).to.include('data-key="cancelRefunded"').and.not.include('class="canned-missing"');
      const res = await post(manager, '/desk/settings/canned', { key: 'holdOn', language: 'en', title: 'Please wait', body: 'We are checking order {{orderId}}. Follow it here: {{link}}' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/desk/settings/canned?notice=saved');
      const page = (await manager.get('/desk/settings/canned')).text;
      const row = page.slice(page.indexOf('data-key="holdOn"'), page.indexOf('</tr>', page.indexOf('data-key="holdOn"')));
      expect(row).to.include('Please wait');
      expect(row).to.include('data-language="ar" class="canned-missing"').and.include('data-language="uk" class="canned-missing"');
      expect(row).to.include('/desk/settings/canned/new?key=holdOn&amp;language=uk');
      expect(events('settings.canned.created').at(-1)!.data).to.deep.include({ key: 'holdOn', language: 'en' });
    });

    it('When a response is edited, then it is stored and the changed fields audited; a clash or a wrong placeholder gets 422', async () => {
      const [row] = sql("select id from canned_responses where key = 'holdOn' and language = 'en'");
      const id = Number(row!.id);
      const form = await manager.get(`/desk/settings/canned/${id}`);
      expect(form.text).to.include('value="Please wait"').and.include('{{orderId}}').and.include('{{amount}}').and.include('{{link}}');
      const saved = await post(manager, `/desk/settings/canned/${id}`, { key: 'holdOn', language: 'en', title: 'Please hold on', body: 'We are checking order {{orderId}}. Follow it here: {{link}}' });
      expect(saved.status).to.equal(303);
      expect(sql('select title from canned_responses where id = ?', id)[0]!.title).to.equal('Please hold on');
      expect(events('settings.canned.updated').at(-1)!.data).to.deep.include({ id, keys: ['title'] });

      const wrong = await post(manager, `/desk/settings/canned/${id}`, { key: 'holdOn', language: 'en', title: 'X', body: 'Hello {{name}}' });
      expect(wrong.status).to.equal(422);
      expect(wrong.text).to.include('id="body-error"').and.include('Hello {{name}}').and.include('value="X"');
      const clash = await post(manager, `/desk/settings/canned/${id}`, { key: 'cancelRefunded', language: 'en', title: 'X', body: 'Y' });
      expect(clash.status).to.equal(422);
      expect(clash.text).to.include('A response with this key already exists in this language.');
      expect(sql('select key, title from canned_responses where id = ?', id)[0]).to.deep.equal({ key: 'holdOn', title: 'Please hold on' });
    });

    it('When a response is deleted, then it is gone and the deletion audited', async () => {
      const id = Number(sql("select id from canned_responses where key = 'holdOn'")[0]!.id);
      const res = await post(manager, `/desk/settings/canned/${id}/delete`, {});
      expect(res.status).to.equal(303);
      expect(sql("select count(*) n from canned_responses where key = 'holdOn'")[0]!.n).to.equal(0);
      expect(events('settings.canned.deleted').at(-1)!.data).to.deep.include({ id, key: 'holdOn', language: 'en' });
    });
  });

  describe('staff accounts', () => {
    it('When an admin creates an account, then it can log in with its password, and the creation is audited', async () => {
      const res = await post(admin, '/desk/settings/staff', { email: 'New.Agent@desk.test', name: 'Nadia', role: 'agent', language: 'ar', password: 'first-password-99' });
      expect(res.status).to.equal(303);
      const [user] = sql("select id, role, language, active, password_hash from staff_users where email = 'new.agent@desk.test'");
      expect(user).to.deep.include({ role: 'agent', language: 'ar', active: 1 });
      expect(String(user!.password_hash)).to.not.include('first-password-99');
      const nadia = desk.agent();
      const csrf = await csrfFrom(nadia, '/login');
      const login = await nadia.post('/login').type('form').send({ _csrf: csrf, email: 'new.agent@desk.test', password: 'first-password-99' });
      expect(login.status).to.equal(303);
      expect(events('settings.staff.created').at(-1)!.data).to.deep.include({ userId: user!.id, role: 'agent' });
      expect(JSON.stringify(events('settings.staff.created'))).to.not.include('first-password-99');
    });

    it('When the new account form is wrong, then 422 keeps the input except the password, and nothing is created', async () => {
      const res = await post(admin, '/desk/settings/staff', { email: 'new.agent@desk.test', name: 'Twin', role: 'boss', language: 'en', password: 'short' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('id="role-error"').and.include('id="password-error"').and.include('Use at least <bdi>10</bdi> characters.');
      expect(res.text).to.include('value="new.agent@desk.test"').and.include('value="Twin"').and.not.include('value="short"');
      const taken = await post(admin, '/desk/settings/staff', { email: 'new.agent@desk.test', name: 'Twin', role: 'agent', language: 'en', password: 'long-enough-123' });
      expect(taken.status).to.equal(422);
      expect(taken.text).to.include('An account with this email already exists.');
      expect(sql("select count(*) n from staff_users where name = 'Twin'")[0]!.n).to.equal(0);
    });

    it('When a role is changed, then it is stored and audited with the old and new role', async () => {
      const id = Number(sql("select id from staff_users where email = 'new.agent@desk.test'")[0]!.id);
      const res = await post(admin, `/desk/settings/staff/${id}/role`, { role: 'manager' });
      expect(res.status).to.equal(303);
      expect(sql('select role from staff_users where id = ?', id)[0]!.role).to.equal('manager');
      expect(events('settings.staff.role').at(-1)!.data).to.deep.include({ userId: id, from: 'agent', to: 'manager' });
    });

    it('When an account is disabled, then its sessions are deleted and its open session no longer works; enabling lets it log in again', async () => {
      await createStaffUser(desk.db, { email: 'leaving@desk.test', name: 'Leaving', role: 'agent', password: 'leaving-password-1' }, Date.now());
      const id = Number(sql("select id from staff_users where email = 'leaving@desk.test'")[0]!.id);
      const leaving = desk.agent();
      const login = async () => {
        const csrf = await csrfFrom(leaving, '/login');
        return leaving.post('/login').type('form').send({ _csrf: csrf, email: 'leaving@desk.test', password: 'leaving-password-1' });
      };
      expect((await login()).status).to.equal(303);
      expect((await leaving.get('/desk')).status).to.equal(200);
      expect(sql('select count(*) n from sessions where user_id = ?', id)[0]!.n).to.equal(1);

      const res = await post(admin, `/desk/settings/staff/${id}/disable`, {});
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/desk/settings/staff?notice=disabled');
      expect(sql('select active from staff_users where id = ?', id)[0]!.active).to.equal(0);
      expect(sql('select count(*) n from sessions where user_id = ?', id)[0]!.n).to.equal(0);
      const after = await leaving.get('/desk');
      expect(after.status).to.equal(303);
      expect(after.headers.location).to.match(/^\/login/);
      expect(events('settings.staff.disabled').at(-1)!.data).to.deep.include({ userId: id, sessionsEnded: 1 });

      expect((await post(admin, `/desk/settings/staff/${id}/enable`, {})).status).to.equal(303);
      expect(sql('select active from staff_users where id = ?', id)[0]!.active).to.equal(1);
      expect((await login()).status).to.equal(303);
      expect((await leaving.get('/desk')).status).to.equal(200);
      expect(events('settings.staff.enabled')).to.have.length(1);
    });

    it('When the last active admin would be demoted or disabled, then the answer is 422 with the reason and nothing changes', async () => {
      const before = sql('select count(*) n from audit_events')[0]!.n;
      const demote = await post(admin, `/desk/settings/staff/${adminId}/role`, { role: 'manager' });
      expect(demote.status).to.equal(422);
      expect(demote.text).to.include(`id="role-${adminId}-error"`).and.include('This is the last active admin.');
      // The refused choice stays selected beside its error, though the stored role is unchanged.
      const select = (html: string, id: number) => {
        const start = html.indexOf(`<select id="role-${id}"`);
        return html.slice(start, html.indexOf('</select>', start));
      };
      expect(select(demote.text, adminId)).to.include('<option value="manager" selected>').and.not.include('<option value="admin" selected>');
      const disable = await post(admin, `/desk/settings/staff/${adminId}/disable`, {});
      expect(disable.status).to.equal(422);
      expect(disable.text).to.include(`id="active-${adminId}-error"`);
      expect(select(disable.text, adminId), 'a refused disable shows the stored role').to.include('<option value="admin" selected>');
      expect(sql('select role, active from staff_users where id = ?', adminId)[0]).to.deep.equal({ role: 'admin', active: 1 });
      expect(sql('select count(*) n from sessions where user_id = ?', adminId)[0]!.n).to.be.greaterThan(0);
      expect(sql('select count(*) n from audit_events')[0]!.n).to.equal(before);
      // The rule lives in the service, whoever calls it.
      expect(() => changeRole(desk.db, adminId, 'agent', adminId, Date.now())).to.throw().with.property('status', 422);
    });

    it('When a second admin is active, then either admin may be demoted, but never both', async () => {
      const second = await createStaffUser(desk.db, { email: 'second@desk.test', name: 'Second', role: 'admin', password: 'second-password-1' }, Date.now());
      expect((await post(admin, `/desk/settings/staff/${second.id}/role`, { role: 'agent' })).status).to.equal(303);
      expect(sql('select role from staff_users where id = ?', second.id)[0]!.role).to.equal('agent');
      expect((await post(admin, `/desk/settings/staff/${adminId}/role`, { role: 'agent' })).status).to.equal(422);
    });
  });

  describe('providers', () => {
    let provider: ProviderServer;
    const KEY = 'prov-secret-key-4711';
    before(async () => {
      provider = await startProviderServer(KEY);
    });
    after(() => provider.close());

    it('When a provider is created with its key, then the key is stored sealed, never shown, and the change audited without it', async () => {
      const res = await post(admin, '/desk/settings/providers', { id: 'smmking', name: 'SMM King', apiUrl: provider.url, apiKey: KEY });
      expect(res.status).to.equal(303);
      const [row] = sql("select name, api_url, api_key_sealed from providers where id = 'smmking'");
      expect(row).to.deep.include({ name: 'SMM King', api_url: provider.url });
      expect(String(row!.api_key_sealed)).to.not.include(KEY);
      expect(unseal(desk.secret, String(row!.api_key_sealed))).to.equal(KEY);
      for (const page of ['/desk/settings/providers', '/desk/settings/providers/smmking/edit']) {
        const html = (await admin.get(page)).text;
        expect(html, page).to.include('SMM King').and.not.include(KEY);
      }
      expect((await admin.get('/desk/settings/providers/smmking/edit')).text).to.include('name="apiKey" type="password" dir="ltr" autocomplete="new-password" value=""');
      const [event] = events('settings.provider.created');
      expect(event!.data).to.deep.equal({ providerId: 'smmking', keys: ['name', 'apiUrl', 'apiKey'] });
      expect(JSON.stringify(sql('select data from audit_events'))).to.not.include(KEY);
    });

    it('When the form is wrong, then 422 keeps the input but never writes the key back', async () => {
      const [stored] = sql("select name, api_url, api_key_sealed from providers where id = 'smmking'");
      const res = await post(admin, '/desk/settings/providers', { id: 'smmking', name: 'Twin', apiUrl: provider.url, apiKey: 'typed-key-9999' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('A provider with this ID already exists.').and.not.include('typed-key-9999');
      // The provider that has the ID is left as it was: its name, and its key, sealed as before.
      const [after] = sql("select name, api_url, api_key_sealed from providers where id = 'smmking'");
      expect(after).to.deep.equal(stored);
      expect(after!.name).to.equal('SMM King');
      expect(unseal(desk.secret, String(after!.api_key_sealed))).to.equal(KEY);
      const bad = await post(admin, '/desk/settings/providers', { id: 'bad id!', name: '', apiUrl: 'ftp://files.example', apiKey: 'typed-key-9999' });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('id="id-error"').and.include('id="name-error"').and.include('id="apiUrl-error"');
      expect(bad.text).to.include('value="ftp://files.example"').and.include('value="bad id!"').and.not.include('typed-key-9999');
    });

    it('When "test connection" is pressed, then the provider is asked for its balance and the page shows it', async () => {
      const res = await post(admin, '/desk/settings/providers/smmking/test', {});
      expect(res.status).to.equal(200);
      expect(res.text).to.include('data-test="ok"').and.include('US$100.84292').and.not.include(KEY);
      const [asked] = provider.requestsFor('balance');
      expect(asked).to.include({ keyOk: true });
    });

    it('When the edit leaves the key empty, then the stored key is kept; a wrong key makes the test fail, classified and without the key', async () => {
      const kept = await post(admin, '/desk/settings/providers/smmking', { name: 'SMM King Pro', apiUrl: provider.url, apiKey: '' });
      expect(kept.status).to.equal(303);
      const [row] = sql("select name, api_key_sealed from providers where id = 'smmking'");
      expect(row!.name).to.equal('SMM King Pro');
      expect(unseal(desk.secret, String(row!.api_key_sealed))).to.equal(KEY);
      expect(events('settings.provider.updated').at(-1)!.data).to.deep.equal({ providerId: 'smmking', keys: ['name'] });

      provider.faults.balance = 'error'; // a careless provider echoes the key in its error
      const failed = await post(admin, '/desk/settings/providers/smmking/test', {});
      expect(failed.status).to.equal(200);
      expect(failed.text).to.include('data-test="failed"').and.include('The provider refused the request').and.not.include(KEY);
      delete provider.faults.balance;

      await post(admin, '/desk/settings/providers/smmking', { name: 'SMM King Pro', apiUrl: provider.url, apiKey: 'wrong-key-0000' });
      const wrong = await post(admin, '/desk/settings/providers/smmking/test', {});
      expect(wrong.text).to.include('data-test="failed"').and.include('Invalid API key').and.not.include('wrong-key-0000');
    });
  });

  describe('API tokens', () => {
    it('When a token is created, then it is shown once, stored as a hash, works on the API, and revoking it makes the API answer 401', async () => {
      const res = await post(admin, '/desk/settings/tokens', { name: 'main panel', scopes: ['tickets:read', 'orders:write'] });
      expect(res.status).to.equal(201);
      expect(res.headers['cache-control']).to.equal('no-store');
      const token = /value="(rdk_[\w-]+)"/.exec(res.text)![1]!;
      const [row] = sql("select id, scopes, token_hash from api_tokens where name = 'main panel'");
      expect(row!.scopes).to.equal('orders:write,tickets:read');
      expect(JSON.stringify(sql('select * from api_tokens'))).to.not.include(token);
      const list = (await admin.get('/desk/settings/tokens')).text;
      expect(list).to.include('main panel').and.not.include(token);
      expect(events('settings.token.created').at(-1)!.data).to.deep.include({ tokenId: row!.id, name: 'main panel' });
      expect(JSON.stringify(events('settings.token.created'))).to.not.include(token);

      const call = () => desk.agent().get('/api/v1/orders/404404').set('Authorization', `Bearer ${token}`);
      expect((await call()).status).to.equal(404);
      const revoked = await post(admin, `/desk/settings/tokens/${row!.id}/revoke`, {});
      expect(revoked.status).to.equal(303);
      expect((await call()).status).to.equal(401);
      expect(events('settings.token.revoked').at(-1)!.data).to.deep.include({ tokenId: row!.id });
      expect((await admin.get('/desk/settings/tokens')).text).to.include('Revoked');
    });

    it('When no scope is chosen, then 422 keeps the name and no token is made', async () => {
      const before = sql('select count(*) n from api_tokens')[0]!.n;
      const res = await post(admin, '/desk/settings/tokens', { name: 'no scopes' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('value="no scopes"').and.include('id="scopes-error"');
      expect(sql('select count(*) n from api_tokens')[0]!.n).to.equal(before);
    });
  });

  describe('webhook', () => {
    let receiver: Receiver;
    let url: string;
    let received: ReceivedRequest[];
    before(async () => {
      receiver = await startReceiver({ path: '/hook' });
      receiver.behaviour.status = 204;
      ({ url, received } = receiver);
    });
    after(() => receiver.close());

    it('When a URL is saved without any secret, then 422 asks for one; a bad URL is refused, the input kept', async () => {
      const res = await post(admin, '/desk/settings/webhook', { url, secret: '' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('id="secret-error"').and.include(`value="${url}"`);
      const bad = await post(admin, '/desk/settings/webhook', { url: 'javascript:alert(1)', secret: 'long-enough-secret-1' });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('id="url-error"').and.not.include('long-enough-secret-1');
      expect(readSettings(desk.db)).to.include({ webhookUrl: null, webhookSecretSealed: null });
    });

    it('When the URL and a secret are saved, then the secret is stored sealed and never shown; "send test" delivers a signed event and logs it', async () => {
      const secret = 'typed-webhook-secret-123';
      const res = await post(admin, '/desk/settings/webhook', { url, secret });
      expect(res.status).to.equal(303);
      const s = readSettings(desk.db);
      expect(s.webhookUrl).to.equal(url);
      expect(s.webhookSecretSealed).to.not.include(secret);
      expect(unseal(desk.secret, s.webhookSecretSealed!)).to.equal(secret);
      expect((await admin.get('/desk/settings/webhook')).text).to.include('A secret is stored').and.not.include(secret);
      expect(events('settings.webhook').at(-1)!.data).to.deep.equal({ keys: ['webhookUrl', 'webhookSecret'], generated: false });

      const test = await post(admin, '/desk/settings/webhook/test', {});
      expect(test.status).to.equal(200);
      expect(test.text).to.include('data-test="ok"').and.include('HTTP <bdi>204</bdi>');
      expect(received).to.have.length(1);
      expect(JSON.parse(received[0]!.body)).to.include({ event: 'webhook.test' });
      expect(verifySignature(secret, received[0]!.headers['x-refunddesk-signature'] as string, received[0]!.body, Date.now())).to.equal(true);
      const page = (await admin.get('/desk/settings/webhook')).text;
      expect(page).to.include('data-delivery=').and.include('webhook.test');
    });

    it('When a new secret is generated, then it is shown once, stored sealed, and the URL change alone keeps it', async () => {
      const res = await post(admin, '/desk/settings/webhook', { url, secret: '', generate: '1' });
      expect(res.status).to.equal(201);
      const shown = /value="(whsec_[\w-]+)"/.exec(res.text)![1]!;
      const sealed = readSettings(desk.db).webhookSecretSealed!;
      expect(unseal(desk.secret, sealed)).to.equal(shown);
      expect((await admin.get('/desk/settings/webhook')).text).to.not.include(shown);
      expect(events('settings.webhook').at(-1)!.data).to.deep.equal({ keys: ['webhookSecret'], generated: true });

      const moved = await post(admin, '/desk/settings/webhook', { url: `${url}/v2`, secret: '' });
      expect(moved.status).to.equal(303);
      expect(readSettings(desk.db)).to.include({ webhookUrl: `${url}/v2`, webhookSecretSealed: sealed });
      expect(events('settings.webhook').at(-1)!.data).to.deep.equal({ keys: ['webhookUrl'], generated: false });
    });
  });

  describe('the audit trail', () => {
    it('When all the changes above were made, then each left an event naming its staff actor and no ticket', () => {
      const rows = sql("select actor_type, actor_id, ticket_id from audit_events where action like 'settings.%'");
      expect(rows.length).to.be.greaterThan(10);
      for (const r of rows) expect(r).to.include({ actor_type: 'staff', ticket_id: null }).and.have.property('actor_id').that.is.a('number');
    });
  });
});
