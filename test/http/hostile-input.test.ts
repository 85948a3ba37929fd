// Hostile input, from the intake form, the customer's page and the panel API: each
// is refused with a translated message beside its field and nothing is kept (no
// ticket, row, file or email), or, where the input is data we must keep, it is
// stored without controls and shown escaped everywhere it appears.
//
// Controls and bidi overrides: stripped when stored (C0 controls but tab and new
// line, DEL, C1 controls, U+202A–U+202E, U+2066–U+2069), so nothing downstream (the
// pages, emails, exports, the API) can be reordered by them; pages also isolate
// customer text (<bdi>, dir="auto").
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type request from 'supertest';
import { createApiToken } from '../../server/api/tokens';
import { binary } from '../support/binary';
import { confirmationOf, csrfFrom, filesIn, postTicket, startTestDesk, type TestDesk, type TicketFields } from '../support/desk';
import { htmlWithJpegMagic, jpegWithHtmlAppended, pngClaiming, truncated } from '../support/hostile-images';
import { htmlPretendingToBePng, png, svg } from '../support/images';
import { loginAs, postWorkspaceForm } from '../support/staff';

const SCRIPT = '<script>alert(1)</script>';
const SQL = "'); DROP TABLE tickets;--";
const ESCAPED_SCRIPT = '&lt;script&gt;alert(1)&lt;/script&gt;';
/** A file name cannot hold "</script>" (a name is cut to what follows its last slash), so it gets its own payload. */
const NAME = '<img src=x onerror=alert(1)>.png';
const ESCAPED_NAME = '&lt;img src=x onerror=alert(1)&gt;.png';
/** Characters that must never reach a page, an email or an export. */
const INVISIBLE = /(?![\t\n])[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

describe('hostile input: refused with a translated message, or kept inert', () => {
  let desk: TestDesk;
  let agent: request.Agent;
  let manager: request.Agent;
  let seq = 0;
  before(async () => {
    desk = await startTestDesk();
    agent = await loginAs(desk, 'agent@desk.test', 'agent', 'Alya');
    manager = await loginAs(desk, 'manager@desk.test', 'manager', 'Maya');
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const one = (q: string, ...args: unknown[]) => sql(q, ...args)[0]!;
  const uploads = () => path.join(desk.dir, 'uploads');
  const fresh = (): TicketFields => ({ orderIds: String(6_100_000 + ++seq), email: `hostile${++seq}@example.com` });

  /** Everything a refused request must leave as it was: tickets, customers, attachments and their files, messages, events, emails. */
  function snapshot() {
    const count = (table: string) => one(`select count(*) n from ${table}`).n;
    return {
      tickets: count('tickets'),
      customers: count('customers'),
      auditEvents: count('audit_events'),
      attachments: count('attachments'),
      messages: count('messages'),
      outbox: count('outbox'),
      files: filesIn(uploads()).sort(),
    };
  }
  async function expectNothingKept<T>(run: () => Promise<T>): Promise<T> {
    const before = snapshot();
    const result = await run();
    expect(snapshot()).to.deep.equal(before);
    return result;
  }
  /** The error shown beside a field (its text, tags removed). */
  function fieldError(html: string, field: string): string {
    const m = new RegExp(`<p class="field-error" id="${field}-error">([\\s\\S]*?)</p>`).exec(html);
    expect(m, `no error beside ${field}`).to.not.equal(null);
    return m![1]!.replace(/<\/?bdi>/g, '');
  }

  describe('screenshots', () => {
    const refusals: [string, () => Promise<{ name: string; data: Buffer }[]>, number, string][] = [
      ['an HTML page is named .png', async () => [{ name: 'invoice.png', data: htmlPretendingToBePng }], 422, '“invoice.png” is not a PNG, JPEG, WebP or GIF image'],
      ['an SVG with a script is named .png', async () => [{ name: 'chart.png', data: svg }], 422, '“chart.png” is not a PNG, JPEG, WebP or GIF image'],
      ['an HTML page starts with the JPEG magic bytes', async () => [{ name: 'photo.jpg', data: htmlWithJpegMagic }], 422, '“photo.jpg” is not a PNG, JPEG, WebP or GIF image'],
      ['a small PNG claims 20,000 × 20,000 pixels', async () => [{ name: 'bomb.png', data: await pngClaiming(20_000, 20_000) }], 422, '“bomb.png” is too large in pixels'],
      ['a PNG is cut in half', async () => [{ name: 'half.png', data: await truncated('png') }], 422, '“half.png” is damaged or incomplete'],
      ['a JPEG is cut in half', async () => [{ name: 'half.jpg', data: await truncated('jpeg') }], 422, '“half.jpg” is damaged or incomplete'],
      ['a file has zero bytes', async () => [{ name: 'empty.png', data: Buffer.alloc(0) }], 422, '“empty.png” is empty (0 bytes)'],
      ['a good screenshot comes with a bad one', async () => [{ name: 'good.png', data: await png() }, { name: 'bad.png', data: htmlPretendingToBePng }], 422, '“bad.png” is not a PNG'],
      ['six files are attached', async () => Promise.all(Array.from({ length: 6 }, async (_, i) => ({ name: `s${i}.png`, data: await png(10 + i, 10) }))), 422, 'You can attach at most 5 screenshots.'],
      ['a file is 9 MB', async () => [{ name: 'big.png', data: Buffer.concat([await png(), Buffer.alloc(9 * 1024 * 1024)]) }], 413, 'Each screenshot must be at most 8 MB.'],
    ];
    for (const [when, files, status, message] of refusals) {
      it(`When ${when}, then the form comes back with ${status}, the message beside the screenshots, the input kept and nothing stored`, async () => {
        const attached = await files();
        const fields = { ...fresh(), details: 'Keep me' };
        const res = await expectNothingKept(() => postTicket(desk.agent(), fields, attached));
        expect(res.status).to.equal(status);
        expect(fieldError(res.text, 'screenshots')).to.include(message);
        expect(res.text).to.include(`value="${fields.email}"`).and.include('Keep me</textarea>');
      });
    }

    it('When a customer replies with an HTML page named .png, then the reply is refused with the message and nothing is kept', async () => {
      const { number, token } = confirmationOf(await postTicket(desk.agent(), fresh()));
      const browser = desk.agent();
      const csrf = await csrfFrom(browser, `/t/${number}?k=${token}`);
      const res = await expectNothingKept(() =>
        browser.post(`/t/${number}/replies`).field('_csrf', csrf).field('k', token).field('body', 'See attached').attach('screenshots', htmlPretendingToBePng, 'proof.png'),
      );
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'screenshots')).to.include('“proof.png” is not a PNG');
    });

    it('When the panel API sends a zero-byte screenshot, then it answers 422 naming the field and keeps nothing', async () => {
      const panel = createApiToken(desk.db, 'hostile', ['tickets:write'], Date.now()).token;
      const f = fresh();
      const res = await expectNothingKept(async () => {
        const req = desk.agent().post('/api/v1/tickets').set('Authorization', `Bearer ${panel}`);
        for (const [k, v] of Object.entries({ email: f.email!, orderIds: f.orderIds!, link: 'https://instagram.com/p/x', reason: 'not_started', preferredResolution: 'balance' })) req.field(k, v);
        return req.attach('screenshots', Buffer.alloc(0), 'empty.png');
      });
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.details.fields.screenshots).to.include('is empty (0 bytes)');
    });

    it('When screenshots have Arabic and Ukrainian names, then the names are kept as typed (read as UTF-8)', async () => {
      const { number } = confirmationOf(
        await postTicket(desk.agent(), fresh(), [{ name: 'لقطة الشاشة.png', data: await png() }, { name: 'знімок екрана.png', data: await png(30, 20) }]),
      );
      const names = sql('select a.original_name from attachments a join tickets t on t.id = a.ticket_id where t.number = ? order by a.id', number);
      expect(names.map((r) => r.original_name)).to.deep.equal(['لقطة الشاشة.png', 'знімок екрана.png']);
    });

    it('When a valid JPEG carries an HTML page after its end, then it is accepted and the stored and served file no longer holds the HTML', async () => {
      const polyglot = await jpegWithHtmlAppended();
      expect(polyglot.includes('<script')).to.equal(true);
      const { number, token } = confirmationOf(await postTicket(desk.agent(), fresh(), [{ name: 'polyglot.jpg', data: polyglot }]));
      const [file] = sql('select a.* from attachments a join tickets t on t.id = a.ticket_id where t.number = ?', number);
      expect(file).to.include({ mime: 'image/jpeg', original_name: 'polyglot.jpg' });
      const stored = fs.readFileSync(path.join(uploads(), file!.storage_name as string));
      expect(stored.includes('<script')).to.equal(false);
      expect(stored.includes('<html')).to.equal(false);
      expect((await sharp(stored).metadata()).format).to.equal('jpeg');
      const served = await desk.agent().get(`/t/${number}/files/${file!.id}?k=${token}`).buffer(true).parse(binary);
      expect(served.headers['content-type']).to.equal('image/jpeg');
      expect(served.headers['x-content-type-options']).to.equal('nosniff');
      expect((served.body as Buffer).includes('<script')).to.equal(false);
    });
  });

  describe('fields', () => {
    const refusals: [string, TicketFields, string, string][] = [
      ['the email is 300 characters', { email: `${'a'.repeat(288)}@example.com` }, 'email', 'This can be at most 254 characters long'],
      ['the details are 6,000 characters', { details: 'x'.repeat(6000) }, 'details', 'This can be at most 5000 characters long'],
      ['the link is 600 characters', { link: `https://instagram.com/p/${'a'.repeat(576)}` }, 'link', 'This can be at most 500 characters long'],
      ['the payment reference is 300 characters', { reason: 'billing_error', orderIds: '', link: '', amount: '5', paymentReference: 'R'.repeat(300) }, 'paymentReference', 'This can be at most 200 characters long'],
      ['an order ID has letters', { orderIds: '81532, 8153x' }, 'orderIds', '“8153x” is not an order ID'],
      ['an order ID is a formula', { orderIds: '=1+1' }, 'orderIds', '“=1+1” is not an order ID'],
      ['an order ID is negative', { orderIds: '-81532' }, 'orderIds', '“-81532” is not an order ID'],
      ['an order ID has full-width digits', { orderIds: '８１５３２' }, 'orderIds', 'is not an order ID'],
      ['an order ID has 21 digits', { orderIds: '1'.repeat(21) }, 'orderIds', 'is not an order ID'],
      ['an order ID is an SQL payload', { orderIds: SQL }, 'orderIds', 'is not an order ID'],
      ['eleven orders are given', { orderIds: '1 2 3 4 5 6 7 8 9 10 11' }, 'orderIds', 'At most 10 orders per ticket.'],
      ['the email has no @', { email: 'plainaddress' }, 'email', 'Enter a valid email address'],
      ['the email has no domain', { email: 'a@b' }, 'email', 'Enter a valid email address'],
      ['the email has two @', { email: 'a@@example.com' }, 'email', 'Enter a valid email address'],
      ['the email carries a Bcc header', { email: 'victim@example.com\r\nBcc: evil@example.com' }, 'email', 'Enter a valid email address'],
      ['the email is a script', { email: `${SCRIPT}@example.com` }, 'email', 'Enter a valid email address'],
      ['the email holds a bidi override', { email: 'moc.elpmaxe\u202E@example.com' }, 'email', 'Enter a valid email address'],
      ['the link is javascript:', { link: `javascript:${SCRIPT}` }, 'link', 'Enter the full link'],
      ['the link is a data: URL', { link: `data:text/html,${SCRIPT}` }, 'link', 'Enter the full link'],
    ];
    for (const [when, change, field, message] of refusals) {
      it(`When ${when}, then the form returns 422 with the message beside ${field} and nothing is stored`, async () => {
        const res = await expectNothingKept(() => postTicket(desk.agent(), { ...fresh(), ...change }));
        expect(res.status).to.equal(422);
        expect(fieldError(res.text, field)).to.include(message);
        expect(res.text).to.not.include(SCRIPT);
      });
    }
  });

  describe('in Arabic and Ukrainian', () => {
    type Files = () => Promise<{ name: string; data: Buffer }[]>;
    const none: Files = async () => [];
    const cases: [string, string, TicketFields, Files, string, RegExp][] = [
      ['ar', 'an HTML page is named .png', {}, async () => [{ name: 'invoice.png', data: htmlPretendingToBePng }], 'screenshots', /الملف «invoice\.png» ليس صورة/],
      ['ar', 'the email is 300 characters', { email: `${'a'.repeat(288)}@example.com` }, none, 'email', /الحد الأقصى لعدد الأحرف في هذا الحقل هو 254/],
      ['ar', 'a PNG is cut in half', {}, async () => [{ name: 'half.png', data: await truncated('png') }], 'screenshots', /الملف «half\.png» تالف أو غير مكتمل/],
      ['uk', 'a file has zero bytes', {}, async () => [{ name: 'empty.png', data: Buffer.alloc(0) }], 'screenshots', /Файл «empty\.png» порожній/],
      ['uk', 'the link is 600 characters', { link: `https://instagram.com/p/${'a'.repeat(576)}` }, none, 'link', /Максимальна кількість символів у цьому полі — 500/],
      ['uk', 'a small PNG claims 20,000 × 20,000 pixels', {}, async () => [{ name: 'bomb.png', data: await pngClaiming(20_000, 20_000) }], 'screenshots', /Зображення «bomb\.png» має завелику роздільність/],
    ];
    for (const [lng, when, change, files, field, message] of cases) {
      it(`When ${when} in ${lng}, then the message beside ${field} is in ${lng} and nothing is stored`, async () => {
        const attached = await files();
        const res = await expectNothingKept(() => postTicket(desk.agent(), { ...fresh(), ...change, lng }, attached));
        expect(res.status).to.equal(422);
        expect(res.text).to.include(`<html lang="${lng}"`);
        expect(fieldError(res.text, field)).to.match(message);
      });
    }
  });

  describe('controls and bidi overrides', () => {
    const details = 'Order\u0000 never\u0007 started\u202E gnp.exe\u202C \u2066isolated\u2069\tstill tabbed\r\nsecond line\u0085';
    const link = 'https://instagram.com/p/\u202Eabc\u0001\u2067def';

    it('When names, links and details hold controls and bidi overrides, then they are stored without them and no page or email shows one', async () => {
      const res = await postTicket(desk.agent(), { ...fresh(), details, link }, [{ name: 'photo\u202Egnp.exe\u2066.png', data: await png() }]);
      const { number, token } = confirmationOf(res);
      const ticket = one('select id, details, link from tickets where number = ?', number);
      expect(ticket.details).to.equal('Order never started gnp.exe isolated\tstill tabbed\nsecond line');
      expect(ticket.link).to.equal('https://instagram.com/p/abcdef');
      expect(one('select original_name from attachments where ticket_id = ?', ticket.id).original_name).to.equal('photognp.exe.png');

      const customer = await desk.agent().get(`/t/${number}?k=${token}`);
      const staff = await agent.get(`/desk/tickets/${number}`);
      for (const page of [customer, staff]) {
        expect(page.status).to.equal(200);
        expect(page.text).to.include('Order never started gnp.exe isolated\tstill tabbed\nsecond line');
        expect(page.text).to.match(/<div class="message-body" dir="auto">Order never started/);
        expect(page.text).to.include('<bdi>photognp.exe.png</bdi>');
        expect(page.text).to.not.match(INVISIBLE);
      }
      const [mail] = sql("select payload from outbox where kind = 'email' and payload like ? order by id desc limit 1", `%${number}%`);
      const email = JSON.parse(mail!.payload as string) as { html: string; text: string; subject: string };
      for (const part of [email.html, email.text, email.subject]) expect(part).to.not.match(INVISIBLE);
    });

    it('When a file name holds a raw control character, then the upload is refused as unreadable (not a 500) and nothing is kept', async () => {
      // Multipart part headers may not hold controls: the parser refuses the body.
      const fields = fresh();
      const image = await png();
      const res = await expectNothingKept(() => postTicket(desk.agent(), fields, [{ name: 'photo\u0007.png', data: image }]));
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'screenshots')).to.include('The upload could not be read.');
      expect(res.text).to.include(`value="${fields.email}"`);
    });

    it('When a refused file name holds a bidi override, then the message names it without the override', async () => {
      const res = await expectNothingKept(() => postTicket(desk.agent(), fresh(), [{ name: 'cv\u202Efdp.exe\u2069.png', data: htmlPretendingToBePng }]));
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'screenshots')).to.include('“cvfdp.exe.png” is not a PNG');
      expect(res.text).to.not.match(INVISIBLE);
    });

    it('When a payment reference holds controls and a bidi override, then the decision email quotes it without them', async () => {
      const { number } = confirmationOf(
        await postTicket(desk.agent(), { ...fresh(), reason: 'billing_error', orderIds: '', link: '', amount: '5', paymentReference: 'TX\u202E-77\u0007-\u2066A\u2069' }),
      );
      expect(one('select payment_reference from tickets where number = ?', number).payment_reference).to.equal('TX-77-A');
      const email = await decidePayment(number);
      expect(email.html).to.include('<bdi>TX-77-A</bdi>');
      for (const part of [email.html, email.text, email.subject]) expect(part).to.not.match(INVISIBLE);
    });
  });

  /** Ticks the payment check and rejects the payment; returns the decision email queued for the customer. */
  async function decidePayment(number: string): Promise<{ html: string; text: string; subject: string }> {
    expect((await postWorkspaceForm(agent, number, '/checklist', { orderKey: 'payment', item: 'paymentReferenceVerified', checked: '1' })).status).to.equal(303);
    const res = await postWorkspaceForm(agent, number, '/decisions', { orderKey: 'payment', outcome: 'reject', rejectReason: 'payment_not_found', note: 'Not found.' });
    expect(res.status, res.text.slice(0, 200)).to.equal(303);
    const [mail] = sql("select payload from outbox where kind = 'email' order by id desc limit 1");
    const email = JSON.parse(mail!.payload as string) as { html: string; text: string; subject: string };
    expect(email.text).to.include(number);
    return email;
  }

  describe('script and SQL payloads', () => {
    const payload = `${SCRIPT} ${SQL}`;
    const formula = '=HYPERLINK("http://evil.example/x","Click me")';
    let number: string;
    let token: string;
    let billing: string;
    let ticketsBefore: number;
    /** The tickets table is still in the schema (checked first: counting a dropped table would only throw). */
    const ticketsTableThere = () =>
      expect(one("select count(*) n from sqlite_master where type = 'table' and name = 'tickets'").n, 'the tickets table').to.equal(1);

    before(async () => {
      ticketsBefore = one('select count(*) n from tickets').n as number;
      ({ number, token } = confirmationOf(
        await postTicket(desk.agent(), { ...fresh(), details: payload, link: `https://example.com/${SCRIPT}?q=${SQL}` }, [{ name: NAME, data: await png() }]),
      ));
      billing = confirmationOf(
        await postTicket(desk.agent(), { ...fresh(), reason: 'billing_error', orderIds: '', link: '', amount: '5', paymentReference: SCRIPT, details: formula }),
      ).number;
      const browser = desk.agent();
      const csrf = await csrfFrom(browser, `/t/${number}?k=${token}`);
      expect((await browser.post(`/t/${number}/replies`).type('form').send({ _csrf: csrf, k: token, body: `Reply ${payload}` })).status).to.equal(303);
    });

    it('When they are filed, then they are stored exactly as typed, and the tickets table is still there', () => {
      expect(one('select details, link from tickets where number = ?', number)).to.deep.equal({ details: payload, link: `https://example.com/${SCRIPT}?q=${SQL}` });
      ticketsTableThere();
      // The two tickets filed above, and no other change.
      expect(one('select count(*) n from tickets').n).to.equal(ticketsBefore + 2);
    });

    it('When the customer opens the ticket, then every payload is escaped', async () => {
      const page = await desk.agent().get(`/t/${number}?k=${token}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.not.include(SCRIPT);
      expect(page.text).to.include(`${ESCAPED_SCRIPT} &#39;); DROP TABLE tickets;--`);
      expect(page.text).to.include(`Reply ${ESCAPED_SCRIPT}`);
      expect(page.text).to.include(`alt="${ESCAPED_NAME}"`).and.not.include(NAME);
    });

    it('When an agent opens the workspace, then every payload is escaped', async () => {
      const page = await agent.get(`/desk/tickets/${number}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.not.include(SCRIPT);
      expect(page.text).to.include(`${ESCAPED_SCRIPT} &#39;); DROP TABLE tickets;--`);
      expect(page.text).to.include(`href="https://example.com/${ESCAPED_SCRIPT}?q=&#39;); DROP TABLE tickets;--"`);
      expect(page.text).to.include(`<bdi>${ESCAPED_NAME}</bdi>`).and.not.include(NAME);
      const billingPage = await agent.get(`/desk/tickets/${billing}`);
      expect(billingPage.text).to.not.include(SCRIPT);
      expect(billingPage.text).to.include(`<bdi>${ESCAPED_SCRIPT}</bdi>`);
    });

    for (const q of [SCRIPT, SQL, '"unbalanced', 'NEAR(a b', '*', 'details:x OR', '\u0000']) {
      it(`When an agent searches the queue for ${JSON.stringify(q)}, then the page answers, shows the search escaped and the tickets are still there`, async () => {
        const before = one('select count(*) n from tickets').n;
        const page = await agent.get('/desk').query({ q });
        expect(page.status).to.equal(200);
        expect(page.text).to.not.include(SCRIPT);
        if (q === SCRIPT) expect(page.text).to.include(`value="${ESCAPED_SCRIPT}"`);
        // The payload is searched for as words, so the ticket holding it is found.
        if (q === SQL) expect(page.text).to.include('value="&#39;); DROP TABLE tickets;--"').and.include(`data-ticket="${number}"`);
        ticketsTableThere();
        expect(one('select count(*) n from tickets').n).to.equal(before);
      });
    }

    it('When an agent replies quoting the payload and the payment is decided, then both emails carry it escaped in HTML', async () => {
      expect((await postWorkspaceForm(agent, number, '/reply', { body: `You wrote: ${payload}` })).status).to.equal(303);
      const [mail] = sql("select payload from outbox where kind = 'email' order by id desc limit 1");
      const reply = JSON.parse(mail!.payload as string) as { html: string; text: string };
      expect(reply.html).to.not.include(SCRIPT);
      expect(reply.html).to.include(`You wrote: ${ESCAPED_SCRIPT} &#39;); DROP TABLE tickets;--`);
      expect(reply.text).to.include(`You wrote: ${payload}`);
      const decision = await decidePayment(billing);
      expect(decision.html).to.not.include(SCRIPT);
      expect(decision.html).to.include(`<bdi>${ESCAPED_SCRIPT}</bdi>`);
    });

    it('When a manager exports tickets as CSV, then the payloads are kept as data and the formula cell is neutralised', async () => {
      const res = await exportTickets('csv');
      expect(res.status).to.equal(200);
      const rows = parse(res.body as Buffer, { bom: true, relax_column_count: true }) as string[][];
      const cells = rows.flat();
      expect(cells).to.include(payload);
      expect(cells).to.include(`https://example.com/${SCRIPT}?q=${SQL}`);
      expect(cells).to.include(`'${formula}`).and.not.include(formula);
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).to.deep.equal([]);
    });

    it('When a manager exports tickets as XLSX, then the payloads are plain text cells, never formulas', async () => {
      const res = await exportTickets('xlsx');
      expect(res.status).to.equal(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      const values: unknown[] = [];
      wb.worksheets[0]!.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
      expect(values).to.include(payload).and.include(formula);
      expect(values.filter((v) => typeof v === 'object' && v !== null && 'formula' in v)).to.deep.equal([]);
    });

    it('When the panel API reads the ticket, then the payloads come back exactly, as JSON that browsers will not sniff', async () => {
      const panel = createApiToken(desk.db, 'reader', ['tickets:read'], Date.now()).token;
      const res = await desk.agent().get(`/api/v1/tickets/${number}`).set('Authorization', `Bearer ${panel}`);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.body.ticket.details).to.equal(payload);
      expect(JSON.stringify(res.body)).to.include(SCRIPT);
    });

    async function exportTickets(format: 'csv' | 'xlsx') {
      const today = new Date().toISOString().slice(0, 10);
      const csrf = await csrfFrom(manager, '/desk/exports');
      return manager
        .post('/desk/exports')
        .type('form')
        .send({ _csrf: csrf, kind: 'tickets', format, from: today, to: today })
        .buffer(true)
        .parse(binary);
    }
  });

  describe('path traversal on the file routes', () => {
    const SECRET = 'TOP-SECRET-OUTSIDE-THE-UPLOAD-FOLDER';
    let number: string;
    let token: string;
    let fileId: number;
    before(async () => {
      fs.writeFileSync(path.join(desk.dir, 'outside.txt'), SECRET);
      fs.writeFileSync(path.join(desk.dir, 'data', 'outside.png'), SECRET);
      ({ number, token } = confirmationOf(await postTicket(desk.agent(), fresh(), [{ name: 'a.png', data: await png() }])));
      fileId = one('select a.id from attachments a join tickets t on t.id = a.ticket_id where t.number = ?', number).id as number;
    });

    const ids = [
      '..%2F..%2Fetc%2Fpasswd',
      '..%2F..%2Foutside.txt',
      '..%2f..%2f..%2foutside.txt',
      '%2e%2e',
      '%2e%2e%2f%2e%2e%2foutside.txt',
      '%252e%252e%252foutside.txt',
      '..%5C..%5Coutside.txt',
      '....%2F%2F....%2F%2Foutside.txt',
      '..%2Fdata%2Foutside.png',
      '%2Fetc%2Fpasswd',
      '1%00.png',
      '1%2F..%2F..%2Foutside.txt',
    ];

    for (const id of ids) {
      it(`When a file is asked for as ${id}, then the customer and staff routes answer 404 and serve nothing from outside the upload folder`, async () => {
        for (const thumb of ['', '&size=thumb']) {
          const customer = await desk.agent().get(`/t/${number}/files/${id}?k=${token}${thumb}`);
          expect(customer.status, `customer ${id}${thumb}`).to.equal(404);
          expect(customer.text).to.not.include(SECRET).and.not.include('root:');
          const staff = await agent.get(`/desk/tickets/${number}/files/${id}${thumb ? '?size=thumb' : ''}`);
          expect(staff.status, `staff ${id}${thumb}`).to.equal(404);
          expect(staff.text).to.not.include(SECRET).and.not.include('root:');
        }
        const staged = await desk.agent().get(`/tickets/staged/${id}?s=${'s'.repeat(43)}`);
        expect(staged.status).to.equal(404);
      });
    }

    it('When the dots are an overlong UTF-8 encoding, then the router refuses the parameter with 400 before any handler runs', async () => {
      for (const id of ['%C0%AE%C0%AE%2Foutside.txt', '%E0%80%AE%E0%80%AE%2Foutside.txt', '%ff']) {
        const customer = await desk.agent().get(`/t/${number}/files/${id}?k=${token}`);
        const staff = await agent.get(`/desk/tickets/${number}/files/${id}`);
        for (const res of [customer, staff]) {
          expect(res.status, id).to.equal(400);
          expect(res.text).to.not.include(SECRET);
        }
      }
    });

    it('When the ticket number or the static folder is used to climb out, then the answer is 404 too', async () => {
      for (const url of [
        `/t/..%2F..%2Foutside.txt/files/${fileId}?k=${token}`,
        `/desk/tickets/..%2F..%2Foutside.txt/files/${fileId}`,
        '/static/..%2F..%2F..%2Fpackage.json',
        '/static/%2e%2e/%2e%2e/%2e%2e/package.json',
        '/static/..%5C..%5C..%5Cpackage.json',
      ]) {
        const res = await agent.get(url);
        expect(res.status, url).to.equal(404);
        expect(res.text, url).to.not.include(SECRET).and.not.include('"name": "refunddesk"');
      }
    });

    it('When the real file is asked for, then it is served (the 404s above are not a broken route)', async () => {
      expect((await desk.agent().get(`/t/${number}/files/${fileId}?k=${token}`)).status).to.equal(200);
      expect((await agent.get(`/desk/tickets/${number}/files/${fileId}`)).status).to.equal(200);
    });
  });
});
