import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type request from 'supertest';
import { createStaffUser } from '../../server/auth/staff';
import { audit } from '../../server/desk/audit';
import { binary } from '../support/binary';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { loginAs } from '../support/staff';

const DAY = 86_400_000;
const JAN_10 = Date.UTC(2026, 0, 10);
const FEB_1 = Date.UTC(2026, 1, 1);
const EVIL_NAME = '=HYPERLINK("http://evil.example","click")';

describe('audit log: filters, keyset pages and the CSV export', () => {
  let desk: TestDesk;
  let manager: request.Agent;
  let agent: request.Agent;
  let eveId: number;
  let ticketA: string;
  let ticketB: string;
  before(async () => {
    desk = await startTestDesk();
    manager = await loginAs(desk, 'manny@desk.test', 'manager');
    agent = await loginAs(desk, 'alya@desk.test', 'agent');
    ticketA = confirmationOf(await postTicket(desk.agent(), { email: 'a@example.com', orderIds: '90001' })).number;
    ticketB = confirmationOf(await postTicket(desk.agent(), { email: 'b@example.com', orderIds: '90002' })).number;
    eveId = (await createStaffUser(desk.db, { email: 'eve@desk.test', name: EVIL_NAME, role: 'agent', password: 'eve-password-123' }, JAN_10)).id;
    const idA = Number(sql('select id from tickets where number = ?', ticketA)[0]!.id);
    desk.db.$client.transaction(() => {
      // 130 notes by Eve on ticket A, one an hour from 10 January.
      for (let i = 0; i < 130; i += 1) audit(desk.db, { ticketId: idA, staffId: eveId, action: 'ticket.noteAdded', data: { n: i } }, JAN_10 + i * 3_600_000);
      for (let i = 0; i < 5; i += 1) audit(desk.db, { ticketId: null, staffId: null, action: 'ticket.autoClosed' }, FEB_1 + i * 60_000);
      audit(desk.db, { ticketId: null, staffId: eveId, action: 'custom.thing', from: '-1+2', to: '@x', data: { note: 'He said "hi", then\nleft; =1+1' } }, FEB_1 + DAY);
    })();
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const eventIds = (html: string) => [...html.matchAll(/data-event="(\d+)"/g)].map((m) => Number(m[1]));
  const nextLink = (html: string) => /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;
  function csv(path: string) {
    return manager
      .get(path)
      .buffer(true)
      .parse(binary);
  }

  it('When an agent opens the log or its export, then the answer is 403; without a session, the login page', async () => {
    expect((await agent.get('/desk/audit')).status).to.equal(403);
    expect((await agent.get('/desk/audit/export')).status).to.equal(403);
    const anonymous = await desk.agent().get('/desk/audit');
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers.location).to.equal('/login?next=%2Fdesk%2Faudit');
  });

  it('When one actor is chosen, then the events come newest first in keyset pages of 50 until all are seen', async () => {
    const seen: number[] = [];
    let url: string | null = `/desk/audit?actor=${eveId}&action=ticket.noteAdded`;
    const sizes: number[] = [];
    while (url) {
      const res = await manager.get(url);
      expect(res.status).to.equal(200);
      const ids = eventIds(res.text);
      sizes.push(ids.length);
      expect(ids).to.deep.equal([...ids].sort((a, b) => b - a));
      if (seen.length > 0) expect(Math.max(...ids)).to.be.lessThan(Math.min(...seen));
      seen.push(...ids);
      url = nextLink(res.text);
      if (url) {
        expect(url).to.match(/before=\d+/).and.not.match(/offset|page=/);
        expect(url).to.include(`actor=${eveId}`);
      }
    }
    expect(sizes).to.deep.equal([50, 50, 30]);
    const all = sql("select id from audit_events where actor_id = ? and action = 'ticket.noteAdded' order by id desc", eveId).map((r) => Number(r.id));
    expect(seen).to.deep.equal(all);
  });

  it('When a date range, the system, customers, an action or a ticket is chosen, then only those events are listed', async () => {
    const ids = async (query: string) => eventIds((await manager.get(`/desk/audit?${query}`)).text);
    const autoClosed = sql("select id from audit_events where action = 'ticket.autoClosed' order by id desc").map((r) => Number(r.id));
    expect(await ids('from=2026-02-01&to=2026-02-01')).to.deep.equal(autoClosed);
    expect(await ids('actor=system')).to.deep.equal(autoClosed);
    expect(await ids('action=ticket.autoClosed')).to.deep.equal(autoClosed);
    const created = sql("select id from audit_events where action = 'ticket.created' order by id desc").map((r) => Number(r.id));
    expect(created).to.have.length(2);
    expect(await ids('actor=customer')).to.deep.equal(created);
    const onB = await ids(`ticket=${ticketB.toLowerCase().replace(/-/g, ' ')}`);
    expect(onB).to.deep.equal(sql("select e.id from audit_events e join tickets t on t.id = e.ticket_id where t.number = ? order by e.id desc", ticketB).map((r) => Number(r.id)));
    expect(onB).to.have.length(1);
    // 10 January 00:00 to 11 January 23:59 UTC: the first 48 notes.
    expect(await ids(`from=2026-01-10&to=2026-01-11&actor=${eveId}`)).to.have.length(48);
  });

  it('When events are listed, then actions are shown translated where the desk has a name for them, else as their key', async () => {
    const page = (await manager.get(`/desk/audit?ticket=${ticketA}`)).text;
    expect(page).to.include('Internal note added').and.include('Ticket opened');
    expect(page).to.include(`<a href="/desk/tickets/${ticketA}">`);
    const custom = (await manager.get('/desk/audit?action=custom.thing')).text;
    expect(custom).to.include('<td>custom.thing</td>');
    expect(custom).to.include('-1+2 → @x');
    const uk = (await manager.get('/desk/audit?action=ticket.autoClosed&lng=uk')).text;
    expect(uk).to.include('Журнал аудиту').and.include('Закрито автоматично');
    await manager.get('/desk/audit?lng=en');
  });

  it('When a filter is malformed, then the page answers 422 with the error beside the field and the input kept', async () => {
    const res = await manager.get('/desk/audit?from=2026-02-30&ticket=nope&actor=everyone');
    expect(res.status).to.equal(422);
    expect(res.text).to.include('id="from-error"').and.include('id="ticket-error"').and.include('id="actor-error"');
    expect(res.text).to.include('value="2026-02-30"').and.include('value="nope"');
    expect(eventIds(res.text)).to.deep.equal([]);
    const backwards = await manager.get('/desk/audit?from=2026-02-02&to=2026-02-01');
    expect(backwards.status).to.equal(422);
    expect(backwards.text).to.include('The end date must not be before the start date.');
  });

  it('When the selection is exported, then the CSV has a BOM, RFC 4180 quoting and neutralised formulas, and reads back the same', async () => {
    const res = await csv('/desk/audit/export?action=custom.thing');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).to.include('\r\n');
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).to.have.length(1);
    const [row] = rows;
    expect(row).to.deep.include({
      'Action key': 'custom.thing',
      Action: 'custom.thing',
      'Actor type': 'staff',
      'Actor ID': String(eveId),
      Who: `'${EVIL_NAME}`,
      From: "'-1+2",
      To: "'@x",
      'Time (UTC)': new Date(FEB_1 + DAY).toISOString(),
    });
    expect(JSON.parse(row!.Details!)).to.deep.equal({ note: 'He said "hi", then\nleft; =1+1' });
  });

  it('When a large selection is exported, then every row comes, newest first, across the batches', async () => {
    desk.db.$client.transaction(() => {
      for (let i = 0; i < 2500; i += 1) audit(desk.db, { ticketId: null, staffId: null, action: 'bulk.test', data: { i } }, FEB_1 + 2 * DAY + i);
    })();
    const res = await csv('/desk/audit/export?action=bulk.test&lng=ar');
    expect(res.status).to.equal(200);
    const rows = parse(res.body as Buffer, { bom: true }) as string[][];
    expect(rows[0]).to.include('مفتاح الإجراء');
    await manager.get('/desk/audit?lng=en');
    const ids = rows.slice(1).map((r) => Number(r[0]));
    expect(ids).to.have.length(2500);
    expect(ids).to.deep.equal([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).to.equal(2500);
  });

  it('When the export is asked with a malformed filter, then it sends the manager back to the page instead', async () => {
    const res = await manager.get('/desk/audit/export?from=yesterday');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/desk/audit?from=yesterday');
  });

  it('When someone tries to change the trail, then there is no route for it and the database refuses it', async () => {
    const csrf = await csrfFrom(manager, '/desk/audit');
    expect((await manager.post('/desk/audit').type('form').send({ _csrf: csrf })).status).to.equal(404);
    expect((await manager.post('/desk/audit/1/delete').type('form').send({ _csrf: csrf })).status).to.equal(404);
    expect(() => desk.db.$client.prepare('delete from audit_events').run()).to.throw(/append-only/);
    expect(() => desk.db.$client.prepare("update audit_events set action = 'x'").run()).to.throw(/append-only/);
  });
});
