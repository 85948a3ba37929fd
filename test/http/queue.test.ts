// The agent queue at /desk against the real app: order, filters, search, keyset
// pages, tab counts. Each expectation is also computed by a plain SQL "oracle"
// (one WHERE, one ORDER BY) so the segment-by-segment queries are checked against it.
import { expect } from 'chai';
import type request from 'supertest';
import { createStaffUser } from '../../server/auth/staff';
import { explainQueue } from '../../server/desk/queue';
import { DEFAULT_FILTERS } from '../../server/desk/queue-filters';
import type { Language, Reason } from '../../server/domain/ticket';
import { upsertOrders } from '../../server/orders/store';
import type { Ticket } from '../../server/tickets/queries';
import { TicketService } from '../../server/tickets/service';
import { startTestDesk, type TestDesk } from '../support/desk';
import { loginAs } from '../support/staff';

const H = 3_600_000;
const OPEN = "status IN ('new', 'in_review', 'waiting_customer')";

const unescape = (s: string) =>
  s.replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
const numbersOn = (html: string) => [...html.matchAll(/<tr data-ticket="([^"]+)"/g)].map((m) => m[1]!);
const nextLink = (html: string) => {
  const m = /<a href="([^"]+)" rel="next">/.exec(html);
  return m ? unescape(m[1]!) : null;
};
const rowOf = (html: string, number: string) => new RegExp(`<tr data-ticket="${number}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
const tabCounts = (html: string) =>
  Object.fromEntries([...html.matchAll(/data-tab="(\w+)">([^<]+)</g)].map((m) => [m[1]!, unescape(m[2]!)]));

describe('desk queue', () => {
  let desk: TestDesk;
  let agent: request.Agent;
  let me: { id: number };
  let service: TicketService;
  let seq = 0;
  const t = {} as Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L', Ticket>;

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  const run = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).run(...args);

  /** The oracle: ticket numbers matching a WHERE, in the queue's order. */
  const oracle = (where: string, ...params: unknown[]) =>
    sql(`SELECT number FROM tickets WHERE ${where} ORDER BY urgency, sla_due_at IS NULL, sla_due_at, id`, ...params).map(
      (r) => r.number as string,
    );

  function file(opts: { reason?: Reason; details?: string; link?: string; lng?: Language; orderIds?: string[]; email?: string } = {}) {
    seq += 1;
    return service.create(
      {
        email: opts.email ?? `customer${seq}@example.com`,
        orderIds: opts.orderIds ?? [String(700000 + seq)],
        link: opts.link ?? `https://instagram.com/p/post${seq}`,
        reason: opts.reason ?? 'not_started',
        details: opts.details ?? 'Please look at my order.',
        preferredResolution: 'balance',
        paymentReference: null,
        amountMicros: null,
      },
      opts.lng ?? 'en',
      '',
    ).ticket;
  }
  function pushOrder(id: string, status: string, link = `https://instagram.com/p/order${id}`) {
    const res = upsertOrders(
      desk.db,
      [{ id, customerEmail: 'panel@example.com', link, quantity: 100, charge: '1.50', status, createdAt: '2025-01-01 00:00:00' }],
      { now: Date.now(), currency: 'USD' },
    );
    expect(res.errors).to.deep.equal([]);
  }
  const due = (ticket: Ticket, at: number) =>
    run('UPDATE tickets SET first_response_due_at = ?, resolution_due_at = ? WHERE id = ?', at, at, ticket.id);
  const setStatus = (ticket: Ticket, status: string) => run('UPDATE tickets SET status = ? WHERE id = ?', status, ticket.id);

  async function page(url: string) {
    const res = await agent.get(url);
    expect(res.status, url).to.equal(200);
    return res.text;
  }
  /** Every ticket number across the pages, following the "next page" links. */
  async function walk(url: string, onPage?: (html: string, next: string | null) => void) {
    const seen: string[] = [];
    let next: string | null = url;
    for (let i = 0; next && i < 100; i += 1) {
      const html = await page(next);
      seen.push(...numbersOn(html));
      next = nextLink(html);
      onPage?.(html, next);
    }
    return seen;
  }

  before(async () => {
    desk = await startTestDesk();
    const now = Date.now();
    // loginAs makes the agent and throws unless the login answers 303.
    agent = await loginAs(desk, 'agent@desk.test', 'agent', 'Alya Agent');
    me = sql('SELECT id FROM staff_users WHERE email = ?', 'agent@desk.test')[0] as { id: number };
    const other = await createStaffUser(desk.db, { email: 'other@desk.test', name: 'Bohdan Other', role: 'agent', password: 'other-password-1' }, now);
    service = new TicketService({ db: desk.db, store: desk.store, clock: Date.now, publicUrl: 'http://desk.test' });

    // The order scenario: A and B are about a pending order, B and F wait on the customer.
    pushOrder('810001', 'Pending');
    pushOrder('810002', 'Pending');
    t.A = file({ orderIds: ['810001'], reason: 'wrong_link' });
    t.B = file({ orderIds: ['810002'], reason: 'wrong_link' });
    t.C = file({ reason: 'drop', lng: 'uk', details: 'Підписники так і не надійшли на мій акаунт' });
    t.D = file({ reason: 'went_private', lng: 'ar', details: 'المتابعون لم يصلوا إلى الحساب بعد' });
    t.E = file({ reason: 'partial_delivery', details: 'Only half arrived, the xylophone campaign is stuck' });
    t.F = file({ reason: 'wrong_service', email: 'shouty@example.com' });
    t.G = file({ reason: 'changed_mind', link: 'https://t.me/unique_channel' });
    due(t.A, now + 10 * H);
    setStatus(t.B, 'waiting_customer');
    due(t.C, now + 1 * H);
    due(t.D, now - 3 * H);
    due(t.E, now + 5 * H);
    setStatus(t.E, 'in_review');
    setStatus(t.F, 'waiting_customer');
    setStatus(t.G, 'resolved');
    run('UPDATE tickets SET assignee_id = ? WHERE id IN (?, ?)', me.id, t.E.id, t.A.id);
    run('UPDATE tickets SET assignee_id = ? WHERE id = ?', other.id, t.C.id);
    // Order statuses: H's order is partial, I has one completed and one unknown order.
    t.H = file({ reason: 'partial_delivery', orderIds: ['820001'] });
    t.I = file({ reason: 'drop', orderIds: ['820002', '820003'] });
    pushOrder('820001', 'Partial');
    pushOrder('820002', 'Completed', 'https://www.tiktok.com/@someone/video/42');
    pushOrder('820003', 'Exploded');
    run("INSERT INTO messages (ticket_id, author_type, author_user_id, internal, body, created_at) VALUES (?, 'staff', ?, 1, ?, ?)", t.I.id, me.id, 'Checked with the zeppelin provider, waiting.', now);
    // So that no filter below lists nothing: J is closed, K was merged into J, and L (Ukrainian,
    // about dropped followers, unassigned) is about an order the panel canceled.
    t.J = file({ reason: 'wrong_service' });
    t.K = file({ reason: 'wrong_service', email: t.J.email });
    setStatus(t.J, 'closed');
    run("UPDATE tickets SET status = 'merged', merged_into_id = ? WHERE id = ?", t.J.id, t.K.id);
    t.L = file({ reason: 'drop', lng: 'uk', orderIds: ['830001'] });
    pushOrder('830001', 'Canceled');
  });
  after(() => desk.cleanup());

  describe('access and language', () => {
    for (const path of ['/desk', '/desk?status=all&q=refund&after=1.n.5']) {
      it(`When ${path} is opened without a session, then it redirects to the login page`, async () => {
        const res = await desk.agent().get(path);
        expect(res.status).to.equal(303);
        expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(path)}`);
      });
    }

    it('When the queue is shown in Arabic, then the page is right-to-left and its texts are Arabic', async () => {
      const html = await page('/desk?lng=ar');
      expect(html).to.match(/<html lang="ar" dir="rtl">/);
      expect(html).to.include('قائمة التذاكر').and.include('المفتوحة').and.include(`<bdi>${t.A.number}</bdi>`);
      // the page-language switch is not the language filter
      expect(numbersOn(html)).to.deep.equal(oracle(OPEN));
      await page('/desk?lng=en');
    });

    it('When the queue is shown in Ukrainian, then the time left is formatted for Ukrainian', async () => {
      const html = await page('/desk?lng=uk');
      expect(html).to.include('Черга звернень');
      expect(rowOf(html, t.E.number)).to.match(/залишилося 4 год і 59 хв/);
      await page('/desk?lng=en');
    });
  });

  describe('order and rows', () => {
    it('When the default view is opened, then pending-order tickets come first, then by SLA due, paused last', async () => {
      const html = await page('/desk');
      const shown = numbersOn(html);
      expect(shown).to.deep.equal(oracle(OPEN));
      const at = (k: keyof typeof t) => shown.indexOf(t[k].number);
      expect((['A', 'B', 'D', 'C', 'E', 'F'] as const).map(at)).to.satisfy((xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!)));
      expect(shown).to.not.include(t.G.number);
    });

    it('When a row is shown, then it has the link, email, orders, reason, language, status, assignee, pending marker and SLA', async () => {
      const html = await page('/desk');
      const a = rowOf(html, t.A.number);
      expect(a).to.include(`href="/desk/tickets/${t.A.number}"`).and.include(`<bdi>${t.A.email}</bdi>`).and.include('<bdi>810001</bdi>');
      expect(a).to.include('I entered a wrong link').and.include('English').and.include('New').and.include('Alya Agent');
      expect(a).to.include('Order pending').and.match(/9 hrs 59 mins left/);
      expect(rowOf(html, t.D.number)).to.include('Overdue by 3 hrs').and.include('العربية').and.include('Unassigned');
      expect(rowOf(html, t.C.number)).to.match(/59 mins left/).and.include('Bohdan Other');
      expect(rowOf(html, t.E.number)).to.match(/4 hrs 59 mins left/).and.include('In review');
      expect(rowOf(html, t.F.number)).to.include('Paused').and.not.include('Order pending');
      expect(rowOf(html, t.B.number)).to.include('Paused').and.include('Order pending');
      const resolved = rowOf(await page('/desk?status=resolved'), t.G.number);
      expect(resolved).to.include('Resolved').and.not.match(/left|Overdue|Paused/);
    });

    it('When a pending order starts, then its ticket loses the marker and moves down', async () => {
      pushOrder('810001', 'In progress');
      const shown = numbersOn(await page('/desk'));
      expect(shown).to.deep.equal(oracle(OPEN));
      expect(shown.indexOf(t.A.number)).to.be.above(shown.indexOf(t.B.number));
      pushOrder('810001', 'Pending');
      expect(numbersOn(await page('/desk'))[0]).to.equal(t.A.number);
    });
  });

  describe('filters', () => {
    const cases: [string, string, (() => unknown[])?][] = [
      ['/desk?status=new', "status = 'new'"],
      ['/desk?status=in_review', "status = 'in_review'"],
      ['/desk?status=waiting_customer', "status = 'waiting_customer'"],
      ['/desk?status=resolved', "status = 'resolved'"],
      ['/desk?status=closed', "status = 'closed'"],
      ['/desk?status=merged', "status = 'merged'"],
      ['/desk?status=all', '1 = 1'],
      ['/desk?reason=drop', `${OPEN} AND reason = 'drop'`],
      ['/desk?status=all&reason=changed_mind', "reason = 'changed_mind'"],
      ['/desk?language=ar', `${OPEN} AND language = 'ar'`],
      ['/desk?language=uk', `${OPEN} AND language = 'uk'`],
      ['/desk?assignee=mine', `${OPEN} AND assignee_id = ?`, () => [me.id]],
      ['/desk?assignee=unassigned', `${OPEN} AND assignee_id IS NULL`],
      ['/desk?sla=overdue', `${OPEN} AND sla_due_at < ?`, () => [Date.now()]],
      ['/desk?sla=due_soon', `${OPEN} AND sla_due_at >= ? AND sla_due_at < ?`, () => [Date.now(), Date.now() + 2 * H]],
      ...['pending', 'partial', 'completed', 'unknown', 'canceled'].map(
        (s): [string, string] => [
          `/desk?orderStatus=${s}`,
          `${OPEN} AND EXISTS (SELECT 1 FROM ticket_orders x JOIN orders o ON o.id = x.order_id WHERE x.ticket_id = tickets.id AND o.status = '${s}')`,
        ],
      ),
      ['/desk?reason=drop&language=uk&assignee=unassigned', `${OPEN} AND reason = 'drop' AND language = 'uk' AND assignee_id IS NULL`],
      ['/desk?status=all&reason=drop&orderStatus=completed', "reason = 'drop' AND id IN (SELECT ticket_id FROM ticket_orders WHERE order_id = '820002')"],
    ];
    for (const [url, where, params] of cases) {
      it(`When ${url} is opened, then it lists exactly the tickets of that filter, in queue order`, async () => {
        const want = oracle(where, ...(params?.() ?? []));
        // An empty list would match a page that shows nothing at all.
        expect(want).to.have.lengthOf.above(0);
        const shown = await walk(url);
        expect(shown).to.deep.equal(want);
      });
    }

    it('When the filters pick known tickets, then those are the ones shown', async () => {
      expect(numbersOn(await page('/desk?assignee=mine'))).to.deep.equal([t.A.number, t.E.number]);
      expect(numbersOn(await page('/desk?sla=overdue'))).to.deep.equal([t.D.number]);
      expect(numbersOn(await page('/desk?sla=due_soon'))).to.include(t.C.number).and.not.include(t.A.number);
      expect(numbersOn(await page('/desk?orderStatus=pending'))).to.deep.equal([t.A.number, t.B.number]);
      expect(numbersOn(await page('/desk?orderStatus=partial'))).to.deep.equal([t.H.number]);
      expect(numbersOn(await page('/desk?orderStatus=unknown'))).to.deep.equal([t.I.number]);
      expect(numbersOn(await page('/desk?language=ar'))).to.deep.equal([t.D.number]);
      expect(numbersOn(await page('/desk?status=waiting_customer'))).to.deep.equal([t.B.number, t.F.number]);
    });

    it('When filter values are unknown or repeated, then they are ignored and the default view comes back', async () => {
      const plain = numbersOn(await page('/desk'));
      const odd = await page('/desk?status=bogus&reason=angry&orderStatus=lost&language=fr&assignee=bob&sla=soon&after=garbage');
      expect(numbersOn(odd)).to.deep.equal(plain);
      expect(numbersOn(await page('/desk?status=new&status=closed&reason=drop&reason=other&q=a&q=b'))).to.deep.equal(plain);
    });

    it('When filters are chosen, then the form shows them selected and the tabs keep them', async () => {
      const html = await page('/desk?status=all&reason=drop&language=uk&assignee=mine&sla=overdue&orderStatus=partial&q=abc');
      expect(html).to.include('<option value="drop" selected>').and.include('<option value="uk" selected>');
      expect(html).to.include('<option value="mine" selected>').and.include('<option value="overdue" selected>');
      expect(html).to.include('<option value="partial" selected>').and.include('name="q" value="abc"');
      expect(html).to.include('<input type="hidden" name="status" value="all">');
      expect(html).to.include('href="/desk?status=new&amp;reason=drop&amp;orderStatus=partial&amp;language=uk&amp;assignee=mine&amp;sla=overdue&amp;q=abc"');
    });
  });

  describe('search', () => {
    const found = async (q: string, status = '') =>
      numbersOn(await page(`/desk?${status ? `status=${status}&` : ''}q=${encodeURIComponent(q)}`));

    it('When a ticket number is searched in any case, then that ticket is found', async () => {
      expect(await found(t.C.number.toLowerCase())).to.deep.equal([t.C.number]);
      expect(await found(t.C.number)).to.deep.equal([t.C.number]);
    });

    it('When an order ID is searched, then the tickets holding it are found', async () => {
      expect(await found('820003')).to.deep.equal([t.I.number]);
      expect(await found('810002')).to.deep.equal([t.B.number]);
    });

    it('When an email is searched in capitals, then the tickets of that email are found', async () => {
      expect(await found('SHOUTY@example.COM')).to.deep.equal([t.F.number]);
    });

    it('When a link is searched, then tickets with that link, or with an order on it, are found', async () => {
      expect(await found('https://t.me/unique_channel')).to.deep.equal([]);
      expect(await found('https://t.me/unique_channel', 'all')).to.deep.equal([t.G.number]);
      expect(await found(t.E.link!)).to.deep.equal([t.E.number]);
      expect(await found('https://www.tiktok.com/@someone/video/42')).to.deep.equal([t.I.number]);
    });

    it('When words are searched, then the details and every message (internal notes too) are looked in', async () => {
      expect(await found('xylophone')).to.deep.equal([t.E.number]);
      expect(await found('XYLOPH')).to.deep.equal([t.E.number]);
      expect(await found('zeppelin provider')).to.deep.equal([t.I.number]);
    });

    it('When an Arabic or a Ukrainian word is searched, then its ticket is found', async () => {
      expect(await found('المتابعون')).to.deep.equal([t.D.number]);
      expect(await found('підписники')).to.deep.equal([t.C.number]);
      expect(await found('НАДІЙШЛИ')).to.deep.equal([t.C.number]);
    });

    it('When a search is combined with filters, then both apply', async () => {
      expect(await found('xylophone', 'new')).to.deep.equal([]);
      expect(numbersOn(await page(`/desk?q=${encodeURIComponent(t.D.number)}&language=en`))).to.deep.equal([]);
    });

    for (const hostile of ['"', 'AND', '*', '(', 'NEAR', 'NEAR(a b)', 'a OR b NOT c', '")(*^:', "'; DROP TABLE tickets; --", 'col:x', '-', '\\', '@', 'rd-', '%', '"unterminated', 'a\u0000b', '\u0000', 'x'.repeat(5000)]) {
      it(`When ${JSON.stringify(hostile.slice(0, 30))} is searched, then the page answers without error`, async () => {
        const res = await agent.get(`/desk?status=all&q=${encodeURIComponent(hostile)}`);
        expect(res.status).to.equal(200);
        expect(res.text).to.include('name="q" value=');
      });
    }
  });

  describe('query plans', () => {
    const plans = (filters: Partial<typeof DEFAULT_FILTERS>, after: { urgency: number; slaDueAt: number | null; id: number } | null = null) =>
      explainQueue(desk.db, { filters: { ...DEFAULT_FILTERS, ...filters }, staffId: me.id, now: Date.now(), after }).flat();

    it('When the default view is planned, then it walks tickets_queue_idx in order, without a sort', () => {
      for (const after of [null, { urgency: 1, slaDueAt: Date.now(), id: 3 }, { urgency: 0, slaDueAt: null, id: 3 }]) {
        const plan = plans({}, after);
        expect(plan.join('\n')).to.include('tickets_queue_idx').and.not.include('TEMP B-TREE');
        expect(plan.filter((d) => d.startsWith('SCAN t'))).to.deep.equal([]);
      }
    });

    it('When "mine" or "unassigned" is planned, then it walks tickets_assignee_queue_idx in order', () => {
      for (const assignee of ['mine', 'unassigned'] as const) {
        const plan = plans({ assignee, status: 'all' }).join('\n');
        expect(plan).to.include('tickets_assignee_queue_idx (assignee_id=? AND status=? AND urgency=?').and.not.include('TEMP B-TREE');
      }
    });

    it('When a language or reason filter is planned, then it walks that filter\'s queue index in order, without a sort', () => {
      const cases = [
        [{ language: 'ar' as const, status: 'closed' as const }, 'tickets_language_queue_idx (status=? AND language=? AND urgency=?'],
        [{ reason: 'not_started' as const }, 'tickets_reason_queue_idx (status=? AND reason=? AND urgency=?'],
        [{ reason: 'not_started' as const, language: 'uk' as const }, 'tickets_reason_queue_idx (status=? AND reason=? AND urgency=?'],
      ] as const;
      for (const [filters, index] of cases) {
        const plan = plans(filters).join('\n');
        expect(plan).to.include(index).and.not.include('TEMP B-TREE');
      }
    });

    it('When a search is planned, then it starts from what the search finds', () => {
      expect(plans({ q: 'RD-2222-2222' }).join('\n')).to.match(/SEARCH tickets USING COVERING INDEX tickets_number_unique/);
      expect(plans({ q: '81532' }).join('\n')).to.match(/SEARCH ticket_orders USING INDEX ticket_orders_order_idx/);
      expect(plans({ q: 'a@b.c' }).join('\n')).to.match(/SEARCH tickets USING COVERING INDEX tickets_email_status_idx/);
      expect(plans({ q: 'https://x.example/p' }).join('\n')).to.match(/tickets_link_idx/).and.match(/orders_link_idx/);
      expect(plans({ q: 'refund please' })[0]).to.match(/SCAN ticket_search VIRTUAL TABLE/);
    });
  });

  describe('keyset pages', () => {
    const paging: string[] = [];
    before(() => {
      const now = Date.now();
      for (let i = 0; i < 96; i += 1) {
        const ticket = file({ reason: 'slow_delivery', details: `pagingword number ${i}` });
        paging.push(ticket.number);
        if (i % 7 === 0) pushOrder(String(700000 + seq), 'Pending');
        // four deadlines only, so many rows share one and the id breaks the tie
        due(ticket, now + ((i % 4) - 1) * H);
        if (i % 5 === 0) setStatus(ticket, 'waiting_customer');
        if (i % 11 === 0) setStatus(ticket, 'resolved');
        if (i % 3 === 0) run('UPDATE tickets SET assignee_id = ? WHERE id = ?', me.id, ticket.id);
      }
    });

    const walks: [string, string, (() => unknown[])?][] = [
      ['/desk?reason=slow_delivery', `${OPEN} AND reason = 'slow_delivery'`],
      ['/desk?status=all&reason=slow_delivery', "reason = 'slow_delivery'"],
      ['/desk?status=all&q=pagingword', "reason = 'slow_delivery'"],
      ['/desk?q=pagingword&assignee=unassigned', `${OPEN} AND reason = 'slow_delivery' AND assignee_id IS NULL`],
      ['/desk', OPEN],
    ];
    for (const [url, where, params] of walks) {
      it(`When ${url} is paged through, then every ticket comes exactly once, in order, with the filters kept`, async () => {
        const want = oracle(where, ...(params?.() ?? []));
        const links: string[] = [];
        const sizes: number[] = [];
        const seen = await walk(url, (html, next) => {
          sizes.push(numbersOn(html).length);
          if (next) links.push(next);
        });
        expect(want.length).to.be.above(50);
        expect(seen).to.deep.equal(want);
        expect(new Set(seen).size).to.equal(seen.length);
        expect(sizes.slice(0, -1).every((n) => n === 50)).to.equal(true);
        const filters = new URL(url, 'http://x').searchParams;
        for (const link of links) {
          const got = new URL(link, 'http://x').searchParams;
          for (const [k, v] of filters) expect(got.get(k), `${k} in ${link}`).to.equal(v);
          expect(got.get('after')).to.match(/^\d\.(n|\d+)\.\d+$/);
        }
      });
    }

    it('When the search view is paged, then every slow-delivery ticket is reached', async () => {
      expect((await walk('/desk?status=all&q=pagingword')).sort()).to.deep.equal([...paging].sort());
    });

    it('When a page other than the first is shown, then it links back to the first page with the filters', async () => {
      const first = await page('/desk?reason=slow_delivery');
      const second = await page(nextLink(first)!);
      expect(second).to.include('href="/desk?reason=slow_delivery">First page</a>');
    });
  });

  describe('tab counts', () => {
    const real = (where = '1 = 1', ...params: unknown[]) => {
      const by = Object.fromEntries(sql(`SELECT status, count(*) n FROM tickets WHERE ${where} GROUP BY status`, ...params).map((r) => [r.status as string, r.n as number] as const));
      const n = (s: string) => by[s] ?? 0;
      const fmt = (x: number) => new Intl.NumberFormat('en-GB').format(x);
      return {
        open: fmt(n('new') + n('in_review') + n('waiting_customer')),
        new: fmt(n('new')),
        in_review: fmt(n('in_review')),
        waiting_customer: fmt(n('waiting_customer')),
        resolved: fmt(n('resolved')),
        closed: fmt(n('closed')),
        merged: fmt(n('merged')),
        all: fmt(Object.values(by).reduce((a, b) => a + b, 0)),
      };
    };

    it('When the unfiltered queue is shown, then each tab shows the real number of its tickets', async () => {
      expect(tabCounts(await page('/desk'))).to.deep.equal(real());
      expect(tabCounts(await page('/desk?status=closed'))).to.deep.equal(real());
    });

    it('When a ticket changes status, then the tab counts follow', async () => {
      const before = tabCounts(await page('/desk'));
      setStatus(t.H, 'closed');
      const after = tabCounts(await page('/desk'));
      expect(after).to.deep.equal(real());
      expect(Number(after.closed)).to.equal(Number(before.closed) + 1);
      expect(Number(after.new)).to.equal(Number(before.new) - 1);
      const language = sql('SELECT language FROM tickets WHERE id = ?', t.H.id)[0]!.language as string;
      expect(tabCounts(await page(`/desk?language=${language}`))).to.deep.equal(real('language = ?', language));
      // The stored counts are kept by language and reason too.
      run("UPDATE tickets SET reason = 'billing_error' WHERE id = ?", t.H.id);
      expect(tabCounts(await page('/desk?reason=billing_error'))).to.deep.equal(real("reason = 'billing_error'"));
      expect(tabCounts(await page('/desk?reason=billing_error')).closed).to.not.equal('0');
    });

    it('When filters are active, then the tabs count the filtered tickets', async () => {
      expect(tabCounts(await page('/desk?reason=slow_delivery'))).to.deep.equal(real("reason = 'slow_delivery'"));
      expect(tabCounts(await page('/desk?assignee=mine&status=all'))).to.deep.equal(real('assignee_id = ?', me.id));
      expect(tabCounts(await page('/desk?q=pagingword'))).to.deep.equal(real("reason = 'slow_delivery'"));
      expect(tabCounts(await page('/desk?q=%22'))).to.deep.equal(real('0'));
    });

    it('When more than 1,000 tickets match an order-status filter, then its counts stop at "1,000+"', async () => {
      const now = Date.now();
      const customer = sql('SELECT id FROM customers LIMIT 1')[0]!.id;
      const ticket = desk.db.$client.prepare(
        "INSERT INTO tickets (number, customer_id, email, language, reason, details, preferred_resolution, status, created_at, updated_at) VALUES (?, ?, 'canceled@example.com', 'en', 'cancel_request', 'bulk', 'balance', 'closed', ?, ?)",
      );
      const order = desk.db.$client.prepare(
        "INSERT INTO orders (id, customer_email, link, quantity, charge_micros, currency, status, status_text, created_at, updated_at) VALUES (?, 'canceled@example.com', 'https://t.me/x', 100, 1000000, 'USD', 'canceled', 'Canceled', ?, ?)",
      );
      const link = desk.db.$client.prepare('INSERT INTO ticket_orders (ticket_id, order_id, open, known_at_intake, email_matches) VALUES (?, ?, 0, 1, 1)');
      desk.db.$client.transaction(() => {
        for (let i = 0; i < 1_001; i += 1) {
          const id = Number(ticket.run(`RD-CANC-${String(i).padStart(5, '0')}`, customer, now, now).lastInsertRowid);
          order.run(String(70_000_000 + i), now, now);
          link.run(id, String(70_000_000 + i));
        }
      })();
      const counts = tabCounts(await page('/desk?orderStatus=canceled&status=closed'));
      expect(counts.closed).to.equal('1,000+');
      expect(counts.new).to.equal(
        new Intl.NumberFormat('en-GB').format(
          sql("SELECT count(*) n FROM tickets t WHERE t.status = 'new' AND EXISTS (SELECT 1 FROM ticket_orders x JOIN orders o ON o.id = x.order_id WHERE x.ticket_id = t.id AND o.status = 'canceled')")[0]!.n as number,
        ),
      );
    });

    it('When more than 10,000 tickets match a filter, then the count stops at "10,000+"', async () => {
      const now = Date.now();
      const customer = sql('SELECT id FROM customers LIMIT 1')[0]!.id;
      const insert = desk.db.$client.prepare(
        "INSERT INTO tickets (number, customer_id, email, language, reason, details, preferred_resolution, status, created_at, updated_at) VALUES (?, ?, 'bulk@example.com', 'uk', 'billing_error', 'bulk', 'balance', 'closed', ?, ?)",
      );
      desk.db.$client.transaction(() => {
        for (let i = 0; i < 10_001; i += 1) insert.run(`RD-BULK-${String(i).padStart(5, '0')}`, customer, now, now);
      })();
      const html = await page('/desk?status=closed&reason=billing_error&assignee=unassigned');
      const counts = tabCounts(html);
      expect(counts.closed).to.equal('10,000+');
      expect(counts.all).to.equal('10,000+');
      expect(counts.new).to.equal(real("reason = 'billing_error' AND assignee_id IS NULL").new);
      expect(numbersOn(html)).to.have.length(50);
      expect(nextLink(html)).to.include('reason=billing_error').and.include('status=closed');
      // Without filters, or filtered by language or reason only, the stored counts are exact.
      expect(tabCounts(await page('/desk')).closed).to.equal(real().closed);
      expect(tabCounts(await page('/desk?status=closed&reason=billing_error'))).to.deep.equal(real("reason = 'billing_error'"));
      expect(tabCounts(await page('/desk?language=uk&reason=billing_error'))).to.deep.equal(
        real("language = 'uk' AND reason = 'billing_error'"),
      );
      // A search that finds more than the cap takes the general path: a page, capped counts.
      const searched = await page('/desk?status=closed&q=bulk');
      expect(tabCounts(searched).closed).to.equal('10,000+');
      expect(numbersOn(searched)).to.have.length(50);
      expect(nextLink(searched)).to.include('q=bulk');
      const arabic = `أكثر من ${new Intl.NumberFormat('ar').format(10_000)}`;
      expect(tabCounts(await page('/desk?lng=ar&status=closed&reason=billing_error&assignee=unassigned')).closed).to.equal(arabic);
      await page('/desk?lng=en');
    });
  });
});
