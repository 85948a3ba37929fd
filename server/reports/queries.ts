// The dashboard's reads: plain SQL over tickets, decisions, the ledger, provider
// actions and orders. Everything is counted, summed or grouped inside SQLite; the
// medians read only the middle row(s) of an ORDER BY with LIMIT/OFFSET, so no query
// brings a range's rows into memory.
//
// Which time puts a row in the range:
//   tickets opened, medians, SLA, CSAT, refund rates  tickets.created_at (one cohort)
//   tickets resolved                                   tickets.resolved_at (the sum of the weekly counts)
//   decisions by outcome, refills confirmed            decisions.issued_at (state 'issued')
//   money                                              ledger_entries.created_at
//   refills requested                                  provider_actions.created_at
import { prepared, type Db } from '../db';
import type { Outcome } from '../domain/policy/types';
import { OPEN_STATUSES, type Language, type TicketStatus } from '../domain/ticket';
import { medianOfMiddle, medianWindow, weekStartSql } from './stats';

export interface ReportScope {
  fromMs: number;
  /** exclusive */
  toMs: number;
  /** the request clock: an open ticket past its due time is a breach by now */
  now: number;
  service: string | null;
  provider: string | null;
  agent: number | null;
  language: Language | null;
}

interface Clause {
  sql: string;
  params: unknown[];
}

// The statuses are the desk's own constants, so they are written into the SQL as text.
const OPEN = `t.status IN (${OPEN_STATUSES.map((status) => `'${status}'`).join(', ')})`;

function clause(parts: [string, unknown][]): Clause {
  return { sql: parts.map(([sql]) => ` AND ${sql}`).join(''), params: parts.map(([, p]) => p) };
}

/** An order narrowed by service and provider (the alias names the orders row). */
function orderFilters(s: ReportScope, o: string): [string, unknown][] {
  const parts: [string, unknown][] = [];
  if (s.service !== null) parts.push([`${o}.service_id = ?`, s.service]);
  if (s.provider !== null) parts.push([`${o}.provider_id = ?`, s.provider]);
  return parts;
}

/** Tickets (alias t): their language, their assignee, and at least one order of the service/provider. */
function ticketFilters(s: ReportScope): Clause {
  const parts: [string, unknown][] = [];
  if (s.language !== null) parts.push(['t.language = ?', s.language]);
  if (s.agent !== null) parts.push(['t.assignee_id = ?', s.agent]);
  const order = clause(orderFilters(s, 'fo'));
  const sql = order.params.length
    ? ` AND EXISTS (SELECT 1 FROM ticket_orders fx JOIN orders fo ON fo.id = fx.order_id WHERE fx.ticket_id = t.id${order.sql})`
    : '';
  const own = clause(parts);
  return { sql: own.sql + sql, params: [...own.params, ...order.params] };
}

/** Rows tied to a decision (d), its ticket (t) and its order (o, left-joined): who decided, language, service, provider. */
function decisionFilters(s: ReportScope, decidedBy = 'd.decided_by'): Clause {
  const parts: [string, unknown][] = [];
  if (s.language !== null) parts.push(['t.language = ?', s.language]);
  if (s.agent !== null) parts.push([`${decidedBy} = ?`, s.agent]);
  return clause([...parts, ...orderFilters(s, 'o')]);
}

function all<T>(db: Db, sql: string, params: unknown[]): T[] {
  return prepared(db, sql).all(...params) as T[];
}

function get<T>(db: Db, sql: string, params: unknown[]): T {
  return prepared(db, sql).get(...params) as T;
}

/** Open tickets right now by status, every open status present (not bound to the range; the other filters apply). */
export function openByStatus(db: Db, s: ReportScope): Partial<Record<TicketStatus, number>> {
  const f = ticketFilters(s);
  const rows = all<{ status: TicketStatus; n: number }>(db, `SELECT t.status, count(*) AS n FROM tickets t WHERE ${OPEN}${f.sql} GROUP BY t.status`, f.params);
  const counts: Partial<Record<TicketStatus, number>> = Object.fromEntries(OPEN_STATUSES.map((status) => [status, 0]));
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/**
 * The exact median of (end − created_at) over the `count` tickets created in the range
 * that have reached `end` (count from cohortStats): SQLite sorts, and only the one or
 * two middle rows come back.
 */
export function medianDuration(db: Db, s: ReportScope, end: 'first_responded_at' | 'resolved_at', count: number): number | null {
  const w = medianWindow(count);
  if (!w) return null;
  const f = ticketFilters(s);
  const middle = all<{ v: number }>(
    db,
    `SELECT t.${end} - t.created_at AS v FROM tickets t
     WHERE t.created_at >= ? AND t.created_at < ? AND t.${end} IS NOT NULL${f.sql} ORDER BY v LIMIT ? OFFSET ?`,
    [s.fromMs, s.toMs, ...f.params, w.limit, w.offset],
  );
  return medianOfMiddle(middle.map((r) => r.v));
}

// A ticket's own clock: a paused one (waiting on the customer) stopped when it paused.
const CLOCK = `(CASE WHEN t.status = 'waiting_customer' AND t.sla_paused_at IS NOT NULL THEN t.sla_paused_at ELSE ? END)`;
// A ticket that ended without a reply answered the customer when it ended.
const ENDED = 'coalesce(t.resolved_at, t.closed_at)';
const FIRST_LATE = `(t.first_response_due_at IS NOT NULL AND CASE
  WHEN t.first_responded_at IS NOT NULL THEN t.first_responded_at > t.first_response_due_at
  WHEN ${OPEN} THEN ${CLOCK} > t.first_response_due_at
  WHEN ${ENDED} IS NOT NULL THEN ${ENDED} > t.first_response_due_at
  ELSE 0 END)`;
const RESOLUTION_LATE = `(t.resolution_due_at IS NOT NULL AND CASE
  WHEN ${OPEN} THEN ${CLOCK} > t.resolution_due_at
  WHEN ${ENDED} IS NOT NULL THEN ${ENDED} > t.resolution_due_at
  ELSE 0 END)`;

export interface CohortStats {
  /** tickets created in the range */
  opened: number;
  /** of them, past a due time: answered or resolved late, or still open past it */
  breached: number;
  /** of them, with a first response / resolved */
  responded: number;
  resolved: number;
  ratings: number;
  averageRating: number | null;
}

/** One pass over the tickets created in the range (tickets_created_idx) for everything counted on them. */
export function cohortStats(db: Db, s: ReportScope): CohortStats {
  const f = ticketFilters(s);
  const row = get<{ [K in keyof CohortStats]: number | null }>(
    db,
    `SELECT count(*) AS opened, sum(${FIRST_LATE} OR ${RESOLUTION_LATE}) AS breached,
       count(t.first_responded_at) AS responded, count(t.resolved_at) AS resolved,
       count(t.rating) AS ratings, avg(t.rating) AS averageRating
     FROM tickets t WHERE t.created_at >= ? AND t.created_at < ?${f.sql}`,
    [s.now, s.now, s.fromMs, s.toMs, ...f.params],
  );
  return {
    opened: row.opened ?? 0,
    breached: row.breached ?? 0,
    responded: row.responded ?? 0,
    resolved: row.resolved ?? 0,
    ratings: row.ratings ?? 0,
    averageRating: row.averageRating,
  };
}

// Every outcome of the policy, at zero; being a Record of the domain's Outcome, the compiler notices one added there.
const NO_OUTCOMES: Readonly<Record<Outcome, number>> = { full_refund: 0, partial_refund: 0, refill: 0, reject: 0 };
/** The outcomes in the order the page lists them. */
export const OUTCOMES = Object.keys(NO_OUTCOMES) as Outcome[];

/** Issued decisions by outcome (decisions_issued_idx walks the range). */
export function decisionsByOutcome(db: Db, s: ReportScope): Record<Outcome, number> {
  const f = decisionFilters(s);
  const rows = all<{ outcome: Outcome; n: number }>(
    db,
    `SELECT d.outcome, count(*) AS n FROM decisions d
     JOIN tickets t ON t.id = d.ticket_id LEFT JOIN orders o ON o.id = d.order_id
     WHERE d.issued_at >= ? AND d.issued_at < ? AND d.state = 'issued'${f.sql}
     GROUP BY d.outcome`,
    [s.fromMs, s.toMs, ...f.params],
  );
  const counts = { ...NO_OUTCOMES };
  for (const r of rows) if (r.outcome in counts) counts[r.outcome] = r.n;
  return counts;
}

export interface MoneyRow {
  currency: string;
  balanceCreditMicros: number;
  originalMethodMicros: number;
  entries: number;
}

export interface WeekMoney extends MoneyRow {
  monday: number;
}

/**
 * Money the desk issued in the range per ISO week and currency: credited to balance,
 * refunded to the original method, and how many payments. One pass over the ledger
 * serves both the range's totals and the weekly trend (see report.ts).
 */
export function moneyByWeek(db: Db, s: ReportScope): WeekMoney[] {
  const f = decisionFilters(s);
  return all<WeekMoney>(
    db,
    `SELECT ${weekStartSql('le.created_at')} AS monday, le.currency AS currency,
       coalesce(sum(CASE WHEN le.kind = 'balance_credit' THEN le.amount_micros END), 0) AS balanceCreditMicros,
       coalesce(sum(CASE WHEN le.kind = 'original_method_refund' THEN le.amount_micros END), 0) AS originalMethodMicros,
       count(*) AS entries
     FROM ledger_entries le
     JOIN decisions d ON d.id = le.decision_id JOIN tickets t ON t.id = le.ticket_id LEFT JOIN orders o ON o.id = le.order_id
     WHERE le.created_at >= ? AND le.created_at < ?${f.sql}
     GROUP BY monday, le.currency ORDER BY monday, le.currency`,
    [s.fromMs, s.toMs, ...f.params],
  );
}

/** Refills the desk asked providers for in the range (whatever they answered). */
export function refillsRequested(db: Db, s: ReportScope): number {
  const f = decisionFilters(s, 'pa.created_by');
  return get<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM provider_actions pa
     JOIN tickets t ON t.id = pa.ticket_id LEFT JOIN orders o ON o.id = pa.order_id
     WHERE pa.action = 'refill' AND pa.created_at >= ? AND pa.created_at < ?${f.sql}`,
    [s.fromMs, s.toMs, ...f.params],
  ).n;
}

export interface RefundRateGroup {
  serviceId: string | null;
  serviceName: string | null;
  providerId: string | null;
  providerName: string | null;
  currency: string;
  orders: number;
  refundedOrders: number;
  chargedMicros: number;
  refundedMicros: number;
}

/**
 * Orders in tickets created in the range (each order once), grouped by service,
 * provider and currency: how many got money back (a ledger entry, or the panel's own
 * refund), what they were charged and what came back. One pass serves both the
 * by-service and the by-provider table (see report.ts); the groups are few.
 */
export function refundRateGroups(db: Db, s: ReportScope): RefundRateGroup[] {
  const tf: [string, unknown][] = [];
  if (s.language !== null) tf.push(['t.language = ?', s.language]);
  if (s.agent !== null) tf.push(['t.assignee_id = ?', s.agent]);
  const tickets = clause(tf);
  const orders = clause(orderFilters(s, 'o'));
  return all<RefundRateGroup>(
    db,
    `WITH cohort AS (
       SELECT DISTINCT x.order_id AS id FROM tickets t JOIN ticket_orders x ON x.ticket_id = t.id
       WHERE t.created_at >= ? AND t.created_at < ?${tickets.sql}
     ), grouped AS (
       SELECT o.service_id AS serviceId, o.provider_id AS providerId, o.currency AS currency, count(*) AS orders,
         sum(CASE WHEN le.id IS NOT NULL OR o.panel_refunded_micros > 0 THEN 1 ELSE 0 END) AS refundedOrders,
         sum(o.charge_micros) AS chargedMicros,
         sum(o.panel_refunded_micros + coalesce(le.amount_micros, 0)) AS refundedMicros
       FROM cohort c JOIN orders o ON o.id = c.id LEFT JOIN ledger_entries le ON le.order_id = o.id
       WHERE 1 = 1${orders.sql}
       GROUP BY o.service_id, o.provider_id, o.currency
     )
     SELECT g.serviceId, sv.name AS serviceName, g.providerId, pv.name AS providerName, g.currency,
       g.orders, g.refundedOrders, g.chargedMicros, g.refundedMicros
     FROM grouped g LEFT JOIN services sv ON sv.id = g.serviceId LEFT JOIN providers pv ON pv.id = g.providerId`,
    [s.fromMs, s.toMs, ...tickets.params, ...orders.params],
  );
}

export interface WeekCounts {
  monday: number;
  n: number;
}

/** Tickets opened (created_at) or resolved (resolved_at) per ISO week in the range. */
export function ticketsByWeek(db: Db, s: ReportScope, column: 'created_at' | 'resolved_at'): WeekCounts[] {
  const f = ticketFilters(s);
  return all<WeekCounts>(
    db,
    `SELECT ${weekStartSql(`t.${column}`)} AS monday, count(*) AS n FROM tickets t
     WHERE t.${column} >= ? AND t.${column} < ?${f.sql} GROUP BY monday ORDER BY monday`,
    [s.fromMs, s.toMs, ...f.params],
  );
}

/** The choices of the filter form. */
export function filterOptions(db: Db) {
  return {
    services: all<{ id: string; name: string }>(db, 'SELECT id, name FROM services ORDER BY name, id', []),
    providers: all<{ id: string; name: string }>(db, 'SELECT id, name FROM providers ORDER BY name, id', []),
    staff: all<{ id: number; name: string; role: string }>(db, 'SELECT id, name, role FROM staff_users ORDER BY name, id', []),
  };
}
