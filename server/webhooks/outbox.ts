// Events for the panel's webhook, queued in the outbox in the same transaction as
// the change they report; the sender delivers them (signed, retried) later.
import crypto from 'node:crypto';
import type { Db } from '../db';
import { enqueue } from '../mail/outbox';
import type { WebhookMessage } from './deliver';

export type WebhookEvent = 'decision.issued' | 'ticket.created' | 'ticket.resolved';

/**
 * The JSON every delivery carries, `{ id, event, createdAt, data }`, with a new id (the
 * receiver's key for ignoring a repeat). 'webhook.test' is the settings page's test.
 */
export function webhookPayload(event: WebhookEvent | 'webhook.test', data: Record<string, unknown>, now: number): WebhookMessage {
  const id = crypto.randomUUID();
  return { id, event, body: JSON.stringify({ id, event, createdAt: new Date(now).toISOString(), data }) };
}

export function enqueueWebhook(db: Db, event: WebhookEvent, data: Record<string, unknown>, now: number): void {
  enqueue(db, 'webhook', webhookPayload(event, data, now).body, now);
}
