// Optimistic locking: every state-changing staff form carries the ticket version it
// was built from; a write based on an older version changes nothing and answers 409.
import { and, eq } from 'drizzle-orm';
import { tickets } from '../../db/schema';
import type { Db } from '../db';
import { AppError } from '../domain/errors';
import type { Ticket } from '../tickets/queries';

export class StaleTicket extends AppError {
  constructor(readonly ticketNumber: string) {
    super(409, 'ticket.stale');
  }
}

/** Moves the ticket to the next version if it is still at `version`; call inside the write's transaction. */
export function bumpVersion(db: Db, ticket: Pick<Ticket, 'id' | 'number'>, version: number, now: number): number {
  const done = db
    .update(tickets)
    .set({ version: version + 1, updatedAt: now })
    .where(and(eq(tickets.id, ticket.id), eq(tickets.version, version)))
    .run();
  if (done.changes === 0) throw new StaleTicket(ticket.number);
  return version + 1;
}
