// Reads of the audit trail, newest first and keyset-paged by id (never OFFSET):
// a page for the screen, and batches for the CSV export. The trail is append-only,
// so nothing here writes.
import { eachBatch, prepared, type Db } from '../db';
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

/**
 * The events of the filters older than a cursor, newest first, up to a limit; the
 * cursor and the limit are the last two parameters. The first page or batch starts
 * below every id (NEWEST), so each set of filters is one SQL text.
 */
function selection(f: AuditFilters): { sql: string; params: (string | number)[] } {
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
  parts.push('e.id < ?');
  return { sql: `${SELECT} WHERE ${parts.join(' AND ')} ORDER BY e.id DESC LIMIT ?`, params };
}

/** A cursor before every event. */
const NEWEST = Number.MAX_SAFE_INTEGER;

/** One page, and the cursor of the next (older) one when there is more. */
export function readAuditPage(db: Db, f: AuditFilters, before: number | null, size = PAGE_SIZE): { rows: AuditRow[]; next: number | null } {
  const w = selection(f);
  const rows = prepared(db, w.sql).all(...w.params, before ?? NEWEST, size + 1) as AuditRow[];
  const shown = rows.slice(0, size);
  return { rows: shown, next: rows.length > size ? shown[shown.length - 1]!.id : null };
}

/** Every matching event, newest first, in keyset batches (see eachBatch in server/db.ts). */
export function eachAuditBatch(
  db: Db,
  f: AuditFilters,
  onRow: (row: AuditRow) => void,
  afterBatch: () => Promise<void>,
  batchSize = 1000,
): Promise<number> {
  const w = selection(f);
  return eachBatch<AuditRow>(
    { statement: prepared(db, w.sql), params: w.params, start: [NEWEST], cursorOf: (row) => [row.id], batchSize },
    onRow,
    afterBatch,
  );
}

/** Staff for the actor filter: everyone who could have done something, disabled accounts included. */
export function staffOptions(db: Db): { id: number; name: string; email: string }[] {
  return prepared(db, 'SELECT id, name, email FROM staff_users ORDER BY name, id').all() as { id: number; name: string; email: string }[];
}
