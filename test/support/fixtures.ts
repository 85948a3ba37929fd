// Real rows and files to point requests at: tickets (with their private tokens),
// staged and attached screenshots, decisions, CSV imports, export jobs, canned
// responses, providers, API tokens and staff. Everything goes through the desk's
// own services where one exists, so the rows are the ones the app would write.
// Each call makes fresh data, so a test that changes it changes nothing else.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { staffUsers } from '../../db/schema';
import { createApiToken, type Scope } from '../../server/api/tokens';
import { DUMMY_HASH } from '../../server/security/passwords';
import { newToken } from '../../server/security/tokens';
import { WorkService } from '../../server/desk/work';
import { exportsDir } from '../../server/exports/jobs';
import { importsDir, saveImport } from '../../server/orders/csv-files';
import { upsertOrders } from '../../server/orders/store';
import { allReviews, reviewTicket } from '../../server/review/facts';
import { intakeValues, parseIntake } from '../../server/tickets/form';
import { findTicketByNumber } from '../../server/tickets/queries';
import { encodeUploads, stageAttachments } from '../../server/tickets/screenshots';
import { TicketService } from '../../server/tickets/service';
import type { TestDesk } from './desk';
import { png } from './images';

export interface TicketFixture {
  id: number;
  number: string;
  token: string;
  version: number;
}

/** The columns of an order import the preview and commit forms map, in file order. */
const IMPORT_MAPPING = ['id', 'customerEmail', 'link', 'quantity', 'charge', 'status', 'createdAt'] as const;

export class Fixtures {
  private seq = 0;
  private readonly tickets: TicketService;
  private readonly work: WorkService;

  constructor(private readonly desk: TestDesk, private readonly base = 7_000_000) {
    const deps = { db: desk.db, store: desk.store, clock: Date.now, publicUrl: 'http://desk.test' };
    this.tickets = new TicketService(deps);
    this.work = new WorkService(deps);
  }

  private get sql() {
    return this.desk.db.$client;
  }

  /** A numeric order ID no ticket has used yet. */
  orderId(): string {
    return String(this.base + ++this.seq);
  }

  /** An email without open tickets (the open-ticket cap is per email). */
  email(): string {
    return `fixture${this.base + ++this.seq}@example.com`;
  }

  /** A ticket filed through the intake service; optionally a billing error, with a screenshot, or in a status. */
  async ticket(opts: { billing?: boolean; screenshot?: boolean; status?: 'resolved' | 'closed'; fields?: Record<string, string> } = {}): Promise<TicketFixture> {
    const fields = opts.billing
      ? { reason: 'billing_error', orderIds: '', link: '', paymentReference: 'TX-FIXTURE', amount: '5', preferredResolution: 'balance' }
      : { reason: 'not_started', orderIds: this.orderId(), link: 'https://instagram.com/p/fixture', preferredResolution: 'balance' };
    const { input, errors } = parseIntake(intakeValues({ email: this.email(), details: 'Fixture ticket.', ...fields, ...opts.fields }));
    if (!input) throw new Error(`fixture ticket is invalid: ${JSON.stringify(errors)}`);
    const stageKey = opts.screenshot ? (await this.staged()).stageKey : '';
    const { ticket, token } = this.tickets.create(input, 'en', stageKey);
    if (opts.status === 'resolved') {
      this.sql.prepare('update tickets set status = ?, resolved_at = ? where id = ?').run('resolved', Date.now(), ticket.id);
    } else if (opts.status) {
      this.sql.prepare('update tickets set status = ?, closed_at = ? where id = ?').run(opts.status, Date.now(), ticket.id);
    }
    return { id: ticket.id, number: ticket.number, token, version: this.versionOf(ticket.number) };
  }

  versionOf(number: string): number {
    return (this.sql.prepare('select version from tickets where number = ?').get(number) as { version: number }).version;
  }

  /** The id of a screenshot attached to the ticket. */
  attachmentOf(ticket: { id: number }): number {
    const row = this.sql.prepare('select id from attachments where ticket_id = ? order by id limit 1').get(ticket.id) as { id: number } | undefined;
    if (!row) throw new Error('the fixture ticket has no screenshot');
    return row.id;
  }

  /** A screenshot staged on the intake form (before the ticket exists), with its stage key. */
  async staged(): Promise<{ id: number; stageKey: string }> {
    const stageKey = newToken();
    const encoded = await encodeUploads([{ originalname: 'fixture.png', buffer: await png(20, 20) }]);
    if ('error' in encoded) throw new Error('fixture screenshot refused');
    await stageAttachments(this.desk.db, this.desk.store, encoded.images, stageKey, Date.now());
    const { id } = this.sql.prepare('select id from attachments where ticket_id is null order by id desc limit 1').get() as { id: number };
    return { id, stageKey };
  }

  /** A billing ticket whose payment review has its mandatory check ticked, ready for a decision. */
  async decidable(): Promise<TicketFixture> {
    const t = await this.ticket({ billing: true });
    const ticket = findTicketByNumber(this.desk.db, t.number)!;
    const review = allReviews(reviewTicket(this.desk.db, ticket, Date.now())).find((r) => r.key === 'payment')!;
    for (const item of review.review.checklist.filter((c) => c.mandatory && c.evidence !== 'pass')) {
      this.work.tick(findTicketByNumber(this.desk.db, t.number)!, review, item.key, true, this.admin(), this.versionOf(t.number));
    }
    return { ...t, version: this.versionOf(t.number) };
  }

  /** A billing ticket with a decision waiting for a person to confirm what the provider did. */
  async awaitingConfirmation(): Promise<TicketFixture & { decisionId: number }> {
    const t = await this.ticket({ billing: true });
    const { lastInsertRowid } = this.sql
      .prepare(
        `insert into decisions (ticket_id, order_key, state, outcome, destination, amount_micros, currency, rule, decided_by, decided_at)
         values (?, 'payment', 'awaiting_confirmation', 'full_refund', 'balance', 5000000, 'USD', 'billing.verified', ?, ?)`,
      )
      .run(t.id, this.admin().id, Date.now());
    return { ...t, decisionId: Number(lastInsertRowid) };
  }

  /** An order the panel sent, for the API's order call. */
  order(): string {
    const id = this.orderId();
    const r = upsertOrders(
      this.desk.db,
      [{ id, customerEmail: this.email(), link: 'https://instagram.com/p/order', quantity: 1000, charge: '0.27819', status: 'Pending', createdAt: new Date().toISOString() }],
      { now: Date.now(), currency: 'USD' },
    );
    if (r.errors.length > 0) throw new Error(`fixture order refused: ${JSON.stringify(r.errors)}`);
    return id;
  }

  /** A CSV waiting between upload and import, with the form fields its preview would post. */
  async importFile(): Promise<Record<string, string>> {
    const id = this.orderId();
    const csv = `id,email,link,quantity,charge,status,date\r\n${id},${this.email()},https://instagram.com/p/imp,100,0.50,Completed,2026-11-20 10:00:00\r\n`;
    const token = await saveImport(importsDir(path.join(this.desk.dir, 'data')), Buffer.from(csv));
    const form: Record<string, string> = { token, fileName: 'orders.csv', currency: '' };
    IMPORT_MAPPING.forEach((field, i) => (form[`map-${i}`] = field));
    return form;
  }

  /** A finished export job with its file on disk. */
  exportJob(): string {
    const key = newToken();
    const dir = exportsDir(path.join(this.desk.dir, 'data'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${key}.csv`), '\uFEFFid\r\n1\r\n');
    this.sql
      .prepare(
        `insert into export_jobs (key, kind, format, filters, language, status, rows_done, rows_total, file_name, created_by, created_at, finished_at)
         values (?, 'tickets', 'csv', '{}', 'en', 'done', 1, 1, 'fixture.csv', ?, ?, ?)`,
      )
      .run(key, this.admin().id, Date.now(), Date.now());
    return key;
  }

  /** A canned response of its own (the desk's defaults exist already). */
  canned(): number {
    const { lastInsertRowid } = this.sql
      .prepare(`insert into canned_responses (key, language, title, body, updated_at) values (?, 'en', 'Fixture', 'Fixture body', ?)`)
      .run(`fixture${++this.seq}`, Date.now());
    return Number(lastInsertRowid);
  }

  /** A provider connection without an API address (its "test connection" answers at once). */
  provider(): string {
    const id = `fixture-${++this.seq}`;
    this.sql.prepare('insert into providers (id, name, created_at, updated_at) values (?, ?, ?, ?)').run(id, 'Fixture SMM', Date.now(), Date.now());
    return id;
  }

  apiToken(scopes: Scope[]): { id: number; token: string } {
    return createApiToken(this.desk.db, `fixture-${++this.seq}`, scopes, Date.now());
  }

  /** An agent account to change (its password is never checked). */
  staffMember(): number {
    const { lastInsertRowid } = this.sql
      .prepare(`insert into staff_users (email, name, role, password_hash, language, active, created_at) values (?, 'Fixture Agent', 'agent', ?, 'en', 1, ?)`)
      .run(`staff${this.base + ++this.seq}@desk.test`, DUMMY_HASH, Date.now());
    return Number(lastInsertRowid);
  }

  /** Sets a staff member's password hash (to one made once, so no test pays for hashing again). */
  setPasswordHash(staffId: number, hash: string): void {
    this.sql.prepare('update staff_users set password_hash = ? where id = ?').run(hash, staffId);
  }

  private admin() {
    return this.desk.db.select().from(staffUsers).where(eq(staffUsers.role, 'admin')).get()!;
  }
}
