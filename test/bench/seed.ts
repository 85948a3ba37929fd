// Seeds a benchmark database through the real schema (migrations, triggers and
// all): tickets in three languages across every status and reason, 1–3 orders
// each, messages, decisions and ledger entries for resolved tickets, a few
// screenshots. Bulk transactions with prepared statements keep it fast.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { openDb, type Db } from '../../server/db';
import { ensureCannedResponses } from '../../server/desk/canned';
import { REASONS, formatTicketNumber } from '../../server/domain/ticket';
import { hashPassword } from '../../server/security/passwords';
import { hashToken } from '../../server/security/tokens';

export interface BenchFixture {
  /** a staff session cookie value for the agent */
  session: string;
  /** an open ticket with orders, its private-link token and one of its order IDs */
  ticket: { number: string; token: string; orderId: string };
  /** a word that appears in a few tickets' details */
  rareWord: string;
  /** a panel API token with tickets:write */
  apiToken: string;
  tickets: number;
}

const LANGS = ['en', 'ar', 'uk'] as const;
const WORDS: Record<(typeof LANGS)[number], string[]> = {
  en: ['order', 'never', 'started', 'followers', 'dropped', 'please', 'refund', 'balance', 'views', 'likes', 'link', 'wrong', 'cancel'],
  ar: ['الطلب', 'لم', 'يبدأ', 'المتابعين', 'انخفض', 'أرجو', 'استرداد', 'الرصيد', 'المشاهدات', 'الرابط', 'خطأ', 'إلغاء'],
  uk: ['замовлення', 'не', 'почалося', 'підписники', 'відписалися', 'прошу', 'повернути', 'баланс', 'перегляди', 'посилання', 'скасувати'],
};
const ORDER_STATUS = ['pending', 'processing', 'in_progress', 'partial', 'completed', 'canceled'] as const;
const OPEN = new Set(['new', 'in_review', 'waiting_customer']);
const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;

/** A small deterministic generator so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function seedBench(dataDir: string, uploadDir: string, total: number, log = console.log): Promise<BenchFixture> {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(uploadDir, { recursive: true });
  const db = openDb(path.join(dataDir, 'refunddesk.sqlite'));
  const sqlite = db.$client;
  sqlite.pragma('synchronous = OFF');
  const now = Date.now();
  const rand = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;

  ensureCannedResponses(db, now);
  const agentId = Number(
    sqlite
      .prepare("insert into staff_users (email, name, role, password_hash, language, active, created_at) values (?, ?, 'agent', ?, 'en', 1, ?)")
      .run('bench-agent@desk.test', 'Bench Agent', await hashPassword('bench-password-123'), now).lastInsertRowid,
  );
  const session = crypto.randomBytes(32).toString('base64url');
  sqlite.prepare('insert into sessions (token_hash, user_id, created_at, expires_at) values (?, ?, ?, ?)').run(hashToken(session), agentId, now, now + 30 * 24 * HOUR);
  const apiToken = `rdk_${crypto.randomBytes(32).toString('base64url')}`;
  sqlite
    .prepare("insert into api_tokens (name, token_hash, scopes, created_at) values ('bench', ?, 'orders:write,tickets:read,tickets:write', ?)")
    .run(hashToken(apiToken), now);
  sqlite.prepare("insert into services (id, name, provider_id, refill_days, cancel_allowed, created_at, updated_at) values ('1', 'Followers [30d refill]', 'p1', 30, 1, ?, ?), ('2', 'Views', 'p2', 0, 1, ?, ?)").run(now, now, now, now);
  sqlite.prepare("insert into providers (id, name, created_at, updated_at) values ('p1', 'Provider One', ?, ?), ('p2', 'Provider Two', ?, ?)").run(now, now, now, now);

  const shots = await benchScreenshots(db, uploadDir, now);

  const insCustomer = sqlite.prepare('insert into customers (email, language, created_at) values (?, ?, ?)');
  const insTicket = sqlite.prepare(
    `insert into tickets (number, customer_id, email, language, reason, link, details, preferred_resolution, status, assignee_id, version,
      first_response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'balance', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insOrder = sqlite.prepare(
    `insert into orders (id, customer_email, service_id, provider_id, provider_order_id, link, quantity, charge_micros, currency, start_count, remains, status, status_text, created_at, completed_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLink = sqlite.prepare('insert into ticket_orders (ticket_id, order_id, open, known_at_intake, email_matches) values (?, ?, ?, 1, 1)');
  const insMessage = sqlite.prepare("insert into messages (ticket_id, author_type, author_user_id, internal, body, created_at) values (?, ?, ?, 0, ?, ?)");
  const insDecision = sqlite.prepare(
    `insert into decisions (ticket_id, order_key, order_id, state, outcome, destination, amount_micros, currency, rule, recommended_outcome, order_status, decided_by, decided_at, issued_at)
     values (?, ?, ?, 'issued', ?, ?, ?, 'USD', ?, ?, ?, ?, ?, ?)`,
  );
  const insLedger = sqlite.prepare("insert into ledger_entries (decision_id, ticket_id, order_id, kind, amount_micros, currency, created_at) values (?, ?, ?, 'balance_credit', ?, 'USD', ?)");
  const insAttachment = sqlite.prepare(
    "insert into attachments (ticket_id, storage_name, thumb_name, original_name, mime, bytes, width, height, created_at) values (?, ?, ?, 'screenshot.png', 'image/webp', ?, ?, ?, ?)",
  );
  const insToken = sqlite.prepare('insert into ticket_access_tokens (token_hash, ticket_id, created_at) values (?, ?, ?)');

  let fixture: BenchFixture['ticket'] | null = null;
  const customerIds = new Map<string, number>();
  const numbers = new Set<string>();
  const token = crypto.randomBytes(32).toString('base64url');
  const rareWord = 'zephyrquartz';
  let orderSeq = 10_000_000;
  const batch = 20_000;
  const started = Date.now();
  for (let done = 0; done < total; done += batch) {
    sqlite.transaction(() => {
      for (let i = done; i < Math.min(total, done + batch); i++) {
        const lng = LANGS[i % 3]!;
        // Most history is closed; a realistic slice is still open.
        const roll = rand();
        const status = roll < 0.04 ? 'new' : roll < 0.07 ? 'in_review' : roll < 0.09 ? 'waiting_customer' : roll < 0.2 ? 'resolved' : roll < 0.99 ? 'closed' : 'merged';
        // Tickets arrive over a year in ID order, as in any desk (a resolved one closes
        // by itself after seven days, so those are recent).
        const createdAt =
          status === 'resolved' ? now - Math.floor(rand() * 4 * 24 * HOUR) : now - YEAR + Math.floor((i / total) * YEAR) - Math.floor(rand() * HOUR);
        const reason = pick(REASONS);
        const email = `customer${i % Math.max(1, Math.floor(total / 3))}@example.com`;
        let customerId = customerIds.get(email);
        if (customerId === undefined) {
          customerId = Number(insCustomer.run(email, lng, createdAt).lastInsertRowid);
          customerIds.set(email, customerId);
        }
        const words = Array.from({ length: 12 }, () => pick(WORDS[lng]));
        if (i % 5000 === 7) words.push(rareWord);
        const link = `https://instagram.com/p/${(i * 7919).toString(36)}`;
        const open = OPEN.has(status);
        const responded = status === 'new' ? null : createdAt + Math.floor(rand() * 4 * HOUR);
        const resolvedAt = status === 'resolved' || status === 'closed' ? Math.min(now, createdAt + Math.floor(rand() * 72 * HOUR)) : null;
        // Numbers are random (as at intake); at a million, two can meet, so a used one is drawn again.
        let number = formatTicketNumber(crypto.randomBytes(8));
        while (numbers.has(number)) number = formatTicketNumber(crypto.randomBytes(8));
        numbers.add(number);
        const ticketId = Number(
          insTicket.run(
            number, customerId, email, lng, reason, link, words.join(' '), status,
            open && rand() < 0.5 ? agentId : null,
            createdAt + 2 * HOUR, createdAt + 24 * HOUR, responded, resolvedAt,
            status === 'closed' ? Math.min(now, (resolvedAt ?? createdAt) + 7 * 24 * HOUR) : null, createdAt, createdAt,
          ).lastInsertRowid,
        );
        const orders = 1 + Math.floor(rand() * 3);
        for (let o = 0; o < orders; o++) {
          const orderId = String(orderSeq++);
          const oStatus = pick(ORDER_STATUS);
          const quantity = 1000;
          const remains = oStatus === 'partial' ? 100 + Math.floor(rand() * 800) : oStatus === 'completed' ? 0 : quantity;
          const charge = 100_000 + Math.floor(rand() * 20_000_000);
          insOrder.run(orderId, email, o % 2 ? '2' : '1', o % 2 ? 'p2' : 'p1', `P${orderId}`, link, quantity, charge, 0, remains, oStatus, oStatus, createdAt - HOUR,
            oStatus === 'completed' || oStatus === 'partial' ? createdAt - HOUR / 2 : null, createdAt);
          insLink.run(ticketId, orderId, open ? 1 : 0);
          if (resolvedAt !== null) {
            const money = oStatus === 'partial' || oStatus === 'canceled' || oStatus === 'pending';
            const amount = money ? Math.floor((charge * remains) / quantity) : 0;
            const decisionId = Number(
              insDecision.run(ticketId, orderId, orderId, money ? (oStatus === 'partial' ? 'partial_refund' : 'full_refund') : 'reject', money ? 'balance' : null, amount,
                money ? 'partial.undelivered' : 'completed.delivered', money ? 'partial_refund' : 'reject', oStatus, agentId, resolvedAt, resolvedAt).lastInsertRowid,
            );
            if (money && amount > 0) insLedger.run(decisionId, ticketId, orderId, amount, resolvedAt);
          }
          if (!fixture && open && status !== 'waiting_customer' && o === 0) fixture = { number, token, orderId };
        }
        if (rand() < 0.6) insMessage.run(ticketId, 'customer', null, pick(WORDS[lng]) + ' ' + pick(WORDS[lng]), createdAt + HOUR);
        if (responded !== null) insMessage.run(ticketId, 'staff', agentId, pick(WORDS[lng]), responded);
        if (i % 2000 === 0) {
          const shot = shots[(i / 2000) % shots.length]!;
          const name = shot.storage.replace('.webp', `-${i}.webp`);
          fs.copyFileSync(path.join(uploadDir, shot.storage), path.join(uploadDir, name));
          insAttachment.run(ticketId, name, shot.thumb, shot.bytes, 1170, 2532, createdAt);
        }
        if (fixture && fixture.number === number) insToken.run(hashToken(token), ticketId, now);
      }
    })();
    if ((done / batch) % 5 === 4) log(`  seeded ${Math.min(total, done + batch).toLocaleString('en')} tickets (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('ANALYZE');
  db.$client.close();
  if (!fixture) throw new Error('no open ticket was seeded');
  return { session, ticket: fixture, rareWord, apiToken, tickets: total };
}

/** A few real screenshot files (phone-sized, re-encoded like the desk does) the seeded rows point at. */
async function benchScreenshots(_db: Db, uploadDir: string, _now: number) {
  const out: { storage: string; thumb: string; bytes: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const image = await sharp({ create: { width: 1170, height: 2532, channels: 3, background: ['#336699', '#993366', '#669933'][i]! } }).webp().toBuffer();
    const thumb = await sharp(image).resize(240).webp().toBuffer();
    const storage = `bench-${i}.webp`;
    fs.writeFileSync(path.join(uploadDir, storage), image);
    fs.writeFileSync(path.join(uploadDir, `bench-${i}-thumb.webp`), thumb);
    out.push({ storage, thumb: `bench-${i}-thumb.webp`, bytes: image.length });
  }
  return out;
}
