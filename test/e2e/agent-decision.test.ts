// An agent works an Arabic ticket about a partial order in a real browser: logs in
// (English), opens it, ticks the checklist item the desk could not settle, issues
// the recommended partial refund; then the customer's page shows it in Arabic, RTL.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createStaffUser } from '../../server/auth/staff';
import { upsertOrders } from '../../server/orders/store';
import { privateLink } from '../../server/tickets/notify';
import { TicketService } from '../../server/tickets/service';
import { browserOrSkip, serveTestDesk, type ServedDesk } from '../support/browser';

interface PageGlobals {
  document: { documentElement: unknown };
  getComputedStyle(el: unknown): { direction: string };
}

describe('An agent issues a partial refund in a real browser', function () {
  let browser: Browser | undefined;
  let served: ServedDesk | undefined;
  const contexts: BrowserContext[] = [];
  let number = '';
  let customerLink = '';

  before(async function () {
    browser = await browserOrSkip(this);
    served = await serveTestDesk();
    const { desk } = served;
    await createStaffUser(desk.db, { email: 'agent@desk.test', name: 'Alex Agent', role: 'agent', password: 'agent-password-1' }, Date.now());
    // The order's customer email differs from the ticket's: ownership is for the agent to confirm.
    upsertOrders(
      desk.db,
      [{ id: '4822907', customerEmail: 'old-address@example.com', link: 'https://youtube.com/watch?v=q8', quantity: 10000, charge: '18.00', remains: 6800, status: 'Partial', createdAt: '2026-11-19T10:00:00Z' }],
      { now: Date.now(), currency: 'USD' },
    );
    const service = new TicketService({ db: desk.db, store: desk.store, clock: Date.now, publicUrl: served.baseUrl });
    const { ticket, token } = service.create(
      {
        email: 'layla@example.com',
        orderIds: ['4822907'],
        link: 'https://youtube.com/watch?v=q8',
        reason: 'partial_delivery',
        details: 'توقف الطلب عند 3,200 مشاهدة من أصل 10,000.',
        preferredResolution: 'balance',
        paymentReference: null,
        amountMicros: null,
      },
      'ar',
      'no-staged-files',
    );
    number = ticket.number;
    customerLink = `${privateLink(served.baseUrl, number, token)}&lng=ar`;
  });

  after(async function () {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await served?.close();
  });

  async function newPage(locale: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser!.newContext({ locale, baseURL: served!.baseUrl });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    // Missing resources are reported by URL; the refused decision's 422 page is expected.
    page.on('response', (res) => {
      if (res.status() === 404 && !res.url().endsWith('/favicon.ico')) problems.push(`404 ${res.url()}`);
    });
    return { page, problems };
  }

  it('When the agent ticks the ownership check and issues the recommendation, then the customer sees 12.24 credited, in Arabic, right to left', async () => {
    const { page, problems } = await newPage('en-GB');
    await page.goto('/login?lng=en');
    await page.locator('#email').fill('agent@desk.test');
    await page.locator('#password').fill('agent-password-1');
    await Promise.all([page.waitForURL('**/desk'), page.locator('form[action="/login"] button[type="submit"]').click()]);

    await page.goto(`/desk/tickets/${number}`);
    const order = page.locator('#order-4822907');
    await expect(await order.locator('.recommendation').innerText()).to.include('12.24');
    // Issuing before the ownership check is ticked is refused by the server.
    await Promise.all([page.waitForLoadState('load'), order.locator('form.decision-form button[type="submit"]').click()]);
    expect(await page.locator('#order-4822907 .field-error').first().innerText()).to.match(/required checklist item/);

    const tickForm = page.locator('#order-4822907 form[action$="/checklist"]:has(input[name="item"][value="customerOwnsOrder"])');
    await Promise.all([page.waitForURL(`**/desk/tickets/${number}#order-4822907`), tickForm.locator('button').click()]);
    expect(await page.locator('#order-4822907 .checklist li.evidence-pass').count()).to.equal(3);

    const form = page.locator('#order-4822907 form.decision-form');
    expect(await form.locator('input[name="outcome"][value="partial_refund"]').isChecked()).to.equal(true);
    expect(await form.locator('input[name="amount"]').inputValue()).to.equal('12.24');
    await Promise.all([page.waitForURL(`**/desk/tickets/${number}#order-4822907`), form.locator('button[type="submit"]').click()]);
    expect(await page.locator('#order-4822907 .decision-issued').innerText()).to.include('12.24');
    expect(problems).to.deep.equal([]);

    const customer = await newPage('ar');
    await customer.page.goto(customerLink);
    const direction = await customer.page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.getComputedStyle(g.document.documentElement).direction;
    });
    expect(direction).to.equal('rtl');
    const decision = await customer.page.locator('#decision').innerText();
    expect(decision).to.include('4822907').and.to.include('12.24').and.to.include('رصيدك');
    expect(customer.problems).to.deep.equal([]);
  });
});
