// The rows of an export, read in keyset batches (eachBatch in server/db.ts: the
// shared connection is never left busy with an open cursor while the export waits
// for the network, and memory holds one batch at most). Decisions walk
// decisions_issued_idx, tickets tickets_created_idx, both by (time, id).
import { eachBatch, prepared, type Db } from '../db';
import { dayRange, type ExportChoices, type ExportFilters, type ExportKind } from './form';

export interface DecisionRow {
  id: number;
  sortAt: number;
  ticketNumber: string;
  ticketCreatedAt: number;
  issuedAt: number;
  email: string;
  ticketLanguage: string;
  orderId: string | null;
  serviceName: string | null;
  providerName: string | null;
  orderStatus: string | null;
  reason: string;
  outcome: string;
  destination: string | null;
  amountMicros: number;
  currency: string;
  feeMicros: number;
  method: string | null;
  reference: string | null;
  agentName: string | null;
  rule: string;
  overrideNote: string | null;
  rejectReason: string | null;
  details: string;
}

export interface TicketRow {
  id: number;
  sortAt: number;
  number: string;
  createdAt: number;
  status: string;
  language: string;
  email: string;
  reason: string;
  orderIds: string | null;
  link: string | null;
  assigneeName: string | null;
  firstRespondedAt: number | null;
  resolvedAt: number | null;
  rating: number | null;
  details: string;
}

export type ExportRow = DecisionRow | TicketRow;

interface Where {
  from: string;
  conditions: string[];
  params: unknown[];
}

const DECISION_COLUMNS = `d.id AS id, d.issued_at AS sortAt, t.number AS ticketNumber, t.created_at AS ticketCreatedAt,
  d.issued_at AS issuedAt, t.email AS email, t.language AS ticketLanguage, d.order_id AS orderId,
  o.service_id AS serviceName, o.provider_id AS providerName, d.order_status AS orderStatus, t.reason AS reason,
  d.outcome AS outcome, d.destination AS destination, d.amount_micros AS amountMicros, d.currency AS currency,
  d.fee_micros AS feeMicros, d.method AS method, d.reference AS reference, d.decided_by AS agentName, d.rule AS rule,
  d.override_note AS overrideNote, d.reject_reason AS rejectReason, t.details AS details`;

// Service, provider and staff names are filled in from small maps (see `named`):
// the columns carry their IDs until then. Joined per row, the three lookups cost
// more than the rest of the row.
const DECISION_FROM = `decisions d
  JOIN tickets t ON t.id = d.ticket_id
  LEFT JOIN orders o ON o.id = d.order_id`;

// Order IDs in the order the customer gave them (ticket_orders' rowid).
const TICKET_COLUMNS = `t.id AS id, t.created_at AS sortAt, t.number AS number, t.created_at AS createdAt,
  t.status AS status, t.language AS language, t.email AS email, t.reason AS reason,
  (SELECT group_concat(order_id, ', ') FROM (SELECT x.order_id FROM ticket_orders x WHERE x.ticket_id = t.id ORDER BY x.rowid)) AS orderIds,
  t.link AS link, t.assignee_id AS assigneeName, t.first_responded_at AS firstRespondedAt, t.resolved_at AS resolvedAt,
  t.rating AS rating, t.details AS details`;

const TICKET_FROM = `tickets t`;

function add(where: Where, condition: string, value: unknown) {
  where.conditions.push(condition);
  where.params.push(value);
}

/**
 * The filters as SQL. A keyset walk leaves the range's start out (`withStart`
 * false) and begins its cursor there instead: given both a start and a cursor,
 * SQLite seeks to the start for every batch and steps over all the rows before the
 * cursor, which made a million-row export three times slower.
 */
function decisionWhere(f: ExportFilters, from: string, withStart = true): Where {
  const { start, end } = dayRange(f);
  const where: Where = { from, conditions: [`d.state = 'issued'`], params: [] };
  if (withStart) add(where, 'd.issued_at >= ?', start);
  add(where, 'd.issued_at < ?', end);
  if (f.serviceId !== null) add(where, 'o.service_id = ?', f.serviceId);
  if (f.providerId !== null) add(where, 'o.provider_id = ?', f.providerId);
  if (f.agentId !== null) add(where, 'd.decided_by = ?', f.agentId);
  if (f.language !== null) add(where, 't.language = ?', f.language);
  return where;
}

function ticketWhere(f: ExportFilters, withStart = true): Where {
  const { start, end } = dayRange(f);
  const where: Where = { from: TICKET_FROM, conditions: [], params: [] };
  if (withStart) add(where, 't.created_at >= ?', start);
  add(where, 't.created_at < ?', end);
  const byOrder = (column: string) =>
    `EXISTS (SELECT 1 FROM ticket_orders x JOIN orders o ON o.id = x.order_id WHERE x.ticket_id = t.id AND o.${column} = ?)`;
  if (f.serviceId !== null) add(where, byOrder('service_id'), f.serviceId);
  if (f.providerId !== null) add(where, byOrder('provider_id'), f.providerId);
  if (f.agentId !== null) add(where, 't.assignee_id = ?', f.agentId);
  if (f.language !== null) add(where, 't.language = ?', f.language);
  return where;
}

/** How many rows the export will have (the same filters; no ordering, no row building). */
export function countExportRows(db: Db, kind: ExportKind, f: ExportFilters): number {
  const where =
    kind === 'decisions'
      ? decisionWhere(
          f,
          `decisions d${f.language !== null ? ' JOIN tickets t ON t.id = d.ticket_id' : ''}${
            f.serviceId !== null || f.providerId !== null ? ' LEFT JOIN orders o ON o.id = d.order_id' : ''
          }`,
        )
      : ticketWhere(f);
  const row = prepared(db, `SELECT count(*) AS n FROM ${where.from} WHERE ${where.conditions.join(' AND ')}`).get(...where.params) as {
    n: number;
  };
  return row.n;
}

/**
 * Calls onRow for every row, in (time, id) order, one batch at a time; between
 * batches it awaits `between()` (where the caller waits for its output to drain).
 * Returns the number of rows.
 */
export function forEachExportRow(
  db: Db,
  kind: ExportKind,
  f: ExportFilters,
  onRow: (row: ExportRow) => void,
  between: (rowsSoFar: number) => Promise<void>,
  batchSize = 500,
): Promise<number> {
  const where = kind === 'decisions' ? decisionWhere(f, DECISION_FROM, false) : ticketWhere(f, false);
  // (time, id) > (start, 0) is time >= start: IDs start at 1.
  const first = [dayRange(f).start, 0];
  const [columns, sortAt, id] = kind === 'decisions' ? [DECISION_COLUMNS, 'd.issued_at', 'd.id'] : [TICKET_COLUMNS, 't.created_at', 't.id'];
  const statement = prepared(
    db,
    `SELECT ${columns} FROM ${where.from} WHERE ${where.conditions.join(' AND ')} AND (${sortAt}, ${id}) > (?, ?)
     ORDER BY ${sortAt}, ${id} LIMIT ?`,
  );
  // Rows come as arrays and become objects here, through one object literal with
  // the columns' names (built once per export from our own aliases): for a million
  // rows far cheaper than better-sqlite3 naming every column of every row. id and sortAt lead.
  const names = statement.columns().map((c) => c.name);
  const build = new Function('v', `return { ${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')} };`) as (
    values: unknown[],
  ) => ExportRow;
  const lookups = named(db, kind).map(([field, map]) => [names.indexOf(field), map] as const);
  return eachBatch<unknown[]>(
    { statement, params: where.params, start: first, cursorOf: (row) => [row[1], row[0]], batchSize, raw: true },
    (values) => {
      for (const [i, map] of lookups) values[i] = values[i] === null ? null : (map.get(values[i] as string | number) ?? null);
      onRow(build(values));
    },
    between,
  );
}

/** The name fields whose column holds an ID until the row is built, with the names by ID. */
function named(db: Db, kind: ExportKind): [string, Map<string | number, string>][] {
  const byId = (sql: string) => new Map((prepared(db, sql).all() as { id: string | number; name: string }[]).map((r) => [r.id, r.name]));
  const staff = byId('SELECT id, name FROM staff_users');
  if (kind === 'tickets') return [['assigneeName', staff]];
  return [
    ['serviceName', byId('SELECT id, name FROM services')],
    ['providerName', byId('SELECT id, name FROM providers')],
    ['agentName', staff],
  ];
}

/** The lists the form's filters choose from. Staff include inactive accounts: their decisions remain. */
export function exportChoices(db: Db): ExportChoices {
  return {
    services: prepared(db, 'SELECT id, name FROM services ORDER BY name, id').all() as ExportChoices['services'],
    providers: prepared(db, 'SELECT id, name FROM providers ORDER BY name, id').all() as ExportChoices['providers'],
    agents: prepared(db, 'SELECT id, name FROM staff_users ORDER BY name, id').all() as ExportChoices['agents'],
  };
}
