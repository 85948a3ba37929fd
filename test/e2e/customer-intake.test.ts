// A customer files a refund/cancellation ticket in a real browser (Chromium via
// playwright-core) against a real desk on loopback; then a staff member finds it.
// Elements are found by name/id/attributes, not by translated text, because the
// Arabic wording changes independently of these tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { browserOrSkip, serveTestDesk, type ServedDesk } from '../support/browser';
import { png } from '../support/images';

const TICKET_NUMBER = /RD-[0-9A-Z]{4}-[0-9A-Z]{4}/;

// The test code is compiled without the DOM lib; these describe the little of it
// that runs inside the page.
interface PageGlobals {
  document: { documentElement: unknown };
  getComputedStyle(el: unknown): { direction: string };
}
interface ImageElement {
  complete: boolean;
  naturalWidth: number;
}

interface TicketRow {
  id: number;
  number: string;
  language: string;
  email: string;
  reason: string;
}

describe('Customer intake in a real browser', function () {
  let browser: Browser | undefined;
  let served: ServedDesk | undefined;
  let files: string;
  let screenshotPath: string;
  const filed: string[] = [];
  const contexts: BrowserContext[] = [];

  before(async function () {
    browser = await browserOrSkip(this);
    served = await serveTestDesk();
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-e2e-files-'));
    screenshotPath = path.join(files, 'order-screenshot.png');
    fs.writeFileSync(screenshotPath, await png(120, 80, '#2a9d8f'));
  });

  after(async function () {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await served?.close();
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  /** A fresh browser profile (own cookies) that fails the test on page errors. */
  async function newPage(locale: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser!.newContext({ locale, baseURL: served!.baseUrl });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // Every subresource must load; a form page answered 422 is expected, the
    // favicon is not part of the product.
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (res.status() < 400 || url.pathname === '/favicon.ico') return;
      if (res.request().isNavigationRequest() && res.status() === 422) return;
      problems.push(`${res.status()} for ${res.request().method()} ${url.pathname}${url.search}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
        problems.push(`console error on ${page.url()}: ${msg.text()}`);
      }
    });
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
    return { page, problems };
  }

  function db() {
    return served!.desk.db.$client;
  }

  function ticketRow(number: string): TicketRow | undefined {
    return db().prepare('select id, number, language, email, reason from tickets where number = ?').get(number) as
      | TicketRow
      | undefined;
  }

  function attachmentsOf(ticketId: number): { original_name: string; message_id: number | null }[] {
    return db()
      .prepare('select original_name, message_id from attachments where ticket_id = ? order by id')
      .all(ticketId) as { original_name: string; message_id: number | null }[];
  }

  async function expectImageLoaded(img: Locator) {
    await img.scrollIntoViewIfNeeded();
    const handle = await img.elementHandle();
    await img.page().waitForFunction((el) => (el as unknown as ImageElement).complete, handle, { timeout: 10_000 });
    const width = await img.evaluate((el) => (el as unknown as ImageElement).naturalWidth);
    expect(width, `naturalWidth of ${await img.getAttribute('src')}`).to.be.greaterThan(0);
  }

  async function submitIntake(page: Page) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/tickets'),
      page.locator('form[action="/tickets"] button[type="submit"]').click(),
    ]);
    await page.waitForLoadState('load');
    return response;
  }

  /** Reads the confirmation page: the ticket number and the private link. */
  async function confirmation(page: Page): Promise<{ number: string; link: string }> {
    expect(new URL(page.url()).pathname).to.match(/^\/t\/RD-[0-9A-Z]{4}-[0-9A-Z]{4}\/confirmation$/);
    const text = (await page.locator('.ticket-number').textContent()) ?? '';
    const number = TICKET_NUMBER.exec(text)?.[0];
    expect(number, `ticket number in "${text}"`).to.be.a('string');
    const link = (await page.locator('.private-link a').getAttribute('href')) ?? '';
    expect(await page.locator('.private-link a').textContent()).to.equal(link);
    expect(link.startsWith(`${served!.baseUrl}/t/${number}?k=`), link).to.equal(true);
    return { number: number!, link };
  }

  it('When a customer files a ticket in Arabic with a screenshot, then the form is right-to-left, the ticket is stored in Arabic with its screenshot, and the private link shows the thumbnail', async function () {
    const { page, problems } = await newPage('ar');
    await page.goto('/tickets/new?lng=ar');

    expect(await page.locator('html').getAttribute('lang')).to.equal('ar');
    expect(await page.locator('html').getAttribute('dir')).to.equal('rtl');
    const direction = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      return w.getComputedStyle(w.document.documentElement).direction;
    });
    expect(direction).to.equal('rtl');
    // Emails, order IDs and links stay left-to-right inside the RTL page.
    for (const id of ['email', 'orderIds', 'link']) {
      expect(await page.locator(`#${id}`).getAttribute('dir'), id).to.equal('ltr');
    }

    await page.locator('#email').fill('Customer.AR@Example.com');
    await page.locator('#orderIds').fill('100234, 100235');
    await page.locator('#link').fill('instagram.com/p/Cx1abc');
    await page.locator('#reason').selectOption('not_started');
    await page.locator('#details').fill('الطلب لم يبدأ بعد يومين، أرجو الإلغاء واسترداد المبلغ.');
    await page.locator('input[name="preferredResolution"][value="original_method"]').check();
    await page.locator('#screenshots').setInputFiles(screenshotPath);

    const shot = path.join(os.tmpdir(), `refunddesk-intake-ar-${Date.now()}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`      screenshot of the Arabic intake form: ${shot}`);

    const response = await submitIntake(page);
    expect(response.status(), 'POST /tickets answers with a redirect').to.equal(303);
    const { number, link } = await confirmation(page);
    expect(await page.locator('html').getAttribute('dir')).to.equal('rtl');
    filed.push(number);

    const row = ticketRow(number);
    expect(row, `tickets row for ${number}`).to.include({
      number,
      language: 'ar',
      email: 'customer.ar@example.com',
      reason: 'not_started',
    });
    const attached = attachmentsOf(row!.id);
    expect(attached).to.have.length(1);
    expect(attached[0]).to.deep.equal({ original_name: 'order-screenshot.png', message_id: null });

    await page.goto(link);
    expect(new URL(page.url()).pathname).to.equal(`/t/${number}`);
    expect(await page.locator('h1').textContent()).to.contain(number);
    const thumb = page.locator('ul.thumbs img');
    expect(await thumb.count()).to.equal(1);
    expect(await thumb.getAttribute('alt')).to.equal('order-screenshot.png');
    await expectImageLoaded(thumb);

    expect(problems).to.deep.equal([]);
  });

  it('When a customer in English sends an invalid email with a screenshot, then the form comes back with the error and the screenshot staged, and fixing the email files the ticket with that screenshot', async function () {
    const { page, problems } = await newPage('en-US');
    await page.goto('/tickets/new?lng=en');
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    expect(await page.locator('html').getAttribute('dir')).to.equal('ltr');

    await page.locator('#email').fill('not-an-email');
    await page.locator('#orderIds').fill('555001');
    await page.locator('#link').fill('https://www.tiktok.com/@someone/video/123');
    await page.locator('#reason').selectOption('drop');
    await page.locator('#details').fill('Followers dropped from 1000 to 600 within a week.');
    await page.locator('input[name="preferredResolution"][value="refill"]').check();
    await page.locator('#paymentReference').fill('PP-889900');
    await page.locator('#amount').fill('12.50');
    await page.locator('#screenshots').setInputFiles(screenshotPath);

    const rejected = await submitIntake(page);
    expect(rejected.status()).to.equal(422);
    expect(new URL(page.url()).pathname).to.equal('/tickets');

    // The error sits in the email field's own block and is wired to the input.
    const emailError = page.locator('.field.has-error:has(#email) > .field-error#email-error');
    expect(await emailError.isVisible()).to.equal(true);
    expect(await emailError.textContent()).to.contain('Enter a valid email address');
    expect(await page.locator('#email').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.locator('#email').getAttribute('aria-describedby')).to.contain('email-error');
    expect(await page.locator('.field-error').count(), 'only the email is wrong').to.equal(1);

    // Everything else is kept as typed.
    expect(await page.locator('#email').inputValue()).to.equal('not-an-email');
    expect(await page.locator('#orderIds').inputValue()).to.equal('555001');
    expect(await page.locator('#link').inputValue()).to.equal('https://www.tiktok.com/@someone/video/123');
    expect(await page.locator('#reason').inputValue()).to.equal('drop');
    expect(await page.locator('#details').inputValue()).to.equal('Followers dropped from 1000 to 600 within a week.');
    expect(await page.locator('input[name="preferredResolution"]:checked').getAttribute('value')).to.equal('refill');
    expect(await page.locator('#paymentReference').inputValue()).to.equal('PP-889900');
    expect(await page.locator('#amount').inputValue()).to.equal('12.50');

    // The screenshot is staged: shown as already attached, not asked for again.
    expect(await page.locator('input[name="stageKey"]').inputValue()).to.match(/^[\w-]{32,64}$/);
    expect(await page.locator('.staged-title').textContent()).to.contain('Already attached');
    const staged = page.locator('ul.thumbs.staged img');
    expect(await staged.count()).to.equal(1);
    expect(await staged.getAttribute('alt')).to.equal('order-screenshot.png');
    await expectImageLoaded(staged);
    expect(await page.locator('ul.thumbs.staged input[name="removeScreenshots"]').isChecked()).to.equal(false);
    expect(await page.locator('#screenshots').inputValue(), 'the file input starts empty again').to.equal('');
    const stagedRows = db().prepare('select count(*) as n from attachments where ticket_id is null').get() as { n: number };
    expect(stagedRows.n).to.equal(1);

    await page.locator('#email').fill('buyer@example.org');
    const accepted = await submitIntake(page);
    expect(accepted.status()).to.equal(303);
    const { number } = await confirmation(page);
    filed.push(number);

    const row = ticketRow(number);
    expect(row).to.include({ number, language: 'en', email: 'buyer@example.org', reason: 'drop' });
    const attached = attachmentsOf(row!.id);
    expect(attached).to.deep.equal([{ original_name: 'order-screenshot.png', message_id: null }]);
    const leftStaged = db().prepare('select count(*) as n from attachments where ticket_id is null').get() as { n: number };
    expect(leftStaged.n, 'the staged screenshot moved onto the ticket').to.equal(0);

    expect(problems).to.deep.equal([]);
  });

  it('When a staff member logs in, then the desk lists the filed tickets and shows their screenshots', async function () {
    expect(filed, 'tickets filed by the tests above').to.have.length.greaterThan(0);
    const { page, problems } = await newPage('en-US');

    await page.goto('/desk');
    expect(new URL(page.url()).pathname, 'the desk asks for a login first').to.equal('/login');

    await page.goto('/login');
    await page.locator('#email').fill('admin@desk.test');
    await page.locator('#password').fill('admin-password-123');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/desk'),
      page.locator('form[action="/login"] button[type="submit"]').click(),
    ]);

    for (const number of filed) {
      const row = page.locator('table.table tbody tr', { has: page.locator(`a[href="/desk/tickets/${number}"]`) });
      expect(await row.count(), `desk row for ${number}`).to.equal(1);
    }
    const arabic = filed[0]!;
    expect(await page.locator(`a[href="/desk/tickets/${arabic}"]`).textContent()).to.contain(arabic);

    await page.locator(`a[href="/desk/tickets/${arabic}"]`).click();
    await page.waitForURL((url) => url.pathname === `/desk/tickets/${arabic}`);
    expect(await page.locator('h1').textContent()).to.contain(arabic);
    expect(await page.locator('.workspace-side .card').first().textContent()).to.contain('customer.ar@example.com');
    await expectImageLoaded(page.locator('ul.thumbs img').first());

    expect(problems).to.deep.equal([]);
  });
});
