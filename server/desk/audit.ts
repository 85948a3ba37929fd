// Audit events of staff work: who did what to which ticket, and when. The table is
// append-only (database triggers), so this is the only way anything gets there.
import { prepared, type Db } from '../db';

export interface AuditEntry {
  ticketId: number | null;
  staffId: number | null;
  /** who acted when no staff member did (default: the system) */
  actorType?: 'customer' | 'system';
  action: string;
  from?: string | null;
  to?: string | null;
  data?: Record<string, unknown>;
}

/** Written on every change (plain prepared SQL: building the insert cost more than running it). */
export function audit(db: Db, e: AuditEntry, now: number): void {
  prepared(
    db,
    'INSERT INTO audit_events (at, actor_type, actor_id, ticket_id, action, from_status, to_status, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    now,
    e.staffId === null ? (e.actorType ?? 'system') : 'staff',
    e.staffId,
    e.ticketId,
    e.action,
    e.from ?? null,
    e.to ?? null,
    e.data ? JSON.stringify(e.data) : null,
  );
}
