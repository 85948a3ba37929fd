// The delivery log: every attempt to POST a webhook and what the receiver answered.
import { desc, eq, lt } from 'drizzle-orm';
import { outbox, webhookDeliveries } from '../../db/schema';
import type { Db } from '../db';
import type { DeliveryResult } from './deliver';

export function recordDelivery(
  db: Db,
  attempt: { outboxId: number; event: string; url: string; result: DeliveryResult },
  now: number,
): void {
  db.insert(webhookDeliveries)
    .values({
      outboxId: attempt.outboxId,
      event: attempt.event,
      url: attempt.url,
      statusCode: attempt.result.statusCode,
      error: attempt.result.error,
      durationMs: attempt.result.durationMs,
      attemptedAt: now,
    })
    .run();
}

export interface DeliveryRow {
  id: number;
  outboxId: number;
  event: string;
  url: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: number;
  /** the event's state now: pending (will be retried), sent or failed */
  outboxStatus: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
}

export const MAX_DELIVERIES_PAGE = 200;

/** Newest first, keyset by id: pass the page's `next` as `before` for the older ones. */
export function listDeliveries(db: Db, opts: { before?: number; limit: number }): { deliveries: DeliveryRow[]; next: number | null } {
  const limit = Math.max(1, Math.min(Math.floor(opts.limit), MAX_DELIVERIES_PAGE));
  const rows = db
    .select({
      id: webhookDeliveries.id,
      outboxId: webhookDeliveries.outboxId,
      event: webhookDeliveries.event,
      url: webhookDeliveries.url,
      statusCode: webhookDeliveries.statusCode,
      error: webhookDeliveries.error,
      durationMs: webhookDeliveries.durationMs,
      attemptedAt: webhookDeliveries.attemptedAt,
      outboxStatus: outbox.status,
      attempts: outbox.attempts,
      nextAttemptAt: outbox.nextAttemptAt,
    })
    .from(webhookDeliveries)
    .innerJoin(outbox, eq(outbox.id, webhookDeliveries.outboxId))
    .where(opts.before === undefined ? undefined : lt(webhookDeliveries.id, opts.before))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit + 1)
    .all();
  const deliveries = rows.slice(0, limit);
  return { deliveries, next: rows.length > limit ? deliveries[deliveries.length - 1]!.id : null };
}
