// Audit events of staff work: who did what to which ticket, and when. The table is
// append-only (database triggers), so this is the only way anything gets there.
import { auditEvents } from '../../db/schema';
import type { Db } from '../db';

export interface AuditEntry {
  ticketId: number | null;
  staffId: number | null;
  action: string;
  from?: string | null;
  to?: string | null;
  data?: Record<string, unknown>;
}

export function audit(db: Db, e: AuditEntry, now: number): void {
  db.insert(auditEvents)
    .values({
      at: now,
      actorType: e.staffId === null ? 'system' : 'staff',
      actorId: e.staffId,
      ticketId: e.ticketId,
      action: e.action,
      fromStatus: e.from ?? null,
      toStatus: e.to ?? null,
      data: e.data ? JSON.stringify(e.data) : null,
    })
    .run();
}
