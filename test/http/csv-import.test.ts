import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type request from 'supertest';
import { createStaffUser } from '../../server/auth/staff';
import { csrfFrom, filesIn, startTestDesk, type TestDesk } from '../support/desk';

const CSV = [
  '\uFEFFOrder ID;User email;Link;Quantity;Charge;Status;Date;Notes',
  '90001;one@example.com;https://instagram.com/p/a;1000;0,50;Completed;2026-11-20 10:00:00;first',
  '90002;not-an-email;https://instagram.com/p/b;500;0.25;Partial;2026-11-20 11:00:00;"a note; on',
  'two lines"',
  '90003;three@example.com;https://instagram.com/p/c;250;1.75;In progress;2026-11-21;',
  '90004;four@example.com;ftp://nope;250;1.75;Pending;2026-11-21;',
].join('\r\n');
// A bad email on line 3 (its note runs onto line 4) and a bad link on line 6.
const GOOD_IDS = ['90001', '90003'];

describe('orders: CSV import pages', () => {
  let desk: TestDesk;
  let managerId: number;
  before(async () => {
    desk = await startTestDesk();
    await createStaffUser(desk.db, { email: 'agent@desk.test', name: 'Alya Agent', role: 'agent', password: 'agent-password-1' }, Date.now());
    await createStaffUser(desk.db, { email: 'manager@desk.test', name: 'Mira Manager', role: 'manager', password: 'manager-password-1' }, Date.now());
    managerId = sql("select id from staff_users where email = 'manager@desk.test'")[0]!.id as number;
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const orderIds = () => sql('select id from orders order by id').map((r) => r.id);
  const imports = () => filesIn(path.join(desk.dir, 'data', 'imports'));
  const audits = () => sql("select actor_type, actor_id, ticket_id, data from audit_events where action = 'orders.imported' order by id");

  async function loggedIn(email: string, password: string): Promise<request.Agent> {
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrf, email, password, next: '/desk' });
    expect(res.status).to.equal(303);
    return agent;
  }
  const manager = () => loggedIn('manager@desk.test', 'manager-password-1');

  async function upload(agent: request.Agent, data: Buffer | string, opts: { name?: string; currency?: string; csrf?: string | null } = {}) {
    const csrf = opts.csrf === undefined ? await csrfFrom(agent, '/desk/orders/import') : opts.csrf;
    const req = agent.post('/desk/orders/import');
    if (csrf !== null) req.field('_csrf', csrf);
    req.field('currency', opts.currency ?? '');
    return req.attach('file', Buffer.isBuffer(data) ? data : Buffer.from(data), opts.name ?? 'orders.csv');
  }

  /** The preview's form as the browser would send it, with some columns changed. */
  function previewForm(html: string, changes: Record<number, string> = {}): Record<string, string> {
    const form: Record<string, string> = {};
    for (const name of ['_csrf', 'token', 'fileName', 'currency', 'previewed']) {
      form[name] = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!;
    }
    for (const m of html.matchAll(/<select id="map-(\d+)" name="map-\d+">([\s\S]*?)<\/select>/g)) {
      form[`map-${m[1]}`] = changes[Number(m[1])] ?? /<option value="([^"]+)" selected>/.exec(m[2]!)![1]!;
    }
    return form;
  }

  describe('who may import', () => {
    it('When the import page is opened without a session, then it redirects to the login page', async () => {
      const res = await desk.agent().get('/desk/orders/import');
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/login?next=%2Fdesk%2Forders%2Fimport');
    });

    it('When an agent opens or posts the import, then the answer is 403, nothing is saved and the desk shows no link', async () => {
      const agent = await loggedIn('agent@desk.test', 'agent-password-1');
      expect((await agent.get('/desk/orders/import')).status).to.equal(403);
      const csrf = await csrfFrom(agent, '/desk');
      const res = await upload(agent, CSV, { csrf });
      expect(res.status).to.equal(403);
      expect(imports()).to.deep.equal([]);
      expect((await agent.get('/desk')).text).to.not.include('/desk/orders/import');
    });

    it('When a manager opens the desk, then it links to the import page, which shows the upload form', async () => {
      const agent = await manager();
      expect((await agent.get('/desk')).text).to.include('href="/desk/orders/import"');
      const page = await agent.get('/desk/orders/import');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('enctype="multipart/form-data"').and.include('name="file"').and.include('Import orders from CSV');
    });

    it('When the upload is posted without a CSRF token, then it is refused with 403 and nothing is saved', async () => {
      const agent = await manager();
      await agent.get('/desk/orders/import');
      const res = await upload(agent, CSV, { csrf: null });
      expect(res.status).to.equal(403);
      expect(imports()).to.deep.equal([]);
    });
  });

  describe('bad uploads', () => {
    let agent: request.Agent;
    before(async () => {
      agent = await manager();
    });

    it('When no file is chosen, then the form comes back with 422 asking for one', async () => {
      const csrf = await csrfFrom(agent, '/desk/orders/import');
      const res = await agent.post('/desk/orders/import').field('_csrf', csrf).field('currency', '');
      expect(res.status).to.equal(422);
      expect(res.text).to.include('Choose a CSV file to upload.');
    });

    const bad: [string, Buffer | string, string][] = [
      ['an image', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'This is not a CSV file.'],
      ['an empty file', '', 'The file is empty.'],
      ['a file without the required columns', 'Order ID,Email,Link\n1,a@example.com,https://x.test\n', 'No column is set for these required fields: <bdi>Quantity, Charge, Status and Ordered at</bdi>.'],
      ['a file with an unclosed quote', 'Order ID,Notes\n1,"open\n', 'near line <bdi>2</bdi>'],
    ];
    for (const [what, data, message] of bad) {
      it(`When ${what} is uploaded, then the form comes back with 422 and the reason, and nothing is written`, async () => {
        const res = await upload(agent, data);
        expect(res.status).to.equal(422);
        expect(res.text).to.include(message).and.include('id="file-error"');
        expect(imports()).to.deep.equal([]);
        expect(orderIds()).to.deep.equal([]);
      });
    }

    it('When the currency is not a three-letter code, then the upload is kept and its preview asks for the currency with 422', async () => {
      const res = await upload(agent, CSV, { currency: 'dollars' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('Use a three-letter currency code').and.include('value="DOLLARS"');
      // The browser cannot send the file again: it stays under the preview's token.
      const form = previewForm(res.text);
      expect(imports()).to.deep.equal([`${form.token}.csv`]);
      expect(res.text).to.include('id="currency-error"').and.include('aria-invalid=true').and.include('Correct the currency');
      expect(res.text).to.not.include('formaction="/desk/orders/import/commit"');
      const forced = await agent.post('/desk/orders/import/commit').type('form').send(form);
      expect(forced.status).to.equal(422);
      expect(forced.text).to.include('id="currency-error"');
      expect(orderIds()).to.deep.equal([]);
      const fixed = await agent.post('/desk/orders/import/preview').type('form').send({ ...form, currency: 'eur' });
      expect(fixed.status).to.equal(200);
      expect(fixed.text).to.include('name="currency" value="EUR"').and.include('formaction="/desk/orders/import/commit"').and.not.include('id="currency-error"');
      expect(fixed.text).to.match(/New orders<\/dt><dd>2<\/dd>/);
      expect(orderIds()).to.deep.equal([]);
      // The later tests count saved uploads from none.
      fs.rmSync(path.join(desk.dir, 'data', 'imports', `${form.token}.csv`));
    });

    it('When the file is larger than 20 MB, then the form comes back with 413 and nothing is saved', async () => {
      const res = await upload(agent, Buffer.alloc(20 * 1024 * 1024 + 1, 'a'));
      expect(res.status).to.equal(413);
      expect(res.text).to.include('The file can be at most <bdi>20</bdi> MB');
      expect(imports()).to.deep.equal([]);
    });
  });

  describe('preview and import', () => {
    let agent: request.Agent;
    let preview: request.Response;
    before(async () => {
      agent = await manager();
    });

    it('When a file is uploaded, then the preview shows the mapping, the counts and each error by line, and writes no order', async () => {
      preview = await upload(agent, CSV, { currency: 'eur' });
      expect(preview.status).to.equal(200);
      expect(orderIds()).to.deep.equal([]);
      expect(imports()).to.have.length(1);
      const form = previewForm(preview.text);
      expect(form).to.include({ 'map-0': 'id', 'map-1': 'customerEmail', 'map-2': 'link', 'map-6': 'createdAt', 'map-7': 'ignore', currency: 'EUR', fileName: 'orders.csv' });
      expect(form.token).to.match(/^[\w-]{43}$/);
      expect(imports()).to.deep.equal([`${form.token}.csv`]);
      // the problems, each on the line where its record starts
      const lines = [...preview.text.matchAll(/<tr data-line="(\d+)"><td>[^<]*<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [Number(m[1]), m[2], m[3]]);
      expect(lines).to.deep.equal([
        [3, 'Customer email', 'Enter a valid email address, like name@example.com.'],
        [6, 'Link', 'Must be a full link starting with http:// or https://.'],
      ]);
      expect(preview.text).to.include('<bdi>90003</bdi>').and.include('<bdi>three@example.com</bdi>');
      expect(preview.text).to.match(/New orders<\/dt><dd>2<\/dd>/).and.match(/Lines with problems \(not imported\)<\/dt><dd>2<\/dd>/);
    });

    it('When the mapping drops a required column, then the preview says which with 422 and offers no import', async () => {
      const res = await agent.post('/desk/orders/import/preview').type('form').send(previewForm(preview.text, { 1: 'ignore' }));
      expect(res.status).to.equal(422);
      expect(res.text).to.include('No column is set for these required fields: <bdi>Customer email</bdi>.');
      expect(res.text).to.not.include('formaction="/desk/orders/import/commit"');
      expect(orderIds()).to.deep.equal([]);
    });

    it('When the mapping is applied with Notes as the status, then the dry run is redone with that mapping', async () => {
      const res = await agent.post('/desk/orders/import/preview').type('form').send(previewForm(preview.text, { 5: 'ignore', 7: 'status' }));
      expect(res.status).to.equal(200);
      expect(previewForm(res.text)).to.include({ 'map-5': 'ignore', 'map-7': 'status' });
      // line 5 has an empty note, so now it lacks a status as well
      expect(res.text).to.match(/<tr data-line="5"><td>5<\/td><td>Status<\/td><td>This field is required.<\/td><\/tr>/);
      expect(orderIds()).to.deep.equal([]);
    });

    it('When a made-up token is sent, then nothing is read or written (404 for a path, 422 for an unknown token)', async () => {
      const form = previewForm(preview.text);
      const traversal = await agent.post('/desk/orders/import/commit').type('form').send({ ...form, token: '../refunddesk.sqlite' });
      expect(traversal.status).to.equal(404);
      const unknown = await agent.post('/desk/orders/import/commit').type('form').send({ ...form, token: 'A'.repeat(43) });
      expect(unknown.status).to.equal(422);
      expect(unknown.text).to.include('This upload has expired or was already imported.');
      expect(orderIds()).to.deep.equal([]);
      expect(audits()).to.deep.equal([]);
      expect(imports()).to.have.length(1);
    });

    it('When Import is pressed with a column changed but not applied, then the preview comes back with that mapping and nothing is imported', async () => {
      expect(previewForm(preview.text).previewed).to.equal('id,customerEmail,link,quantity,charge,status,createdAt,ignore');
      const res = await agent.post('/desk/orders/import/commit').type('form').send(previewForm(preview.text, { 5: 'ignore', 7: 'status' }));
      expect(res.status).to.equal(200);
      expect(res.text).to.include('data-changed').and.include('The columns were changed after the check, so nothing was imported.');
      expect(res.text).to.match(/<tr data-line="5"><td>5<\/td><td>Status<\/td><td>This field is required.<\/td><\/tr>/);
      expect(previewForm(res.text)).to.include({ 'map-5': 'ignore', 'map-7': 'status', previewed: 'id,customerEmail,link,quantity,charge,ignore,createdAt,status' });
      const unmarked = previewForm(preview.text);
      delete unmarked.previewed;
      const old = await agent.post('/desk/orders/import/commit').type('form').send(unmarked);
      expect(old.status).to.equal(200);
      expect(old.text).to.include('data-changed');
      expect(orderIds()).to.deep.equal([]);
      expect(audits()).to.deep.equal([]);
      expect(imports()).to.have.length(1);
    });

    it('When the import is confirmed, then the good rows are stored, the file is deleted and one audit event is written', async () => {
      const res = await agent.post('/desk/orders/import/commit').type('form').send(previewForm(preview.text));
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Orders imported').and.match(/Orders created<\/dt><dd>2<\/dd>/);
      expect(res.text).to.match(/<tr data-line="3">/);
      expect(orderIds()).to.deep.equal(GOOD_IDS);
      expect(sql("select currency, charge_micros, status, customer_email from orders where id = '90003'")).to.deep.equal([
        { currency: 'EUR', charge_micros: 1_750_000, status: 'in_progress', customer_email: 'three@example.com' },
      ]);
      expect(imports()).to.deep.equal([]);
      const [event, ...more] = audits();
      expect(more).to.deep.equal([]);
      expect(event).to.include({ actor_type: 'staff', actor_id: managerId, ticket_id: null });
      expect(JSON.parse(event!.data as string)).to.deep.equal({ fileName: 'orders.csv', rows: 4, created: 2, updated: 0, unchanged: 0, errors: 2 });
    });

    it('When the same import is confirmed twice, then the second finds the file gone and changes nothing', async () => {
      const res = await agent.post('/desk/orders/import/commit').type('form').send(previewForm(preview.text));
      expect(res.status).to.equal(422);
      expect(res.text).to.include('This upload has expired or was already imported.');
      expect(audits()).to.have.length(1);
    });

    it('When the same file is imported again, then every stored row is reported unchanged', async () => {
      const again = await upload(agent, CSV, { currency: 'EUR' });
      expect(again.status).to.equal(200);
      expect(again.text).to.match(/Orders already up to date<\/dt><dd>2<\/dd>/).and.match(/New orders<\/dt><dd>0<\/dd>/);
      const res = await agent.post('/desk/orders/import/commit').type('form').send(previewForm(again.text));
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/Orders unchanged<\/dt><dd>2<\/dd>/);
      expect(JSON.parse(audits()[1]!.data as string)).to.include({ created: 0, updated: 0, unchanged: 2 });
      expect(orderIds()).to.deep.equal(GOOD_IDS);
      expect(imports()).to.deep.equal([]);
    });

    it('When the preview is shown in Arabic, then its texts are Arabic and the values stay isolated', async () => {
      const res = await upload(agent, CSV);
      const ar = await agent.post('/desk/orders/import/preview?lng=ar').type('form').send(previewForm(res.text));
      expect(ar.status).to.equal(200);
      expect(ar.text).to.include('dir="rtl"').and.include('راجِع الاستيراد').and.include('<bdi>three@example.com</bdi>');
      expect(ar.text).to.match(/<tr data-line="6"><td>6<\/td><td>الرابط<\/td><td>[^<]+<\/td><\/tr>/);
      expect(fs.existsSync(path.join(desk.dir, 'data', 'imports'))).to.equal(true);
    });
  });
});
