// A manager in a real browser: the dashboard in Arabic draws its charts right to
// left, and a CSV of the decisions downloads with the Arabic text intact.
import fs from 'node:fs';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext } from 'playwright-core';
import { createStaffUser } from '../../server/auth/staff';
import { upsertOrders, upsertServices } from '../../server/orders/store';
import { TicketService } from '../../server/tickets/service';
import { browserOrSkip, serveTestDesk, type ServedDesk } from '../support/browser';

interface PageGlobals {
  document: { documentElement: unknown };
  getComputedStyle(el: unknown): { direction: string };
}

describe('A manager reads the dashboard and exports decisions in a real browser', function () {
  let browser: Browser | undefined;
  let served: ServedDesk | undefined;
  const contexts: BrowserContext[] = [];

  before(async function () {
    browser = await browserOrSkip(this);
    served = await serveTestDesk();
    const { desk } = served;
    const now = Date.now();
    await createStaffUser(desk.db, { email: 'manager@desk.test', name: 'Morgan', role: 'manager', password: 'manager-password-1' }, now);
    const staffId = (desk.db.$client.prepare("select id from staff_users where email = 'manager@desk.test'").get() as { id: number }).id;
    upsertServices(desk.db, [
      { id: 's1', name: 'Instagram Followers', providerId: 'cheap', refillDays: 30, cancelAllowed: true },
      { id: 's2', name: 'YouTube Views', providerId: 'solid', refillDays: 0, cancelAllowed: false },
    ], { now });
    const service = new TicketService({ db: desk.db, store: desk.store, clock: () => now - 3_600_000, publicUrl: served.baseUrl });
    const orders = [
      ['700001', 's1', 'cheap', '10.00', 'Partial', 500, 'مرحبا، توقف الطلب عند النصف'],
      ['700002', 's2', 'solid', '20.00', 'Completed', 0, 'Views arrived, thanks'],
    ] as const;
    for (const [id, serviceId, providerId, charge, status, remains, details] of orders) {
      upsertOrders(desk.db, [{ id, customerEmail: `c${id}@example.com`, serviceId, providerId, link: `https://example.com/${id}`, quantity: 1000, charge, remains, status, createdAt: new Date(now - 86_400_000).toISOString() }], { now, currency: 'USD' });
      const { ticket } = service.create(
        { email: `c${id}@example.com`, orderIds: [id], link: `https://example.com/${id}`, reason: 'partial_delivery', details, preferredResolution: 'balance', paymentReference: null, amountMicros: null },
        'ar',
        'no-files',
      );
      const money = status === 'Partial';
      const decisionId = desk.db.$client
        .prepare(
          `insert into decisions (ticket_id, order_key, order_id, state, outcome, destination, amount_micros, currency, rule, order_status, decided_by, decided_at, issued_at)
           values (?, ?, ?, 'issued', ?, ?, ?, 'USD', ?, ?, ?, ?, ?)`,
        )
        .run(ticket.id, id, id, money ? 'partial_refund' : 'reject', money ? 'balance' : null, money ? 5_000_000 : 0, money ? 'partial.undelivered' : 'completed.delivered', status.toLowerCase(), staffId, now - 1000, now - 1000).lastInsertRowid;
      if (money) {
        desk.db.$client
          .prepare("insert into ledger_entries (decision_id, ticket_id, order_id, kind, amount_micros, currency, created_at) values (?, ?, ?, 'balance_credit', 5000000, 'USD', ?)")
          .run(decisionId, ticket.id, id, now - 1000);
      }
      desk.db.$client.prepare("update tickets set status = 'resolved', resolved_at = ? where id = ?").run(now - 1000, ticket.id);
    }
  });

  after(async function () {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await served?.close();
  });

  it('When the manager opens the dashboard in Arabic, then it is right to left and the refund-rate bars grow from the right; the CSV downloads intact', async () => {
    const context = await browser!.newContext({ locale: 'ar', baseURL: served!.baseUrl, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto('/login?lng=ar');
    await page.locator('#email').fill('manager@desk.test');
    await page.locator('#password').fill('manager-password-1');
    await Promise.all([page.waitForURL('**/desk'), page.locator('form[action="/login"] button[type="submit"]').click()]);

    await page.goto('/desk/reports');
    const direction = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.getComputedStyle(g.document.documentElement).direction;
    });
    expect(direction).to.equal('rtl');
    const bars = page.locator('svg.chart.bar-chart');
    expect(await bars.count()).to.be.greaterThan(0);
    const chart = bars.first();
    expect(await chart.getAttribute('direction')).to.equal('rtl');
    // Mirrored in the SVG's own coordinates: each bar ends at the axis on the right.
    const box = await chart.boundingBox();
    const bar = await chart.locator('rect.chart-bar').first().boundingBox();
    expect(box && bar).to.not.equal(null);
    expect(bar!.x + bar!.width).to.be.closeTo(box!.x + box!.width * ((await axisX(chart)) / (await viewWidth(chart))), 3);
    expect(bar!.x + bar!.width).to.be.greaterThan(box!.x + box!.width / 2);
    // The cheap provider refunded half its charge: the worst comes first, in its table too.
    expect(await page.locator('table[data-table="rates-provider"] tbody tr').first().innerText()).to.include('cheap');

    await page.goto('/desk/exports');
    await page.locator('input[name="kind"][value="decisions"]').check();
    await page.locator('input[name="format"][value="csv"]').check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('form.export-form button[type="submit"]').click()]);
    const file = await download.path();
    const text = fs.readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).to.equal(0xfeff);
    const rows = parse(text.slice(1), { relaxQuotes: false }) as string[][];
    expect(rows).to.have.length(3);
    expect(rows.flat().join(' ')).to.include('مرحبا، توقف الطلب عند النصف').and.to.include('5.000000');
    expect(problems).to.deep.equal([]);
  });
});

async function axisX(chart: import('playwright-core').Locator): Promise<number> {
  return Number(await chart.locator('line.chart-axis').first().getAttribute('x1'));
}

async function viewWidth(chart: import('playwright-core').Locator): Promise<number> {
  return Number((await chart.getAttribute('viewBox'))!.split(' ')[2]);
}
