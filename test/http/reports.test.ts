// The manager's dashboard against a fixture whose every number is worked out by hand
// below: tickets with set times, orders of two services across two providers, issued
// (and void) decisions, ledger entries, provider actions and ratings, plus rows just
// outside the range on both sides.
import { expect } from 'chai';
import type request from 'supertest';
import { createStaffUser } from '../../server/auth/staff';
import { csrfFrom, startTestDesk, type TestDesk } from '../support/desk';
import { loginAs } from '../support/staff';

const H = 3_600_000;
const at = (day: string, hour = 0, minute = 0) => Date.parse(`${day}T00:00:00Z`) + hour * H + minute * 60_000;
const USD = (units: number) => Math.round(units * 1_000_000);
const RANGE = 'from=2025-03-03&to=2025-03-16';
/** A name or a date in a chart or a composed option, isolated by first-strong isolate … pop directional isolate. */
const iso = (text: string) => `\u2068${text}\u2069`;

describe('reports: the manager dashboard', () => {
  let desk: TestDesk;
  let manager: request.Agent;
  let alya: number;
  let bohdan: number;

  before(async () => {
    desk = await startTestDesk();
    manager = await loginAs(desk, 'manager@desk.test', 'manager', 'Mira');
    alya = (await createStaffUser(desk.db, { email: 'alya@desk.test', name: 'Alya', role: 'agent', password: 'staff-password-123' }, Date.now())).id;
    bohdan = (await createStaffUser(desk.db, { email: 'bohdan@desk.test', name: 'Bohdan', role: 'agent', password: 'staff-password-123' }, Date.now())).id;
    seed();
  });
  after(async () => {
    await desk.cleanup();
  });

  const run = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).run(...args);
  let seq = 0;

  function ticket(t: {
    created: number;
    language?: string;
    status: string;
    assignee?: number | null;
    firstResponse?: number;
    resolved?: number;
    rating?: number;
    orders: { id: string; service: string; provider: string; charge: number; panelRefunded?: number }[];
  }): number {
    seq += 1;
    const email = `c${seq}@example.com`;
    const customer = run("insert into customers (email, language, created_at) values (?, 'en', ?)", email, t.created).lastInsertRowid;
    const id = Number(
      run(
        `insert into tickets (number, customer_id, email, language, reason, preferred_resolution, status, assignee_id,
           first_response_due_at, resolution_due_at, first_responded_at, resolved_at, rating, created_at, updated_at)
         values (?, ?, ?, ?, 'partial_delivery', 'balance', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        `RD-TEST-${String(seq).padStart(4, '0')}`,
        customer,
        email,
        t.language ?? 'en',
        t.status,
        t.assignee ?? null,
        t.created + 2 * H,
        t.created + 24 * H,
        t.firstResponse === undefined ? null : t.created + t.firstResponse,
        t.resolved === undefined ? null : t.created + t.resolved,
        t.rating ?? null,
        t.created,
        t.created,
      ).lastInsertRowid,
    );
    const open = ['new', 'in_review', 'waiting_customer'].includes(t.status) ? 1 : 0;
    for (const o of t.orders) {
      run(
        `insert into orders (id, customer_email, service_id, provider_id, link, quantity, charge_micros, currency, panel_refunded_micros, status, status_text, created_at, updated_at)
         values (?, ?, ?, ?, 'https://instagram.com/p/x', 1000, ?, 'USD', ?, 'completed', 'Completed', ?, ?)`,
        o.id,
        email,
        o.service,
        o.provider,
        USD(o.charge),
        USD(o.panelRefunded ?? 0),
        t.created - H,
        t.created,
      );
      run('insert into ticket_orders (ticket_id, order_id, open, known_at_intake) values (?, ?, ?, 1)', id, o.id, open);
    }
    return id;
  }

  function decision(d: { ticket: number; order: string; outcome: string; by: number; at: number; state?: string; destination?: string; amount?: number }) {
    const id = run(
      `insert into decisions (ticket_id, order_key, order_id, state, outcome, destination, amount_micros, currency, rule, decided_by, decided_at, issued_at)
       values (?, ?, ?, ?, ?, ?, ?, 'USD', 'manual', ?, ?, ?)`,
      d.ticket,
      d.order,
      d.order,
      d.state ?? 'issued',
      d.outcome,
      d.destination ?? null,
      USD(d.amount ?? 0),
      d.by,
      d.at,
      (d.state ?? 'issued') === 'issued' ? d.at : null,
    ).lastInsertRowid;
    if (d.amount && (d.state ?? 'issued') === 'issued') {
      const kind = d.destination === 'original_method' ? 'original_method_refund' : 'balance_credit';
      run(
        "insert into ledger_entries (decision_id, ticket_id, order_id, kind, amount_micros, currency, created_at) values (?, ?, ?, ?, ?, 'USD', ?)",
        id,
        d.ticket,
        d.order,
        kind,
        USD(d.amount),
        d.at,
      );
    }
  }

  function providerAction(ticketId: number, order: string, provider: string, action: string, by: number, when: number) {
    run(
      "insert into provider_actions (ticket_id, order_id, provider_id, action, outcome, created_by, created_at) values (?, ?, ?, ?, 'accepted', ?, ?)",
      ticketId,
      order,
      provider,
      action,
      by,
      when,
    );
  }

  /*
   * Services: s-tt "TikTok Followers", s-ig "Instagram Views". Providers: p-z "Zeta SMM",
   * p-a "Alpha SMM" (names chosen so that alphabetical order is NOT worst-first order).
   *
   * In the range (created 2025-03-03 … 2025-03-16):
   *   T1 en  Alya    fr 1h   resolved 5h    rating 5  O1 tt/z $10 (refunded $10 balance)  O2 ig/a $4 (reject)
   *   T2 ar  Bohdan  fr 3h*  resolved 30h*  rating 3  O3 tt/z $6 (partial $1.50 original method)
   *   T3 en  Alya    fr 30m  resolved 2h    rating 4  O4 ig/z $2 (panel refunded $0.50; reject)  O8 tt/z $3 (refill)
   *   T4 uk  Bohdan  fr 4h*  still open*              O5 tt/a $8 (refill requested; a void decision)
   *   T5 en  nobody  no reply, still open*            O6 ig/a $5
   *   T8 en  Alya    fr 1h   resolved 10h (after the range)  O9 ig/a $1
   *   (* = past its due time: first response 2h, resolution 24h)
   * Around it: T7 created 2025-03-02 20:00, resolved and paid $100 on 2025-03-03 02:00 (O7 tt/z);
   *            T6 in February with a $7 refund; T9 created 2025-03-17 00:00.
   */
  function seed() {
    run("insert into services (id, name, provider_id, refill_days, cancel_allowed, created_at, updated_at) values ('s-tt', 'TikTok Followers', 'p-z', 30, 1, 0, 0), ('s-ig', 'Instagram Views', 'p-a', 0, 1, 0, 0)");
    run("insert into providers (id, name, created_at, updated_at) values ('p-z', 'Zeta SMM', 0, 0), ('p-a', 'Alpha SMM', 0, 0)");

    const t1 = ticket({ created: at('2025-03-03', 1), status: 'resolved', assignee: alya, firstResponse: H, resolved: 5 * H, rating: 5, orders: [{ id: '9001', service: 's-tt', provider: 'p-z', charge: 10 }, { id: '9002', service: 's-ig', provider: 'p-a', charge: 4 }] });
    const t2 = ticket({ created: at('2025-03-04', 10), language: 'ar', status: 'resolved', assignee: bohdan, firstResponse: 3 * H, resolved: 30 * H, rating: 3, orders: [{ id: '9003', service: 's-tt', provider: 'p-z', charge: 6 }] });
    const t3 = ticket({ created: at('2025-03-10', 8), status: 'resolved', assignee: alya, firstResponse: H / 2, resolved: 2 * H, rating: 4, orders: [{ id: '9004', service: 's-ig', provider: 'p-z', charge: 2, panelRefunded: 0.5 }, { id: '9008', service: 's-tt', provider: 'p-z', charge: 3 }] });
    const t4 = ticket({ created: at('2025-03-11', 12), language: 'uk', status: 'in_review', assignee: bohdan, firstResponse: 4 * H, orders: [{ id: '9005', service: 's-tt', provider: 'p-a', charge: 8 }] });
    ticket({ created: at('2025-03-12', 9), status: 'new', orders: [{ id: '9006', service: 's-ig', provider: 'p-a', charge: 5 }] });
    ticket({ created: at('2025-03-16', 23), status: 'resolved', assignee: alya, firstResponse: H, resolved: 10 * H, orders: [{ id: '9009', service: 's-ig', provider: 'p-a', charge: 1 }] });
    const t7 = ticket({ created: at('2025-03-02', 20), status: 'resolved', assignee: alya, firstResponse: H, resolved: 6 * H, rating: 1, orders: [{ id: '9007', service: 's-tt', provider: 'p-z', charge: 100 }] });
    const t6 = ticket({ created: at('2025-02-20', 9), status: 'resolved', assignee: alya, firstResponse: H, resolved: 2 * H, rating: 2, orders: [{ id: '9010', service: 's-tt', provider: 'p-z', charge: 7 }] });
    ticket({ created: at('2025-03-17'), status: 'new', orders: [{ id: '9011', service: 's-tt', provider: 'p-z', charge: 9 }] });

    decision({ ticket: t1, order: '9001', outcome: 'full_refund', destination: 'balance', amount: 10, by: alya, at: at('2025-03-03', 6) });
    decision({ ticket: t1, order: '9002', outcome: 'reject', by: alya, at: at('2025-03-03', 6) });
    decision({ ticket: t2, order: '9003', outcome: 'partial_refund', destination: 'original_method', amount: 1.5, by: bohdan, at: at('2025-03-05', 16) });
    decision({ ticket: t3, order: '9004', outcome: 'reject', by: alya, at: at('2025-03-10', 10) });
    decision({ ticket: t3, order: '9008', outcome: 'refill', by: alya, at: at('2025-03-10', 10) });
    decision({ ticket: t4, order: '9005', outcome: 'full_refund', destination: 'balance', amount: 8, by: bohdan, at: at('2025-03-11', 15), state: 'void' });
    decision({ ticket: t7, order: '9007', outcome: 'full_refund', destination: 'balance', amount: 100, by: bohdan, at: at('2025-03-03', 2) });
    decision({ ticket: t6, order: '9010', outcome: 'full_refund', destination: 'balance', amount: 7, by: alya, at: at('2025-02-20', 11) });

    providerAction(t3, '9008', 'p-z', 'refill', alya, at('2025-03-10', 9));
    providerAction(t4, '9005', 'p-a', 'refill', bohdan, at('2025-03-11', 14));
    providerAction(t4, '9005', 'p-a', 'cancel', bohdan, at('2025-03-11', 13));
    providerAction(t6, '9010', 'p-z', 'refill', alya, at('2025-02-20', 10));
  }

  const json = async (query: string) => {
    const res = await manager.get(`/desk/reports?${query}&format=json`);
    expect(res.status, res.text.slice(0, 300)).to.equal(200);
    return res.body;
  };
  /** The text of a table's body rows: cells joined by " | ", tags and whitespace collapsed. */
  const tableRows = (html: string, name: string) => {
    const start = html.indexOf(`data-table="${name}"`);
    expect(start, `table ${name}`).to.be.above(-1);
    const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
    return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
      [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()).join(' | '),
    );
  };
  const card = (html: string, metric: string) => {
    const m = new RegExp(`data-metric="${metric}">([\\s\\S]*?)</div>`).exec(html);
    expect(m, metric).to.not.equal(null);
    return m![1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  };

  describe('who may see it', () => {
    it('When nobody is signed in, then the dashboard redirects to the login page', async () => {
      const res = await desk.agent().get(`/desk/reports?${RANGE}`);
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(`/desk/reports?${RANGE}`)}`);
    });

    it('When an agent opens the dashboard or its JSON, then the answer is 403 and no number is shown', async () => {
      const agent = await loginAs(desk, 'agent@desk.test', 'agent');
      const page = await agent.get(`/desk/reports?${RANGE}`);
      expect(page.status).to.equal(403);
      expect(page.text).to.not.include('data-metric');
      expect((await agent.get(`/desk/reports?${RANGE}&format=json`)).status).to.equal(403);
    });

    it('When the admin signs in, then the dashboard opens', async () => {
      const admin = desk.agent();
      const csrf = await csrfFrom(admin, '/login');
      await admin.post('/login').type('form').send({ _csrf: csrf, email: 'admin@desk.test', password: 'admin-password-123' });
      expect((await admin.get(`/desk/reports?${RANGE}`)).status).to.equal(200);
    });
  });

  describe('the numbers', () => {
    it('When the fixture range is asked for as JSON, then every number is the hand-computed one', async () => {
      const r = await json(RANGE);
      expect(r.range).to.deep.equal({ from: '2025-03-03', to: '2025-03-16' });
      // T1 T2 T3 T4 T5 T8 opened; T1 T2 T3 and T7 resolved in the range (T8 after it).
      expect(r.tickets).to.deep.include({ opened: 6, resolved: 4 });
      expect(r.tickets.openNow).to.deep.equal({ new: 2, in_review: 1, waiting_customer: 0 });
      // First responses 0.5 1 1 3 4 h → 1 h; resolutions 2 5 10 30 h → (5 + 10) / 2 = 7.5 h.
      expect(r.firstResponse).to.deep.equal({ medianMs: H, count: 5 });
      expect(r.resolution).to.deep.equal({ medianMs: 7.5 * H, count: 4 });
      // T2 (late reply and resolution), T4 (late reply, open past due), T5 (open past due) of 6.
      expect(r.sla).to.deep.equal({ tickets: 6, breached: 3, share: 0.5 });
      // Issued in range: D1 full, D2 reject, D3 partial, D4 reject, D5 refill, D7 (T7) full; the void one and February's are not.
      expect(r.decisions).to.deep.equal({ total: 6, byOutcome: { full_refund: 2, partial_refund: 1, refill: 1, reject: 2 } });
      expect(r.money).to.deep.equal([{ currency: 'USD', balanceCreditMicros: USD(110), originalMethodMicros: USD(1.5), entries: 3 }]);
      expect(r.refills).to.deep.equal({ requested: 2, confirmed: 1 });
      // Ratings of tickets opened in the range: 5, 3, 4 (T7's 1 and T6's 2 are outside).
      expect(r.csat).to.deep.equal({ average: 4, ratings: 3 });
    });

    it('When refund rates are read, then each service and provider has its counts and shares, worst first', async () => {
      const r = await json(RANGE);
      const pick = (rows: Record<string, unknown>[]) =>
        rows.map((x) => ({ id: x.id, name: x.name, orders: x.orders, refundedOrders: x.refundedOrders, chargedMicros: x.chargedMicros, refundedMicros: x.refundedMicros, orderShare: x.orderShare, amountShare: x.amountShare }));
      // TikTok Followers: O1 ($10 back of $10), O3 ($1.50 of $6), O5 ($8), O8 ($3) → 2 of 4, $11.50 of $27.
      // Instagram Views: O2 ($4), O4 ($0.50 back by the panel of $2), O6 ($5), O9 ($1) → 1 of 4, $0.50 of $12.
      expect(pick(r.refundRates.byService)).to.deep.equal([
        { id: 's-tt', name: 'TikTok Followers', orders: 4, refundedOrders: 2, chargedMicros: USD(27), refundedMicros: USD(11.5), orderShare: 0.5, amountShare: 11.5 / 27 },
        { id: 's-ig', name: 'Instagram Views', orders: 4, refundedOrders: 1, chargedMicros: USD(12), refundedMicros: USD(0.5), orderShare: 0.25, amountShare: 0.5 / 12 },
      ]);
      // Zeta SMM: O1 O3 O4 O8 → 3 of 4, $12 of $21. Alpha SMM: O2 O5 O6 O9 → 0 of 4, $0 of $18.
      expect(pick(r.refundRates.byProvider)).to.deep.equal([
        { id: 'p-z', name: 'Zeta SMM', orders: 4, refundedOrders: 3, chargedMicros: USD(21), refundedMicros: USD(12), orderShare: 0.75, amountShare: 12 / 21 },
        { id: 'p-a', name: 'Alpha SMM', orders: 4, refundedOrders: 0, chargedMicros: USD(18), refundedMicros: 0, orderShare: 0, amountShare: 0 },
      ]);
    });

    it('When the weekly trend is read, then each ISO week of the range has its tickets and money', async () => {
      const r = await json(RANGE);
      expect(r.weeks).to.deep.equal([
        { week: '2025-W10', year: 2025, weekNumber: 10, start: '2025-03-03', opened: 2, resolved: 3, refunded: [{ currency: 'USD', micros: USD(111.5) }] },
        { week: '2025-W11', year: 2025, weekNumber: 11, start: '2025-03-10', opened: 4, resolved: 1, refunded: [{ currency: 'USD', micros: 0 }] },
      ]);
    });

    it('When the page is opened, then it shows the same numbers formatted through Intl, with charts and their tables', async () => {
      const res = await manager.get(`/desk/reports?${RANGE}&lng=en`);
      expect(res.status).to.equal(200);
      const html = res.text;
      expect(card(html, 'opened')).to.equal('Tickets opened 6');
      expect(card(html, 'resolved')).to.equal('Tickets resolved 4');
      expect(card(html, 'firstResponse')).to.equal('Median first response 1 hour over 5 tickets opened in the range');
      expect(card(html, 'resolution')).to.equal('Median resolution time 7.5 hours over 4 tickets opened in the range');
      expect(card(html, 'sla')).to.equal('SLA breaches 50% 3 of 6 tickets opened in the range');
      expect(card(html, 'csat')).to.equal('Customer satisfaction (1–5) 4 from 3 ratings');
      expect(card(html, 'refillsRequested')).to.equal('Refills requested from providers 2');
      expect(card(html, 'refillsConfirmed')).to.equal('Refills confirmed 1');
      expect(tableRows(html, 'decisions')).to.deep.equal([
        'Full refund | 2',
        'Partial refund (undelivered part) | 1',
        'Refill | 1',
        'Reject | 2',
      ]);
      expect(tableRows(html, 'money')).to.deep.equal(['USD | US$110.00 | US$1.50 | US$111.50 | 3']);
      expect(tableRows(html, 'rates-service')).to.deep.equal([
        'TikTok Followers | 4 | 2 | 50% | US$27.00 | US$11.50 | 42.6%',
        'Instagram Views | 4 | 1 | 25% | US$12.00 | US$0.50 | 4.2%',
      ]);
      expect(tableRows(html, 'rates-provider')).to.deep.equal([
        'Zeta SMM | 4 | 3 | 75% | US$21.00 | US$12.00 | 57.1%',
        'Alpha SMM | 4 | 0 | 0% | US$18.00 | US$0.00 | 0%',
      ]);
      expect(tableRows(html, 'trend')).to.deep.equal([
        'Week 10, 2025 | 3 Mar 2025 | 2 | 3 | US$111.50',
        'Week 11, 2025 | 10 Mar 2025 | 4 | 1 | US$0.00',
      ]);
      // The charts: server-built SVG with a title and an aria-label, the values in their labels.
      const bars = /<svg[^>]*class="chart bar-chart"[^>]*aria-label="Share of orders refunded, by service"[\s\S]*?<\/svg>/.exec(html);
      expect(bars).to.not.equal(null);
      expect(bars![0]).to.include('<title>Share of orders refunded, by service</title>').and.include('>50%</text>').and.include(`>${iso('TikTok Followers')}</text>`);
      expect(bars![0]).to.include(`<title>${iso('TikTok Followers')}: ${iso('50%')}</title>`);
      expect(html).to.match(/<svg[^>]*class="chart line-chart"[^>]*aria-label="Tickets opened and resolved per week"/);
      expect(html).to.match(/<svg[^>]*class="chart column-chart"[^>]*aria-label="Money credited or refunded per week, USD"/);
      expect(html).to.not.match(/<script/);
    });
  });

  describe('filters', () => {
    it('When the language is Arabic, then only Arabic tickets and their decisions and money count', async () => {
      const r = await json(`${RANGE}&language=ar`);
      expect(r.tickets).to.deep.include({ opened: 1, resolved: 1 });
      expect(r.firstResponse).to.deep.equal({ medianMs: 3 * H, count: 1 });
      expect(r.resolution).to.deep.equal({ medianMs: 30 * H, count: 1 });
      expect(r.sla).to.deep.equal({ tickets: 1, breached: 1, share: 1 });
      expect(r.decisions.byOutcome).to.deep.equal({ full_refund: 0, partial_refund: 1, refill: 0, reject: 0 });
      expect(r.money).to.deep.equal([{ currency: 'USD', balanceCreditMicros: 0, originalMethodMicros: USD(1.5), entries: 1 }]);
      expect(r.refundRates.byService.map((x: { id: string; orders: number; refundedOrders: number }) => [x.id, x.orders, x.refundedOrders])).to.deep.equal([['s-tt', 1, 1]]);
      expect(r.csat).to.deep.equal({ average: 3, ratings: 1 });
    });

    it('When a service is chosen, then tickets with one of its orders, its decisions and its orders count', async () => {
      const r = await json(`${RANGE}&service=s-ig`);
      // T1 (O2), T3 (O4), T5 (O6), T8 (O9)
      expect(r.tickets.opened).to.equal(4);
      expect(r.tickets.resolved).to.equal(2);
      expect(r.decisions.byOutcome).to.deep.equal({ full_refund: 0, partial_refund: 0, refill: 0, reject: 2 });
      expect(r.money).to.deep.equal([]);
      expect(r.refundRates.byService.map((x: { id: string }) => x.id)).to.deep.equal(['s-ig']);
      expect(r.refundRates.byProvider.map((x: { id: string; orders: number }) => [x.id, x.orders])).to.deep.equal([['p-z', 1], ['p-a', 3]]);
    });

    it('When a provider is chosen, then only its orders and the tickets holding them count', async () => {
      const r = await json(`${RANGE}&provider=p-z`);
      // T1 (O1), T2 (O3), T3 (O4, O8); money: D1 $10, D3 $1.50 and T7's $100 (O7 is at p-z)
      expect(r.tickets.opened).to.equal(3);
      expect(r.money).to.deep.equal([{ currency: 'USD', balanceCreditMicros: USD(110), originalMethodMicros: USD(1.5), entries: 3 }]);
      expect(r.refills).to.deep.equal({ requested: 1, confirmed: 1 });
      expect(r.refundRates.byProvider).to.have.length(1);
    });

    it('When a staff member is chosen, then tickets assigned to them and decisions they made count', async () => {
      const r = await json(`${RANGE}&agent=${bohdan}`);
      // Assigned to Bohdan: T2, T4. Decided by Bohdan in range: D3 (partial) and T7's full refund.
      expect(r.tickets).to.deep.include({ opened: 2, resolved: 1 });
      expect(r.decisions).to.deep.equal({ total: 2, byOutcome: { full_refund: 1, partial_refund: 1, refill: 0, reject: 0 } });
      expect(r.money).to.deep.equal([{ currency: 'USD', balanceCreditMicros: USD(100), originalMethodMicros: USD(1.5), entries: 2 }]);
      expect(r.refills).to.deep.equal({ requested: 1, confirmed: 0 });
      expect(r.filters).to.deep.equal({ service: null, provider: null, agent: bohdan, language: null });
      const page = await manager.get(`/desk/reports?${RANGE}&agent=${bohdan}`);
      expect(page.text).to.include(`<option value="${bohdan}" selected>${iso('Bohdan')} (agent)</option>`);
    });

    it('When filters are unknown or malformed, then they are ignored and the whole report is shown', async () => {
      const r = await json(`${RANGE}&service=nope&provider=%00&agent=abc&language=fr`);
      expect(r.filters).to.deep.equal({ service: null, provider: null, agent: null, language: null });
      expect(r.tickets.opened).to.equal(6);
    });
  });

  describe('SLA breaches', () => {
    it('When tickets wait on the customer, were closed without a decision or were merged, then each is judged by its own clock', async () => {
      const day = at('2025-06-02', 1);
      const order = (id: string) => [{ id, service: 's-tt', provider: 'p-z', charge: 1 }];
      // Paused an hour in, answered in time: the clock stopped before any due time → no breach, although now is long past.
      const paused = ticket({ created: day, status: 'waiting_customer', firstResponse: H / 2, orders: order('9101') });
      run('update tickets set sla_paused_at = ? where id = ?', day + H, paused);
      // Paused only after the 24 h resolution due time → breach.
      const pausedLate = ticket({ created: day, status: 'waiting_customer', firstResponse: H / 2, orders: order('9102') });
      run('update tickets set sla_paused_at = ? where id = ?', day + 30 * H, pausedLate);
      // Closed by hand after the resolution due time, answered in time → breach; closed in time → none.
      const closedLate = ticket({ created: day, status: 'closed', firstResponse: H, orders: order('9103') });
      run('update tickets set closed_at = ? where id = ?', day + 40 * H, closedLate);
      const closedInTime = ticket({ created: day, status: 'closed', firstResponse: H, orders: order('9104') });
      run('update tickets set closed_at = ? where id = ?', day + 3 * H, closedInTime);
      // Merged into another without a reply: it never ended here, and is not open → none.
      ticket({ created: day, status: 'merged', orders: order('9105') });
      const r = await json('from=2025-06-02&to=2025-06-02');
      expect(r.sla).to.deep.equal({ tickets: 5, breached: 2, share: 0.4 });
      expect(r.tickets.opened).to.equal(5);
    });
  });

  describe('ranges and empty states', () => {
    it('When the range is left out, then it is the 30 days ending today by the request clock', async () => {
      const res = await manager.get('/desk/reports?format=json');
      const today = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
      expect(res.body.range).to.deep.equal({ from, to: today });
    });

    it('When a date is not a real day, then the page says so beside the field and shows the default range, never a 500', async () => {
      const res = await manager.get('/desk/reports?from=2025-02-30&to=2025-03-16&lng=en');
      expect(res.status).to.equal(422);
      expect(res.text).to.include('id="report-from-error"').and.include('Enter a real date as YYYY-MM-DD.');
      expect(res.text).to.include('value="2025-02-30"');
      const reversed = await manager.get('/desk/reports?from=2025-03-16&to=2025-03-01&format=json');
      expect(reversed.status).to.equal(422);
      expect(reversed.body.errors).to.deep.equal({ to: { key: 'range.reversed' } });
      const reversedPage = await manager.get('/desk/reports?from=2025-03-16&to=2025-03-01&lng=en');
      expect(reversedPage.text).to.include('value="2025-03-16"').and.include('value="2025-03-01"').and.include('The end date is before the start date.');
      const long = await manager.get('/desk/reports?from=2020-01-01&to=2025-03-01&lng=uk');
      expect(long.status).to.equal(422);
      expect(long.text).to.include('Період може тривати не більше ніж <bdi>732</bdi> дні.');
    });

    it('When nothing happened in the range, then the page explains it in words instead of drawing empty charts', async () => {
      const res = await manager.get('/desk/reports?from=2024-01-01&to=2024-01-31&lng=en');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Nothing happened in this range');
      expect(res.text).to.include('No decision has been issued in this range yet.');
      expect(res.text).to.include('No orders in tickets opened in this range');
      expect(res.text).to.include('Nothing to draw');
      expect(res.text).to.not.include('<svg');
    });

    it('When tickets exist but no decision was issued, then the decisions section says so', async () => {
      const res = await manager.get('/desk/reports?from=2025-03-12&to=2025-03-12&lng=en');
      expect(card(res.text, 'opened')).to.equal('Tickets opened 1');
      expect(res.text).to.include('No decision has been issued in this range yet.');
      expect(res.text).to.not.include('Nothing happened in this range');
    });
  });

  describe('right to left', () => {
    it('When the page is Arabic, then it is dir="rtl" and its bars grow from the right edge of the SVG', async () => {
      const ar = (await manager.get(`/desk/reports?${RANGE}&lng=ar`)).text;
      const en = (await manager.get(`/desk/reports?${RANGE}&lng=en`)).text;
      expect(ar).to.include('<html lang="ar" dir="rtl">');
      const bars = (html: string) => {
        const svg = /<svg[^>]*class="chart bar-chart"[\s\S]*?<\/svg>/.exec(html)![0];
        return { svg, rects: [...svg.matchAll(/<rect class="chart-bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), w: Number(m[2]) })) };
      };
      const l = bars(en);
      const r = bars(ar);
      expect(r.svg).to.include('direction="rtl"').and.not.include('transform');
      expect(r.svg).to.include('aria-label="نسبة الطلبات المستردة حسب الخدمة"');
      expect(r.rects).to.have.length(2);
      r.rects.forEach((rect, i) => {
        expect(rect.w).to.equal(l.rects[i]!.w);
        expect(rect.x + rect.w).to.be.closeTo(640 - l.rects[i]!.x, 0.11);
      });
      // The trend runs right to left: the first week's point is to the right of the second's.
      const xs = (html: string) => /class="chart-line" points="([^"]+)"/.exec(html)![1]!.split(' ').map((p) => Number(p.split(',')[0]));
      expect(xs(ar)[0]).to.be.greaterThan(xs(ar)[1]!);
      expect(xs(en)[0]).to.be.lessThan(xs(en)[1]!);
      // A point's tooltip: the series and the week isolated, joined by the Arabic comma.
      expect(ar).to.match(/<circle class="chart-point"[^>]*><title>\u2068المفتوحة\u2069، \u2068[^<\u2069]+\u2069: \u2068[^<\u2069]+\u2069<\/title>/);
    });
  });
});
