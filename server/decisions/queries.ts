// Reads of decisions for the panel API, as plain SQL (panels poll them).
import { decisions } from '../../db/schema';
import { prepared, rowReader, type Db } from '../db';
import type { Decision } from '../review/facts';

/** Where a panel is in the list of issued decisions: the last one it has. */
export interface DecisionCursor {
  issuedAt: number;
  id: number;
}

interface IssuedDecision {
  decision: Decision;
  ticket: string;
  customerEmail: string;
}

const D = rowReader(decisions, 'd');

/** Issued decisions after the cursor (from the first when null), in the order they were issued: keyset on (issued_at, id), which decisions_issued_idx serves. */
export function issuedDecisionsAfter(db: Db, after: DecisionCursor | null, limit: number): IssuedDecision[] {
  const rows = prepared(
    db,
    `SELECT ${D.select}, t.number AS "ticketNumber", t.email AS "ticketEmail"
     FROM decisions d JOIN tickets t ON t.id = d.ticket_id
     WHERE d.state = 'issued'${after ? ' AND (d.issued_at, d.id) > (@issuedAt, @id)' : ''}
     ORDER BY d.issued_at, d.id LIMIT @limit`,
  ).all({ ...(after ?? {}), limit }) as (Record<string, unknown> & { ticketNumber: string; ticketEmail: string })[];
  return rows.map((r) => ({ decision: D.map(r), ticket: r.ticketNumber, customerEmail: r.ticketEmail }));
}
