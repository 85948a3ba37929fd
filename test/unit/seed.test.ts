import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { count } from 'drizzle-orm';
import { attachments, messages, staffUsers, ticketOrders, tickets } from '../../db/schema';
import { DEMO_STAFF, seedDemo } from '../../db/seed';
import { findStaffByEmail } from '../../server/auth/staff';
import { verifyPassword } from '../../server/security/passwords';
import { findTicketByAccess } from '../../server/tickets/queries';
import { filesIn, startTestDesk, type TestDesk } from '../support/desk';

describe('demo seed', () => {
  let desk: TestDesk;

  before(async () => {
    desk = await startTestDesk();
  });
  after(async () => {
    await desk?.cleanup();
  });

  const rows = (table: typeof tickets | typeof attachments | typeof messages | typeof staffUsers | typeof ticketOrders) =>
    desk.db.select({ n: count() }).from(table).get()?.n ?? 0;

  it('files tickets in all three languages with screenshots, replies and emails', async () => {
    const result = await seedDemo(desk, { publicUrl: 'http://desk.test' });
    expect(result.created).to.equal(true);
    if (!result.created) return;

    const all = desk.db.select().from(tickets).all();
    expect(all).to.have.length(result.tickets.length).and.length.of.at.least(9);
    expect(new Set(all.map((t) => t.language))).to.deep.equal(new Set(['en', 'ar', 'uk']));
    const billing = all.filter((t) => t.reason === 'billing_error');
    expect(billing).to.have.length.greaterThan(0);
    for (const t of billing) {
      expect(t.paymentReference).to.be.a('string');
      expect(t.amountMicros).to.be.greaterThan(0);
    }

    const files = desk.db.select().from(attachments).all();
    expect(files).to.have.length.greaterThan(0);
    const onDisk = new Set(filesIn(desk.store.dir));
    for (const a of files) {
      expect(a.ticketId, 'claimed by a ticket').to.be.a('number');
      expect(a.stageKeyHash).to.equal(null);
      expect(a.mime).to.equal('image/png');
      expect(onDisk.has(a.storageName)).to.equal(true);
      expect(fs.existsSync(await desk.store.thumbnail(a))).to.equal(true);
      expect(fs.readFileSync(desk.store.pathOf(a.storageName)).subarray(1, 4).toString()).to.equal('PNG');
    }
    expect(rows(messages)).to.be.at.least(2);

    // Every order a demo ticket names is a known order of that customer, so the review has facts.
    const links = desk.db.select().from(ticketOrders).all();
    expect(links).to.have.length.greaterThan(5);
    for (const l of links) expect(l, l.orderId).to.include({ knownAtIntake: true, emailMatches: true });

    // Each private link opens its ticket.
    for (const t of result.tickets) {
      const url = new URL(t.link);
      expect(findTicketByAccess(desk.db, t.number, url.searchParams.get('k')!)?.language).to.equal(t.language);
    }

    // The confirmation emails went out as .eml files.
    expect(result.emailsSent).to.equal(all.length);
    expect(filesIn(path.join(desk.dir, 'data', 'mail')).filter((f) => f.endsWith('.eml'))).to.have.length(all.length);

    for (const s of result.staff) {
      const user = findStaffByEmail(desk.db, s.email);
      expect(user?.role).to.equal(s.role);
      expect(await verifyPassword(s.password, user!.passwordHash)).to.equal(true);
    }
  });

  it('adds nothing the second time', async () => {
    const before = [tickets, attachments, messages, staffUsers, ticketOrders].map(rows);
    const result = await seedDemo(desk, { publicUrl: 'http://desk.test' });
    expect(result.created).to.equal(false);
    expect(result.staff.map((s) => s.email)).to.deep.equal(DEMO_STAFF.map((s) => s.email));
    expect([tickets, attachments, messages, staffUsers, ticketOrders].map(rows)).to.deep.equal(before);
  });
});
