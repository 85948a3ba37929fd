// The agent queue: one page of tickets in urgency order (a pending order first,
// then the nearest SLA deadline, paused or stopped clocks last, then id), keyset-paged,
// and the count of each status tab. Plain SQL, written so that SQLite walks
// tickets_queue_idx / tickets_assignee_queue_idx in order and stops after one page.
import { marks, prepared, type Db } from '../db';
import { TICKET_STATUSES, type Language, type Reason, type TicketStatus } from '../domain/ticket';
import {
  needsCounting,
  parseSearch,
  statusesOf,
  STATUS_TABS,
  type QueueCursor,
  type QueueFilters,
  type QueueSearch,
  type StatusTab,
} from './queue-filters';

export const PAGE_SIZE = 50;
/** Filtered tab counts stop here; a count above it means "more than COUNT_CAP". */
export const COUNT_CAP = 10_000;
/**
 * An order-status filter tests each ticket's orders, about 20 µs a ticket at a
 * million: its counts stop sooner, so the tabs cost tens of milliseconds, not a second.
 */
const ORDER_STATUS_COUNT_CAP = 1_000;
export const DUE_SOON_MS = 2 * 3_600_000;

export interface QueueRequest {
  filters: QueueFilters;
  staffId: number;
  now: number;
  after: QueueCursor | null;
  pageSize?: number;
}

export interface QueueRow {
  id: number;
  number: string;
  email: string;
  language: Language;
  reason: Reason;
  status: TicketStatus;
  urgency: number;
  slaDueAt: number | null;
  assigneeName: string | null;
  orderIds: string[];
}

export type TabCounts = Record<StatusTab, number>;

export interface QueuePage {
  rows: QueueRow[];
  next: QueueCursor | null;
  counts: TabCounts;
  /** where the counts stopped when they were counted under filters (one above it means "more"); null when exact */
  countCap: number | null;
}

interface Sql {
  text: string;
  params: unknown[];
}

export function readQueue(db: Db, req: QueueRequest): QueuePage {
  const size = req.pageSize ?? PAGE_SIZE;
  const search = parseSearch(req.filters.q);
  const found = fewFound(db, req, search);
  if (found) return pageOfFound(db, req, found, size);
  const keys: QueueCursor[] = [];
  for (const statement of pageStatements(req, search)) {
    const want = size + 1 - keys.length;
    const rows = prepared(db, statement.text).all(...statement.params, want) as KeyRow[];
    keys.push(...rows.map((r) => ({ urgency: r.urgency, slaDueAt: r.sla_due_at, id: r.id })));
    if (keys.length > size) break;
  }
  const page = keys.slice(0, size);
  return {
    rows: rowsOf(db, page.map((k) => k.id)),
    next: keys.length > size ? page[page.length - 1]! : null,
    counts: tabCounts(db, req, search),
    countCap: countCapOf(req.filters),
  };
}

interface FoundRow extends KeyRow {
  status: TicketStatus;
}

/**
 * Every ticket a search finds under the filters, when there are at most the count
 * cap of them (else null): one pass gives both the page and the tab counts, where
 * the general path would run the search once for the page and again for the counts.
 */
function fewFound(db: Db, req: QueueRequest, search: QueueSearch | null): FoundRow[] | null {
  const source = search ? searchSource(search) : null;
  if (!source) return null;
  const cap = countCapOf(req.filters)!;
  const where = conditions(req);
  const rows = prepared(
    db,
    `SELECT ${KEY}, t.status AS status FROM (${source.text}) m CROSS JOIN tickets t ON t.id = m.id WHERE 1${and(where)} LIMIT ?`,
  ).all(...source.params, ...where.params, cap + 1) as FoundRow[];
  return rows.length <= cap ? rows : null;
}

/** The queue's order: urgency, a running clock before a paused one, the deadline, then id. */
function compareKeys(a: QueueCursor, b: QueueCursor): number {
  return (
    a.urgency - b.urgency ||
    Number(a.slaDueAt === null) - Number(b.slaDueAt === null) ||
    (a.slaDueAt ?? 0) - (b.slaDueAt ?? 0) ||
    a.id - b.id
  );
}

function pageOfFound(db: Db, req: QueueRequest, found: FoundRow[], size: number): QueuePage {
  const statuses = new Set<TicketStatus>(statusesOf(req.filters.status));
  const after = req.after;
  const keys = found
    .map((r) => ({ urgency: r.urgency, slaDueAt: r.sla_due_at, id: r.id, status: r.status }))
    .filter((k) => statuses.has(k.status) && (!after || compareKeys(k, after) > 0))
    .sort(compareKeys);
  const page = keys.slice(0, size);
  const byStatus = new Map<TicketStatus, number>();
  for (const r of found) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const last = page[page.length - 1];
  return {
    rows: rowsOf(db, page.map((k) => k.id)),
    next: keys.length > size && last ? { urgency: last.urgency, slaDueAt: last.slaDueAt, id: last.id } : null,
    counts: countsOf(byStatus, countCapOf(req.filters)),
    countCap: countCapOf(req.filters),
  };
}

/** EXPLAIN QUERY PLAN of each statement the first page would run (for tests and tuning). */
export function explainQueue(db: Db, req: QueueRequest): string[][] {
  return pageStatements(req, parseSearch(req.filters.q)).map((s) =>
    (prepared(db, `EXPLAIN QUERY PLAN ${s.text}`).all(...s.params, PAGE_SIZE + 1) as { detail: string }[]).map(
      (r) => r.detail,
    ),
  );
}

interface KeyRow {
  id: number;
  urgency: number;
  sla_due_at: number | null;
}

const KEY = 't.id AS id, t.urgency AS urgency, t.sla_due_at AS sla_due_at';

/** Urgency first, then a running clock before a paused one: the queue's four segments. */
const SEGMENTS = [
  { urgency: 0, paused: false },
  { urgency: 0, paused: true },
  { urgency: 1, paused: false },
  { urgency: 1, paused: true },
] as const;
type Segment = (typeof SEGMENTS)[number];

/**
 * The statements that yield the page's keys in order, each ending in "LIMIT ?".
 * Without a search, one statement per segment from the cursor's on, each a merge
 * of one index range per status, so rows come out already sorted and SQLite stops
 * once the page is full. A search starts from the tickets it finds and sorts those.
 */
function pageStatements(req: QueueRequest, search: QueueSearch | null): Sql[] {
  const { filters, after } = req;
  const statuses = statusesOf(filters.status);
  const where = conditions(req);
  if (search) {
    const source = searchSource(search);
    if (!source) return [];
    const keyset = after ? generalKeyset(after) : null;
    return [
      {
        text:
          `SELECT ${KEY} FROM (${source.text}) m CROSS JOIN tickets t ON t.id = m.id ` +
          `WHERE t.status IN (${marks(statuses.length)})${and(where)}${and(keyset)} ` +
          'ORDER BY t.urgency, t.sla_due_at IS NULL, t.sla_due_at, t.id LIMIT ?',
        params: [...source.params, ...statuses, ...where.params, ...(keyset?.params ?? [])],
      },
    ];
  }
  return SEGMENTS.filter(
    (seg) =>
      // An SLA filter needs a running clock; a pending order means urgency 0 (kept so by triggers).
      !(seg.paused && filters.sla) &&
      !(seg.urgency !== 0 && filters.orderStatus === 'pending') &&
      (!after || compareSegment(seg, after) >= 0),
  ).map((seg) => segmentStatement(seg, statuses, where, orderedIndex(filters), after && compareSegment(seg, after) === 0 ? after : null));
}

/**
 * The index a segment walks: each holds the queue's order (status, urgency, clock,
 * id) after its filter column, so SQLite reads one page's worth of entries and stops.
 * Named, because the planner, seeing how few values a column has, may pick a
 * filter-only index and sort every matching ticket instead.
 */
function orderedIndex(f: QueueFilters): string {
  if (f.assignee) return 'tickets_assignee_queue_idx';
  if (f.reason) return 'tickets_reason_queue_idx';
  if (f.language) return 'tickets_language_queue_idx';
  return 'tickets_queue_idx';
}

/** One segment's rows in order: a merge of one index range per status, after the cursor when it is in this segment. */
function segmentStatement(seg: Segment, statuses: readonly TicketStatus[], where: Sql, index: string, after: QueueCursor | null): Sql {
  const keyset: Sql | null = !after
    ? null
    : seg.paused
      ? { text: 't.id > ?', params: [after.id] }
      : { text: '(t.sla_due_at, t.id) > (?, ?)', params: [after.slaDueAt, after.id] };
  const arms = statuses.map((status) => ({
    text:
      `SELECT ${KEY} FROM tickets t INDEXED BY ${index} WHERE t.status = ? AND t.urgency = ? ` +
      `AND t.sla_due_at IS ${seg.paused ? '' : 'NOT '}NULL${and(where)}${and(keyset)}`,
    params: [status, seg.urgency, ...where.params, ...(keyset?.params ?? [])],
  }));
  return {
    text: `${arms.map((a) => a.text).join(' UNION ALL ')} ORDER BY ${seg.paused ? 'id' : 'sla_due_at, id'} LIMIT ?`,
    params: arms.flatMap((a) => a.params),
  };
}

/** A segment before (-1), at (0) or after (1) the cursor's segment. */
function compareSegment(seg: Segment, after: QueueCursor): number {
  if (seg.urgency !== after.urgency) return Math.sign(seg.urgency - after.urgency);
  return Number(seg.paused) - Number(after.slaDueAt === null);
}

/** "After the cursor" in the full order (urgency, clock paused, sla_due_at, id). */
function generalKeyset(after: QueueCursor): Sql {
  if (after.slaDueAt === null) {
    return { text: '(t.urgency > ? OR (t.urgency = ? AND t.sla_due_at IS NULL AND t.id > ?))', params: [after.urgency, after.urgency, after.id] };
  }
  return {
    text: '(t.urgency > ? OR (t.urgency = ? AND (t.sla_due_at IS NULL OR (t.sla_due_at, t.id) > (?, ?))))',
    params: [after.urgency, after.urgency, after.slaDueAt, after.id],
  };
}

/** Every filter except the status tab and the search, over tickets t. */
function conditions(req: QueueRequest): Sql {
  const { filters: f, staffId, now } = req;
  const parts: Sql[] = [];
  if (f.reason) parts.push({ text: 't.reason = ?', params: [f.reason] });
  if (f.language) parts.push({ text: 't.language = ?', params: [f.language] });
  if (f.assignee === 'mine') parts.push({ text: 't.assignee_id = ?', params: [staffId] });
  if (f.assignee === 'unassigned') parts.push({ text: 't.assignee_id IS NULL', params: [] });
  if (f.sla === 'overdue') parts.push({ text: 't.sla_due_at < ?', params: [now] });
  if (f.sla === 'due_soon') parts.push({ text: 't.sla_due_at >= ? AND t.sla_due_at < ?', params: [now, now + DUE_SOON_MS] });
  // urgency = 0 exactly when an order is pending; it lets the index narrow that filter.
  if (f.orderStatus === 'pending') parts.push({ text: 't.urgency = 0', params: [] });
  if (f.orderStatus) {
    parts.push({
      text: 'EXISTS (SELECT 1 FROM ticket_orders x JOIN orders o ON o.id = x.order_id WHERE x.ticket_id = t.id AND o.status = ?)',
      params: [f.orderStatus],
    });
  }
  return { text: parts.map((p) => p.text).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/** The IDs (as column id) of the tickets a search finds; null when it cannot find any. */
function searchSource(search: QueueSearch): Sql | null {
  switch (search.kind) {
    case 'number':
      return { text: 'SELECT id FROM tickets WHERE number = ?', params: [search.number] };
    case 'orderId':
      return { text: 'SELECT ticket_id AS id FROM ticket_orders WHERE order_id = ?', params: [search.orderId] };
    case 'email':
      return { text: 'SELECT id FROM tickets WHERE email = ?', params: [search.email] };
    case 'link':
      return {
        text:
          'SELECT id FROM tickets WHERE link = ? UNION ' +
          'SELECT x.ticket_id FROM orders o JOIN ticket_orders x ON x.order_id = o.id WHERE o.link = ?',
        params: [search.link, search.link],
      };
    case 'text':
      return search.match === null
        ? null
        : { text: 'SELECT rowid AS id FROM ticket_search WHERE ticket_search MATCH ?', params: [search.match] };
  }
}

function countCapOf(f: QueueFilters): number | null {
  if (!needsCounting(f)) return null;
  return f.orderStatus !== null && f.orderStatus !== 'pending' ? ORDER_STATUS_COUNT_CAP : COUNT_CAP;
}

function tabCounts(db: Db, req: QueueRequest, search: QueueSearch | null): TabCounts {
  const cap = countCapOf(req.filters);
  return countsOf(cap === null ? storedCounts(db, req.filters) : cappedCounts(db, req, cap, search), cap);
}

function countsOf(byStatus: Map<TicketStatus, number>, cap: number | null): TabCounts {
  const counts = {} as TabCounts;
  for (const tab of STATUS_TABS) {
    const n = statusesOf(tab).reduce((sum, s) => sum + (byStatus.get(s) ?? 0), 0);
    counts[tab] = cap === null ? n : Math.min(n, cap + 1);
  }
  return counts;
}

/** Counts by status for a language and reason (or any), kept by triggers: never a count over a million rows. */
function storedCounts(db: Db, f: QueueFilters): Map<TicketStatus, number> {
  const rows = prepared(
    db,
    'SELECT status, sum(n) AS n FROM ticket_counts ' +
      'WHERE (@language IS NULL OR language = @language) AND (@reason IS NULL OR reason = @reason) GROUP BY status',
  ).all({ language: f.language, reason: f.reason }) as { status: TicketStatus; n: number }[];
  return new Map(rows.map((r) => [r.status, r.n]));
}

/** Counts under filters, each stopping at cap + 1 rows (a search that finds fewer is counted by fewFound). */
function cappedCounts(db: Db, req: QueueRequest, cap: number, search: QueueSearch | null): Map<TicketStatus, number> {
  const counts = new Map<TicketStatus, number>();
  const where = conditions(req);
  const source = search ? searchSource(search) : null;
  if (search && !source) return counts;
  const from = source ? `(${source.text}) m CROSS JOIN tickets t ON t.id = m.id` : `tickets t INDEXED BY ${orderedIndex(req.filters)}`;
  const statement = prepared(db, `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} WHERE t.status = ?${and(where)} LIMIT ?)`);
  // Only a new or in-review ticket has a running clock (triggers keep sla_due_at so).
  const statuses = req.filters.sla ? TICKET_STATUSES.filter((s) => s === 'new' || s === 'in_review') : TICKET_STATUSES;
  for (const status of statuses) {
    const row = statement.get(...(source?.params ?? []), status, ...where.params, cap + 1) as { n: number };
    counts.set(status, row.n);
  }
  return counts;
}


type StoredRow = [number, string, string, Language, Reason, TicketStatus, number, number | null, string | null, string | null];

/** The rows to show for these ticket IDs, in the same order, with their order IDs (digits, so a space joins them). */
function rowsOf(db: Db, ids: number[]): QueueRow[] {
  if (ids.length === 0) return [];
  const statement = prepared(
    db,
    'SELECT t.id, t.number, t.email, t.language, t.reason, t.status, t.urgency, t.sla_due_at, s.name, ' +
      "(SELECT group_concat(order_id, ' ') FROM (SELECT x.order_id FROM ticket_orders x WHERE x.ticket_id = t.id ORDER BY x.order_id)) " +
      `FROM tickets t LEFT JOIN staff_users s ON s.id = t.assignee_id WHERE t.id IN (${marks(ids.length)})`,
  );
  // As arrays, made into rows here: cheaper than better-sqlite3 naming every column of every row.
  const byId = new Map<number, QueueRow>();
  for (const [id, number, email, language, reason, status, urgency, slaDueAt, assigneeName, orders] of statement.raw(true).all(...ids) as StoredRow[]) {
    byId.set(id, { id, number, email, language, reason, status, urgency, slaDueAt, assigneeName, orderIds: orders === null ? [] : orders.split(' ') });
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function and(part: Sql | null): string {
  return part && part.text ? ` AND ${part.text}` : '';
}
