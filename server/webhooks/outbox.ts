// Events for the panel's webhook, queued in the outbox in the same transaction as
// the change they report; the sender delivers them (signed, retried) later.
import crypto from 'node:crypto';
import { outbox } from '../../db/schema';
import type { Db } from '../db';

export type WebhookEvent = 'decision.issued' | 'ticket.created' | 'ticket.resolved';

export function enqueueWebhook(db: Db, event: WebhookEvent, data: Record<string, unknown>, now: number): void {
  const payload = { id: crypto.randomUUID(), event, createdAt: new Date(now).toISOString(), data };
  db.insert(outbox)
    .values({ kind: 'webhook', payload: JSON.stringify(payload), nextAttemptAt: now, createdAt: now })
    .run();
}
