// Reads of the audit trail, newest first and keyset-paged by id (never OFFSET):
// a page for the screen, and batches for the CSV export. The trail is append-only,
// so nothing here writes.
import type { Db } from '../db';
import type { AuditFilters } from './filters';

export interface AuditRow {
  id: number;
  at: number;
  actorType: 'customer' | 'staff' | 'system';
  actorId: number | null;
  actorName: string | null;
  actorEmail: string | null;
  ticketNumber: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  data: string | null;
}

export const PAGE_SIZE = 50;

const SELECT = `SELECT e.id, e.at, e.actor_type AS actorType, e.actor_id AS actorId, s.name AS actorName, s.email AS actorEmail,
  t.number AS ticketNumber, e.action, e.from_status AS fromStatus, e.to_status AS toStatus, e.data
FROM audit_events e
LEFT JOIN staff_users s ON e.actor_type = 'staff' AND s.id = e.actor_id
LEFT JOIN tickets t ON t.id = e.ticket_id`;

/** The WHERE clause of the filters and a cursor (events older than `before`). */
function where(f: AuditFilters, before: number | null): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, value: string | number) => {
    parts.push(sql);
    params.push(value);
  };
  if (f.from !== null) add('e.at >= ?', f.from);
  if (f.until !== null) add('e.at < ?', f.until);
  if (f.actor?.type === 'staff') add("e.actor_type = 'staff' AND e.actor_id = ?", f.actor.id);
  else if (f.actor) add('e.actor_type = ?', f.actor.type);
  if (f.action !== null) add('e.action = ?', f.action);
  if (f.ticketNumber !== null) add('e.ticket_id = (SELECT id FROM tickets WHERE number = ?)', f.ticketNumber);
  if (before !== null) add('e.id < ?', before);
  return { sql: parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '', params };
}

function statement(db: Db, f: AuditFilters, before: number | null, limit: number) {
  const w = where(f, before);
  return { stmt: db.$client.prepare(`${SELECT}${w.sql} ORDER BY e.id DESC LIMIT ?`), params: [...w.params, limit] };
}

/** One page, and the cursor of the next (older) one when there is more. */
export function readAuditPage(db: Db, f: AuditFilters, before: number | null, size = PAGE_SIZE): { rows: AuditRow[]; next: number | null } {
  const { stmt, params } = statement(db, f, before, size + 1);
  const rows = stmt.all(...params) as AuditRow[];
  const shown = rows.slice(0, size);
  return { rows: shown, next: rows.length > size ? shown[shown.length - 1]!.id : null };
}

/**
 * Every matching event, newest first, in batches. Each batch is read with .iterate()
 * and consumed synchronously, so no statement stays open while the caller waits
 * (for a slow download to drain): the connection is never busy between batches.
 */
export async function eachAuditBatch(
  db: Db,
  f: AuditFilters,
  onRow: (row: AuditRow) => void,
  afterBatch: () => Promise<void>,
  batchSize = 1000,
): Promise<number> {
  let before: number | null = null;
  let total = 0;
  for (;;) {
    const { stmt, params } = statement(db, f, before, batchSize);
    let n = 0;
    for (const row of stmt.iterate(...params) as IterableIterator<AuditRow>) {
      onRow(row);
      before = row.id;
      n += 1;
    }
    total += n;
    if (n < batchSize) return total;
    await afterBatch();
  }
}

/** Staff for the actor filter: everyone who could have done something, disabled accounts included. */
export function staffOptions(db: Db): { id: number; name: string; email: string }[] {
  return db.$client.prepare('SELECT id, name, email FROM staff_users ORDER BY name, id').all() as { id: number; name: string; email: string }[];
}
