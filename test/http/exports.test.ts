import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import cookieParser from 'cookie-parser';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import express from 'express';
import { useViews } from '../../server/web/view-options';
import pino from 'pino';
import request from 'supertest';
import { loadStaff } from '../../server/auth/middleware';
import { neutralise } from '../../server/exports/csv';
import { ExportJobs, failInterruptedJobs, purgeOldExports } from '../../server/exports/jobs';
import { exportsRouter } from '../../server/exports/routes';
import { translator } from '../../server/i18n/index';
import { csrfToken, verifyCsrf } from '../../server/security/csrf';
import { errorHandler, notFound } from '../../server/web/errors';
import { locale } from '../../server/web/locale';
import { binary } from '../support/binary';
import { csrfFrom, rebootDesk, startTestDesk, type TestDesk } from '../support/desk';
import { loginAs } from '../support/staff';

const HYPERLINK = '=HYPERLINK("http://evil.example/x","Click me")';
const TRICKY = '-2+3, she said "stop"\nsecond line';
const ARABIC = 'الطلب لم يبدأ بعد، أرجو الإلغاء';
const UKRAINIAN = 'Замовлення не почалося, прошу скасувати: «терміново»';
const at = (iso: string) => Date.parse(iso);

describe('exports: decisions and tickets as CSV and XLSX for managers', () => {
  let desk: TestDesk;
  let manager: request.Agent;
  let agent: request.Agent;
  const staffId: Record<string, number> = {};

  const run = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).run(...args);
  const one = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).get(...args) as Record<string, unknown>;
  /** What a refused export must leave as it was: its audit events and the jobs. */
  const written = () => ({
    events: one(`SELECT count(*) AS n FROM audit_events WHERE action = 'exports.requested'`).n,
    jobs: one('SELECT count(*) AS n FROM export_jobs').n,
  });

  before(async () => {
    desk = await startTestDesk();
    manager = await loginAs(desk, 'manager@desk.test', 'manager', 'Maya Manager');
    agent = await loginAs(desk, 'agent@desk.test', 'agent', 'Alya');
    await loginAs(desk, 'bohdan@desk.test', 'agent', 'Богдан');
    for (const email of ['agent@desk.test', 'bohdan@desk.test']) staffId[email] = one('SELECT id FROM staff_users WHERE email = ?', email).id as number;
    seed();
  });
  after(async () => {
    await desk.cleanup();
  });

  /** Three tickets (en, ar, uk) in November 2026, one in October; issued decisions and some that must not show. */
  function seed() {
    const now = at('2026-12-01T00:00:00Z');
    run(`INSERT INTO providers (id, name, created_at, updated_at) VALUES ('p1', 'Loop SMM', ?, ?), ('p2', 'Постачальник Два', ?, ?)`, now, now, now, now);
    run(
      `INSERT INTO services (id, name, provider_id, refill_days, cancel_allowed, created_at, updated_at)
       VALUES ('s1', 'Instagram Followers [30d refill]', 'p1', 30, 1, ?, ?), ('s2', 'مشاهدات تيك توك', 'p2', 0, 1, ?, ?)`,
      now,
      now,
      now,
      now,
    );
    const order = (id: string, service: string, provider: string, email: string, status: string) =>
      run(
        `INSERT INTO orders (id, customer_email, service_id, provider_id, link, quantity, charge_micros, currency, status, status_text, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'https://instagram.com/p/x', 1000, 278190, 'USD', ?, ?, ?, ?)`,
        id,
        email,
        service,
        provider,
        status,
        status,
        now,
        now,
      );
    const ticket = (number: string, email: string, language: string, reason: string, details: string, created: string, extra: { assignee?: number; rating?: number } = {}) => {
      run(`INSERT INTO customers (email, language, created_at) VALUES (?, ?, ?)`, email, language, now);
      const customer = one('SELECT id FROM customers WHERE email = ?', email).id;
      return run(
        `INSERT INTO tickets (number, customer_id, email, language, reason, link, details, preferred_resolution, status, assignee_id, rating, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'https://instagram.com/p/x', ?, 'balance', 'resolved', ?, ?, ?, ?)`,
        number,
        customer,
        email,
        language,
        reason,
        details,
        extra.assignee ?? null,
        extra.rating ?? null,
        at(created),
        at(created),
      ).lastInsertRowid as number;
    };
    const decision = (ticketId: number, orderId: string, values: Record<string, unknown>) =>
      run(
        `INSERT INTO decisions (ticket_id, order_key, order_id, state, outcome, destination, amount_micros, fee_micros, currency,
           method, reference, reject_reason, rule, recommended_outcome, override_note, order_status, decided_by, decided_at, issued_at)
         VALUES (@ticketId, @orderId, @orderId, @state, @outcome, @destination, @amount, @fee, 'USD', @method, @reference,
           @rejectReason, @rule, @outcome, @note, @orderStatus, @by, @decidedAt, @issuedAt)`,
        {
          ticketId,
          orderId,
          state: 'issued',
          destination: null,
          amount: 0,
          fee: 0,
          method: null,
          reference: null,
          rejectReason: null,
          note: null,
          orderStatus: 'partial',
          ...values,
          decidedAt: (values.issuedAt as number | null) ?? at('2026-11-20T12:00:00Z'),
        },
      );
    order('81532', 's1', 'p1', 'en@example.com', 'partial');
    order('81533', 's1', 'p1', 'en@example.com', 'completed');
    order('90001', 's2', 'p2', 'ar@example.com', 'pending');
    order('70001', 's2', 'p2', 'uk@example.com', 'completed');
    order('60001', 's1', 'p1', 'old@example.com', 'pending');
    const en = ticket('RD-EN01-AAAA', 'en@example.com', 'en', 'partial_delivery', HYPERLINK, '2026-11-20T10:00:00Z', { assignee: staffId['agent@desk.test'], rating: 5 });
    const ar = ticket('RD-AR01-BBBB', 'ar@example.com', 'ar', 'not_started', ARABIC, '2026-11-21T08:30:00Z', { assignee: staffId['bohdan@desk.test'] });
    const uk = ticket('RD-UK01-CCCC', 'uk@example.com', 'uk', 'drop', `${UKRAINIAN}\n${TRICKY}`, '2026-11-22T12:00:00Z');
    const old = ticket('RD-OLD1-DDDD', 'old@example.com', 'en', 'other', 'October ticket', '2026-10-15T12:00:00Z');
    for (const [t, o] of [[en, '81532'], [en, '81533'], [ar, '90001'], [uk, '70001'], [old, '60001']] as const) {
      run('INSERT INTO ticket_orders (ticket_id, order_id, open, known_at_intake) VALUES (?, ?, 0, 1)', t, o);
    }
    const alya = staffId['agent@desk.test'];
    const bohdan = staffId['bohdan@desk.test'];
    decision(en, '81532', { outcome: 'partial_refund', destination: 'balance', amount: 43_675, rule: 'partial.undelivered', by: alya, issuedAt: at('2026-11-20T14:05:00Z') });
    decision(ar, '90001', {
      outcome: 'full_refund',
      destination: 'original_method',
      amount: 1_500_000,
      fee: 1_000_000,
      method: 'USDT',
      reference: 'tx-0xabc',
      rule: 'pending.cancel',
      orderStatus: 'pending',
      by: bohdan,
      issuedAt: at('2026-11-21T09:00:00Z'),
    });
    decision(uk, '70001', {
      outcome: 'reject',
      rejectReason: 'delivered',
      rule: 'completed.dropInWarranty',
      note: '@agent: no drop visible',
      orderStatus: 'completed',
      by: bohdan,
      issuedAt: at('2026-11-30T23:59:00Z'),
    });
    // Not in a November export: still claimed, and issued in December.
    decision(en, '81533', { state: 'claimed', outcome: 'refill', rule: 'completed.dropInWarranty', by: alya, issuedAt: null });
    decision(old, '60001', { outcome: 'full_refund', destination: 'balance', amount: 278_190, rule: 'pending.cancel', by: alya, issuedAt: at('2026-12-01T00:00:00Z') });
  }

  const november = { kind: 'decisions', format: 'csv', from: '2026-11-01', to: '2026-11-30', service: '', provider: '', agent: '', language: '' };

  async function exportAs(who: request.Agent, fields: Partial<typeof november>, opts: { lng?: string } = {}) {
    const page = opts.lng ? `/desk/exports?lng=${opts.lng}` : '/desk/exports';
    const csrf = await csrfFrom(who, page);
    try {
      return await who
        .post('/desk/exports')
        .type('form')
        .send({ _csrf: csrf, ...november, ...fields })
        .buffer(true)
        .parse(binary);
    } finally {
      if (opts.lng) await who.get('/desk/exports?lng=en');
    }
  }

  const rowsOf = (body: Buffer) => parse(body, { bom: true }) as string[][];

  function headers(lng: string, kind: 'decisions' | 'tickets'): string[] {
    const t = translator(lng as 'en');
    const keys =
      kind === 'decisions'
        ? ['ticketNumber', 'ticketCreated', 'issued', 'email', 'ticketLanguage', 'orderId', 'service', 'provider', 'orderStatus', 'reason', 'outcome', 'destination', 'amount', 'currency', 'fee', 'method', 'reference', 'agent', 'rule', 'rejectReason', 'details']
        : ['number', 'created', 'status', 'language', 'email', 'reason', 'orderIds', 'link', 'assignee', 'firstResponse', 'resolved', 'rating', 'details'];
    return keys.map((k) => t(`exports:columns.${kind}.${k}`));
  }

  describe('who may export', () => {
    it('When an agent opens the exports page or posts the form, then both answer 403', async () => {
      expect((await agent.get('/desk/exports')).status).to.equal(403);
      const csrf = await csrfFrom(agent, '/desk');
      const before = written();
      const res = await agent.post('/desk/exports').type('form').send({ _csrf: csrf, ...november });
      expect(res.status).to.equal(403);
      expect(res.headers['content-disposition']).to.equal(undefined);
      expect(written()).to.deep.equal(before);
    });

    it('When nobody is logged in, then the page sends them to the login', async () => {
      const res = await desk.agent().get('/desk/exports');
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.match(/^\/login\?next=/);
    });

    it('When the form is posted without its CSRF token, then it is refused with 403 and nothing is exported', async () => {
      const before = written();
      const res = await manager.post('/desk/exports').type('form').send(november);
      expect(res.status).to.equal(403);
      expect(res.headers['content-disposition']).to.equal(undefined);
      expect(written()).to.deep.equal(before);
    });

    it('When a manager opens the page, then the form offers the kinds, formats, days and filters with a CSRF field', async () => {
      const res = await manager.get('/desk/exports');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('name="_csrf"');
      for (const name of ['kind', 'format', 'from', 'to', 'service', 'provider', 'agent', 'language']) expect(res.text).to.include(`name="${name}"`);
      expect(res.text).to.include('Loop SMM').and.to.include('Богдан');
    });
  });

  describe('CSV', () => {
    it('When November decisions are exported in English, then the file has a BOM, CRLF lines, the headers and one row per issued decision', async () => {
      const res = await exportAs(manager, {});
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).to.equal('attachment; filename=refunddesk-decisions-2026-11-01_2026-11-30.csv');
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      expect(body.toString('utf8').split('\r\n')[0]).to.equal(`\uFEFF${headers('en', 'decisions').join(',')}`);
      expect(body.toString('utf8').endsWith('\r\n')).to.equal(true);
      const [head, ...rows] = rowsOf(body);
      expect(head).to.deep.equal(headers('en', 'decisions'));
      expect(rows.map((r) => r[0])).to.deep.equal(['RD-EN01-AAAA', 'RD-AR01-BBBB', 'RD-UK01-CCCC']);
      const event = one(`SELECT actor_type, actor_id, ticket_id, data FROM audit_events WHERE action = 'exports.requested' ORDER BY id DESC LIMIT 1`);
      expect(event).to.include({ actor_type: 'staff', actor_id: one(`SELECT id FROM staff_users WHERE email = 'manager@desk.test'`).id, ticket_id: null });
      expect(JSON.parse(event.data as string)).to.deep.include({
        kind: 'decisions',
        format: 'csv',
        headers: 'en',
        filters: { from: '2026-11-01', to: '2026-11-30', serviceId: null, providerId: null, agentId: null, language: null },
        rows: 3,
        job: null,
      });
      const byName = (row: string[]) => Object.fromEntries(head!.map((h, i) => [h, row[i]]));
      expect(byName(rows[0]!)).to.deep.equal({
        'Ticket number': 'RD-EN01-AAAA',
        'Ticket created': '2026-11-20 10:00 UTC',
        'Decision issued': '2026-11-20 14:05 UTC',
        'Customer email': 'en@example.com',
        'Ticket language': 'English',
        'Order ID': '81532',
        Service: 'Instagram Followers [30d refill]',
        Provider: 'Loop SMM',
        'Order status at decision': 'Partial',
        Reason: 'Only part of the order was delivered',
        Outcome: 'Partial refund (undelivered part)',
        Destination: 'Panel balance',
        Amount: '0.043675',
        Currency: 'USD',
        Fee: '0.000000',
        Method: '',
        Reference: '',
        Agent: 'Alya',
        'Rule or override': 'partial.undelivered — Partial delivery: refund the undelivered part.',
        'Reject reason': '',
        "Customer's text": `'${HYPERLINK}`,
      });
      const ar = byName(rows[1]!);
      expect(ar).to.include({ 'Customer\'s text': ARABIC, Amount: '1.500000', Fee: '1.000000', Method: 'USDT', Reference: 'tx-0xabc', Agent: 'Богдан' });
      expect(ar).to.include({ Service: 'مشاهدات تيك توك', Provider: 'Постачальник Два', Destination: 'Original payment method', 'Ticket language': 'العربية' });
      const uk = byName(rows[2]!);
      expect(uk["Customer's text"]).to.equal(`${UKRAINIAN}\n${TRICKY}`);
      expect(uk).to.include({ Outcome: 'Reject', 'Reject reason': 'The order was delivered in full.', 'Decision issued': '2026-11-30 23:59 UTC' });
      expect(uk['Rule or override']).to.equal("Override of completed.dropInWarranty: @agent: no drop visible");
    });

    it('When a text cell starts with =, then it gets an apostrophe, amounts do not, and quoting survives a round trip', async () => {
      const decisions = rowsOf((await exportAs(manager, { language: 'en' })).body as Buffer);
      expect(decisions[1]![20]).to.equal(`'${HYPERLINK}`);
      expect(decisions[1]![12]).to.equal('0.043675');
      const res = await exportAs(manager, { kind: 'tickets', language: 'uk' });
      const [, row] = rowsOf(res.body as Buffer);
      expect(row![row!.length - 1]).to.equal(`${UKRAINIAN}\n${TRICKY}`);
      // The field with a comma, a quote and a newline is quoted, its quotes doubled, its newline kept.
      expect((res.body as Buffer).toString('utf8')).to.include(`,"${UKRAINIAN}\n-2+3, she said ""stop""\nsecond line"\r\n`);
    });

    it('When the customer text itself starts with "-2+3", then the CSV cell is neutralised with an apostrophe', async () => {
      run(`UPDATE tickets SET details = ? WHERE number = 'RD-UK01-CCCC'`, TRICKY);
      try {
        const rows = rowsOf((await exportAs(manager, { language: 'uk' })).body as Buffer);
        expect(rows[1]![20]).to.equal(`'${TRICKY}`);
      } finally {
        run(`UPDATE tickets SET details = ? WHERE number = 'RD-UK01-CCCC'`, `${UKRAINIAN}\n${TRICKY}`);
      }
    });

    it('When the manager works in Arabic, then headers and translated values are Arabic and the text is intact', async () => {
      const rows = rowsOf((await exportAs(manager, {}, { lng: 'ar' })).body as Buffer);
      expect(rows[0]).to.deep.equal(headers('ar', 'decisions'));
      expect(rows[0]![0]).to.equal('رقم التذكرة');
      const t = translator('ar');
      expect(rows[1]![10]).to.equal(t('policy:outcome.partial_refund'));
      expect(rows[2]![20]).to.equal(ARABIC);
      expect(rows[1]![12]).to.equal('0.043675');
    });

    it('When the manager works in Ukrainian, then the headers are Ukrainian', async () => {
      const rows = rowsOf((await exportAs(manager, { kind: 'tickets' }, { lng: 'uk' })).body as Buffer);
      expect(rows[0]).to.deep.equal(headers('uk', 'tickets'));
    });

    it('When tickets are exported, then each ticket of the range has its status, order IDs, assignee and rating', async () => {
      const [head, ...rows] = rowsOf((await exportAs(manager, { kind: 'tickets' })).body as Buffer);
      expect(head).to.deep.equal(headers('en', 'tickets'));
      expect(rows.map((r) => r[0])).to.deep.equal(['RD-EN01-AAAA', 'RD-AR01-BBBB', 'RD-UK01-CCCC']);
      expect(rows[0]).to.deep.equal([
        'RD-EN01-AAAA',
        '2026-11-20 10:00 UTC',
        'Resolved',
        'English',
        'en@example.com',
        'Only part of the order was delivered',
        '81532, 81533',
        'https://instagram.com/p/x',
        'Alya',
        '',
        '',
        '5',
        `'${HYPERLINK}`,
      ]);
    });
  });

  describe('filters', () => {
    const numbers = async (fields: Partial<typeof november>) => rowsOf((await exportAs(manager, fields)).body as Buffer).slice(1).map((r) => r[0]);

    it('When a service, provider, agent or language is chosen, then only the matching decisions remain', async () => {
      expect(await numbers({ service: 's1' })).to.deep.equal(['RD-EN01-AAAA']);
      expect(await numbers({ provider: 'p2' })).to.deep.equal(['RD-AR01-BBBB', 'RD-UK01-CCCC']);
      expect(await numbers({ agent: String(staffId['bohdan@desk.test']) })).to.deep.equal(['RD-AR01-BBBB', 'RD-UK01-CCCC']);
      expect(await numbers({ language: 'ar' })).to.deep.equal(['RD-AR01-BBBB']);
      expect(await numbers({ provider: 'p2', language: 'uk' })).to.deep.equal(['RD-UK01-CCCC']);
    });

    it('When the days are narrowed, then both ends are included and December is left out', async () => {
      expect(await numbers({ from: '2026-11-21', to: '2026-11-21' })).to.deep.equal(['RD-AR01-BBBB']);
      expect(await numbers({ from: '2026-11-30', to: '2026-12-01' })).to.deep.equal(['RD-UK01-CCCC', 'RD-OLD1-DDDD']);
      expect(await numbers({ kind: 'tickets', from: '2026-10-01', to: '2026-10-31' })).to.deep.equal(['RD-OLD1-DDDD']);
      // A decision issued at the first millisecond of the first day is in; the day after, nothing.
      expect(await numbers({ from: '2026-12-01', to: '2026-12-01' })).to.deep.equal(['RD-OLD1-DDDD']);
      expect(await numbers({ from: '2026-12-02', to: '2026-12-31' })).to.deep.equal([]);
      expect(await numbers({ kind: 'tickets', from: '2026-10-15', to: '2026-10-15' })).to.deep.equal(['RD-OLD1-DDDD']);
    });

    it('When tickets are filtered by service or assignee, then tickets of other orders and people are left out', async () => {
      expect(await numbers({ kind: 'tickets', service: 's2' })).to.deep.equal(['RD-AR01-BBBB', 'RD-UK01-CCCC']);
      expect(await numbers({ kind: 'tickets', agent: String(staffId['agent@desk.test']) })).to.deep.equal(['RD-EN01-AAAA']);
    });

    it('When the days are reversed, malformed or a filter names nothing known, then the form comes back with 422 and the input kept', async () => {
      const res = await exportAs(manager, { from: '2026-11-30', to: '2026-11-01', service: 'nope', kind: 'tickets' });
      expect(res.status).to.equal(422);
      const html = (res.body as Buffer).toString('utf8');
      expect(html).to.include('The last day cannot come before the first day.');
      expect(html).to.include('Choose one of the listed values.');
      expect(html).to.include('value="2026-11-30"');
      expect(html).to.match(/value="tickets" checked/);
      const bad = await exportAs(manager, { from: '2026-02-30' });
      expect(bad.status).to.equal(422);
      expect((bad.body as Buffer).toString('utf8')).to.include('Enter a day as YYYY-MM-DD.');
    });
  });

  describe('XLSX', () => {
    async function workbookOf(body: Buffer) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(body as unknown as ArrayBuffer);
      return wb.worksheets[0]!;
    }
    const cellsOf = (sheet: ExcelJS.Worksheet) => {
      const rows: (string | number | null)[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined ? null : (v as string | number)))));
      return rows;
    };

    it('When November decisions are exported as XLSX, then every cell matches the CSV, text unescaped and amounts as exact text', async () => {
      const res = await exportAs(manager, { format: 'xlsx' });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).to.equal('attachment; filename=refunddesk-decisions-2026-11-01_2026-11-30.xlsx');
      const sheet = await workbookOf(res.body as Buffer);
      expect(sheet.name).to.equal('Decisions');
      const xlsx = cellsOf(sheet);
      const csv = rowsOf((await exportAs(manager, {})).body as Buffer);
      expect(xlsx).to.have.length(csv.length);
      const width = csv[0]!.length;
      // The CSV's apostrophe is its own guard; the XLSX keeps the text as typed, in a string cell.
      const asCsv = xlsx.map((r) =>
        Array.from({ length: width }, (_, i) => r[i] ?? null).map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : neutralise(v))),
      );
      expect(asCsv).to.deep.equal(csv);
      const details = sheet.getRow(2).getCell(21);
      expect(details.type).to.equal(ExcelJS.ValueType.String);
      expect(details.value).to.equal(HYPERLINK);
      const amount = sheet.getRow(2).getCell(13);
      expect(amount.type).to.equal(ExcelJS.ValueType.String);
      expect(amount.value).to.equal('0.043675');
      expect(sheet.getRow(4).getCell(21).value).to.equal(`${UKRAINIAN}\n${TRICKY}`);
      expect(sheet.getRow(3).getCell(21).value).to.equal(ARABIC);
    });

    it('When tickets are exported as XLSX in Arabic, then the sheet is right-to-left with Arabic headers and the rating a number', async () => {
      const res = await exportAs(manager, { kind: 'tickets', format: 'xlsx' }, { lng: 'ar' });
      const sheet = await workbookOf(res.body as Buffer);
      expect(sheet.name).to.equal('التذاكر');
      expect(sheet.views[0]?.rightToLeft).to.equal(true);
      const rows = cellsOf(sheet);
      expect(rows[0]).to.deep.equal(headers('ar', 'tickets'));
      expect(sheet.getRow(2).getCell(12).value).to.equal(5);
      expect(sheet.getRow(3).getCell(13).value).to.equal(ARABIC);
    });
  });

  describe('long exports as jobs', () => {
    let jobs: ExportJobs;
    let jobAgent: request.Agent;

    /** The real desk, with an exports router in front whose threshold is 2 rows. */
    before(async () => {
      const dataDir = path.join(desk.dir, 'data');
      jobs = new ExportJobs({ db: desk.db, dataDir, clock: Date.now });
      const csrf = { secret: desk.secret, publicUrl: 'http://desk.test', cookieSecure: false };
      const app = express();
      useViews(app);
      app.use('/desk/exports', cookieParser(), locale({ cookieSecure: false }), csrfToken(csrf), loadStaff(desk.db, 3_600_000, Date.now));
      app.use('/desk/exports', express.urlencoded({ extended: false }), verifyCsrf(csrf));
      app.use(exportsRouter({ db: desk.db, dataDir, clock: Date.now, jobThreshold: 2, jobs }));
      app.use('/desk/exports', notFound, errorHandler(pino({ level: 'silent' }), false));
      app.use(desk.app);
      jobAgent = request.agent(app);
      const login = await csrfFrom(jobAgent, '/login');
      expect((await jobAgent.post('/login').type('form').send({ _csrf: login, email: 'manager@desk.test', password: 'staff-password-123' })).status).to.equal(303);
    });

    async function untilFinished(key: string) {
      for (let i = 0; i < 200; i++) {
        const row = one('SELECT status FROM export_jobs WHERE key = ?', key);
        if (row.status === 'done' || row.status === 'failed') return row.status as string;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the export job did not finish');
    }

    it('When the estimate is above the threshold, then a job is created, its page shows progress, and its download matches the direct export', async () => {
      const csrf = await csrfFrom(jobAgent, '/desk/exports');
      const res = await jobAgent.post('/desk/exports').type('form').send({ _csrf: csrf, ...november });
      expect(res.status).to.equal(303);
      const m = /^\/desk\/exports\/jobs\/([\w-]{43})$/.exec(res.headers.location ?? '');
      expect(m, res.headers.location).to.not.equal(null);
      const key = m![1]!;
      const row = one('SELECT * FROM export_jobs WHERE key = ?', key);
      expect(row).to.include({ kind: 'decisions', format: 'csv', language: 'en', rows_total: 3 });
      expect(row.created_by).to.equal(one(`SELECT id FROM staff_users WHERE email = 'manager@desk.test'`).id);
      const event = one(`SELECT data FROM audit_events WHERE action = 'exports.requested' ORDER BY id DESC LIMIT 1`);
      expect(JSON.parse(event.data as string)).to.include({ job: key, rows: 3 });

      const progress = await jobAgent.get(`/desk/exports/jobs/${key}`);
      expect(progress.status).to.equal(200);
      expect(['queued', 'running', 'done']).to.include(one('SELECT status FROM export_jobs WHERE key = ?', key).status);

      expect(await untilFinished(key)).to.equal('done');
      expect(one('SELECT rows_done, rows_total, file_name FROM export_jobs WHERE key = ?', key)).to.deep.equal({
        rows_done: 3,
        rows_total: 3,
        file_name: 'refunddesk-decisions-2026-11-01_2026-11-30.csv',
      });
      expect(fs.existsSync(path.join(desk.dir, 'data', 'exports', `${key}.csv`))).to.equal(true);
      const done = await jobAgent.get(`/desk/exports/jobs/${key}`);
      expect(done.headers.refresh).to.equal(undefined);
      expect(done.text).to.include(`/desk/exports/jobs/${key}/download`);

      const download = await jobAgent.get(`/desk/exports/jobs/${key}/download`).buffer(true).parse(binary);
      expect(download.status).to.equal(200);
      expect(download.headers['content-disposition']).to.equal('attachment; filename=refunddesk-decisions-2026-11-01_2026-11-30.csv');
      const direct = await exportAs(manager, {});
      expect((download.body as Buffer).equals(direct.body as Buffer)).to.equal(true);

      const listed = await jobAgent.get('/desk/exports');
      expect(listed.text).to.include(`/desk/exports/jobs/${key}`);
    });

    it('When a job is still running, then its page refreshes itself', async () => {
      const now = Date.now();
      const managerId = one(`SELECT id FROM staff_users WHERE email = 'manager@desk.test'`).id;
      run(
        `INSERT INTO export_jobs (key, kind, format, filters, language, status, rows_done, rows_total, created_by, created_at)
         VALUES (?, 'tickets', 'csv', '{}', 'en', 'running', 4000, 10000, ?, ?)`,
        'r'.repeat(43),
        managerId,
        now,
      );
      const page = await manager.get(`/desk/exports/jobs/${'r'.repeat(43)}`);
      expect(page.status).to.equal(200);
      expect(page.headers.refresh).to.equal('2');
      expect(page.text).to.include('4,000').and.to.include('10,000');
      expect(page.text).to.include('>40%</progress>');
      expect(page.text).to.include('<h1>Export · <bdi>Tickets</bdi> · <bdi>CSV</bdi></h1>');
      const arabic = await manager.get(`/desk/exports/jobs/${'r'.repeat(43)}?lng=ar`);
      await manager.get('/desk/exports?lng=en');
      expect(arabic.text).to.include(`>${new Intl.NumberFormat('ar', { style: 'percent' }).format(0.4)}</progress>`);
      expect(arabic.text).to.include('<h1>التصدير · <bdi>التذاكر</bdi> · <bdi>CSV</bdi></h1>');
      expect((await manager.get(`/desk/exports/jobs/${'r'.repeat(43)}/download`)).status).to.equal(404);
      run(`DELETE FROM export_jobs WHERE key = ?`, 'r'.repeat(43));
    });

    it('When an XLSX export runs as a job, then the file it writes reads back with the same rows', async () => {
      const csrf = await csrfFrom(jobAgent, '/desk/exports');
      const res = await jobAgent.post('/desk/exports').type('form').send({ _csrf: csrf, ...november, kind: 'tickets', format: 'xlsx' });
      const key = /([\w-]{43})$/.exec(res.headers.location ?? '')![1]!;
      expect(await untilFinished(key)).to.equal('done');
      const download = await jobAgent.get(`/desk/exports/jobs/${key}/download`).buffer(true).parse(binary);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(download.body as unknown as ArrayBuffer);
      expect(wb.worksheets[0]!.rowCount).to.equal(4);
      expect(wb.worksheets[0]!.getRow(4).getCell(13).value).to.equal(`${UKRAINIAN}\n${TRICKY}`);
    });

    it('When an agent asks for a job page or its download, then both answer 403', async () => {
      const key = one(`SELECT key FROM export_jobs WHERE status = 'done' LIMIT 1`).key as string;
      expect((await agent.get(`/desk/exports/jobs/${key}`)).status).to.equal(403);
      expect((await agent.get(`/desk/exports/jobs/${key}/download`)).status).to.equal(403);
      expect((await manager.get(`/desk/exports/jobs/${'x'.repeat(43)}`)).status).to.equal(404);
      expect((await manager.get('/desk/exports/jobs/..%2F..%2Fsecret/download')).status).to.equal(404);
    });

    it('When the desk restarts with a job queued or running, then boot marks it failed and its page says so', async () => {
      const managerId = one(`SELECT id FROM staff_users WHERE email = 'manager@desk.test'`).id;
      for (const [key, status] of [['i'.repeat(43), 'running'], ['q'.repeat(43), 'queued']]) {
        run(
          `INSERT INTO export_jobs (key, kind, format, filters, language, status, created_by, created_at) VALUES (?, 'decisions', 'csv', '{}', 'en', ?, ?, ?)`,
          key,
          status,
          managerId,
          Date.now(),
        );
      }
      const again = await rebootDesk(desk);
      await again.close();
      for (const key of ['i'.repeat(43), 'q'.repeat(43)]) {
        expect(one('SELECT status, error FROM export_jobs WHERE key = ?', key)).to.deep.equal({ status: 'failed', error: 'interrupted' });
      }
      expect(one(`SELECT count(*) AS n FROM export_jobs WHERE status = 'done'`).n).to.equal(2);
      const page = await manager.get(`/desk/exports/jobs/${'i'.repeat(43)}`);
      expect(page.text).to.include('The desk restarted while this export was running.');
      expect(failInterruptedJobs(desk.db)).to.equal(0);
    });

    it('When a finished job is older than 7 days, then its page and the list say the file was deleted and offer no download', async () => {
      const key = 'e'.repeat(43);
      const managerId = one(`SELECT id FROM staff_users WHERE email = 'manager@desk.test'`).id;
      const eightDaysAgo = Date.now() - 8 * 24 * 3_600_000;
      run(
        `INSERT INTO export_jobs (key, kind, format, filters, language, status, rows_done, rows_total, file_name, created_by, created_at, finished_at)
         VALUES (?, 'decisions', 'csv', '{}', 'en', 'done', 3, 3, 'refunddesk-decisions-2026-11-01_2026-11-30.csv', ?, ?, ?)`,
        key,
        managerId,
        eightDaysAgo,
        eightDaysAgo,
      );
      // Even a file housekeeping has not reached yet is no longer offered.
      fs.mkdirSync(path.join(desk.dir, 'data', 'exports'), { recursive: true });
      fs.writeFileSync(path.join(desk.dir, 'data', 'exports', `${key}.csv`), 'x');
      try {
        const page = await manager.get(`/desk/exports/jobs/${key}`);
        expect(page.status).to.equal(200);
        expect(page.text).to.include('The file was deleted after 7 days. Please export again.');
        expect(page.text).to.include('export-status-expired').and.include('>Expired</span>');
        expect(page.text).to.not.include(`/desk/exports/jobs/${key}/download`);
        const list = await manager.get('/desk/exports');
        expect(list.text).to.include(`/desk/exports/jobs/${key}`).and.include('Deleted after 7 days');
        expect(list.text).to.not.include(`/desk/exports/jobs/${key}/download`);
        expect((await manager.get(`/desk/exports/jobs/${key}/download`)).status).to.equal(404);
        const arabic = await manager.get(`/desk/exports/jobs/${key}?lng=ar`);
        await manager.get('/desk/exports?lng=en');
        expect(arabic.text).to.include('حُذف الملف بعد مرور 7 أيام. يُرجى التصدير مرة أخرى.');
        // A job finished within the 7 days still offers its file.
        run('UPDATE export_jobs SET finished_at = ? WHERE key = ?', Date.now() - 6 * 24 * 3_600_000, key);
        expect((await manager.get(`/desk/exports/jobs/${key}`)).text).to.include(`/desk/exports/jobs/${key}/download`);
      } finally {
        run('DELETE FROM export_jobs WHERE key = ?', key);
        fs.rmSync(path.join(desk.dir, 'data', 'exports', `${key}.csv`), { force: true });
      }
    });
  });

  describe('old files', () => {
    it('When housekeeping runs, then export files older than 7 days are deleted and newer ones kept', async () => {
      const dir = path.join(desk.dir, 'purge-test');
      fs.mkdirSync(dir, { recursive: true });
      const now = Date.now();
      const files = { old: `${'o'.repeat(43)}.csv`, oldPart: `${'p'.repeat(43)}.xlsx.part`, fresh: `${'f'.repeat(43)}.xlsx`, other: 'keep-me.txt' };
      for (const name of Object.values(files)) fs.writeFileSync(path.join(dir, name), 'x');
      const eightDaysAgo = (now - 8 * 24 * 3_600_000) / 1000;
      for (const name of [files.old, files.oldPart, files.other]) fs.utimesSync(path.join(dir, name), eightDaysAgo, eightDaysAgo);
      expect(await purgeOldExports(dir, now)).to.equal(2);
      expect(fs.readdirSync(dir).sort()).to.deep.equal([files.fresh, files.other].sort());
      expect(await purgeOldExports(path.join(dir, 'missing'), now)).to.equal(0);
    });
  });
});
