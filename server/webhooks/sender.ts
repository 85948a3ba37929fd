// Webhooks leave through the outbox like emails: queued in the transaction of the
// change they report (webhooks/outbox.ts), POSTed here signed, retried with backoff
// for up to a day, and, because the queue is a table, resumed after a restart.
// Each attempt is written to webhook_deliveries in the same step as its outcome, so
// an event that was answered 2xx is never sent again.
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { outbox } from '../../db/schema';
import { transaction, type Db } from '../db';
import { backoffMs, dueOutboxRows } from '../mail/outbox';
import { Poller } from '../polling';
import { DEFAULT_TIMEOUT_MS, postWebhook, webhookTarget, type DeliveryResult, type WebhookMessage, type WebhookTarget } from './deliver';
import { recordDelivery } from './deliveries';
import { webhookPayload } from './outbox';

/** An event not delivered within a day of being queued is given up ('failed'). */
export const MAX_AGE_MS = 24 * 3_600_000;
const BATCH = 50;

/** The emails' backoff (30 s, 1 min, 2 min … capped at an hour), plus up to 10 % so receivers are not hit in step. */
export function webhookBackoffMs(attempts: number, random: () => number = Math.random): number {
  const base = backoffMs(Math.max(attempts, 1));
  return base + Math.floor(base * 0.1 * random());
}

export interface WebhookSenderDeps {
  db: Db;
  /** the desk's SECRET, which unseals the webhook signing secret */
  secret: string;
  log: Logger;
  clock: () => number;
  timeoutMs?: number;
}

type Outcome = 'sent' | 'retry' | 'skipped';
type OutboxRow = typeof outbox.$inferSelect;

export class WebhookSender {
  private readonly poller = new Poller(
    () => this.pass(),
    (err) => this.deps.log.error({ err }, 'webhook sender failed'),
  );
  private problem: string | null = null;
  private readonly timeoutMs: number;

  constructor(private readonly deps: WebhookSenderDeps) {
    this.timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  start(intervalMs: number): void {
    this.poller.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Sends the webhooks that are due, oldest first, until one fails; one pass at a time. Returns how many were delivered. */
  drain(): Promise<number> {
    return this.poller.run();
  }

  private async pass(): Promise<number> {
    const { db, clock } = this.deps;
    const due = dueOutboxRows(db, 'webhook', clock(), BATCH).all();
    // Most polls find nothing due: the settings are read, and the secret unsealed, only when something is.
    if (due.length === 0) return 0;
    const target = webhookTarget(db, this.deps.secret);
    // Without a URL and a secret, events wait (pending, no attempt) until both are set.
    if ('problem' in target) {
      if (target.problem !== this.problem) this.deps.log.info({ problem: target.problem }, 'webhooks wait for their settings');
      this.problem = target.problem;
      return 0;
    }
    this.problem = null;
    let sent = 0;
    for (const row of due) {
      const outcome = await this.deliver(row, target);
      if (outcome === 'sent') sent += 1;
      // A failing receiver is not hammered with the rest of the batch (each could wait
      // the full timeout); they stay due and go in the next pass.
      if (outcome === 'retry') break;
    }
    return sent;
  }

  private async deliver(row: OutboxRow, target: WebhookTarget): Promise<Outcome> {
    const { db, clock, log } = this.deps;
    const message = messageOf(row);
    if (!message) {
      log.warn({ outboxId: row.id }, 'webhook payload unreadable; not sent');
      db.update(outbox).set({ status: 'failed', lastError: 'unreadable payload' }).where(eq(outbox.id, row.id)).run();
      return 'skipped';
    }
    // Take the row for the length of one attempt: another process sharing the
    // database skips it, and if this one dies mid-POST the row is due again later.
    const taken = db
      .update(outbox)
      .set({ nextAttemptAt: clock() + this.timeoutMs + 60_000 })
      .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending'), eq(outbox.nextAttemptAt, row.nextAttemptAt)))
      .run();
    if (taken.changes === 0) return 'skipped';

    const result = await postWebhook(target, message, clock(), this.timeoutMs);
    const now = clock();
    const attempts = row.attempts + 1;
    const expired = now - row.createdAt >= MAX_AGE_MS;
    transaction(db, () => {
      recordDelivery(db, { outboxId: row.id, event: message.event, url: target.url, result }, now);
      db.update(outbox)
        .set(
          result.ok
            ? { status: 'sent', sentAt: now, attempts, lastError: null }
            : {
                status: expired ? 'failed' : 'pending',
                attempts,
                lastError: result.error,
                nextAttemptAt: expired ? now : now + webhookBackoffMs(attempts),
              },
        )
        .where(eq(outbox.id, row.id))
        .run();
    });
    if (result.ok) return 'sent';
    // The receiver's answer and the URL stay in the delivery log; the log gets the id and status.
    log.warn({ outboxId: row.id, status: result.statusCode }, expired ? 'webhook given up after 24 h' : 'webhook not delivered');
    return 'retry';
  }
}

function messageOf(row: OutboxRow): WebhookMessage | null {
  try {
    const payload = JSON.parse(row.payload) as { id?: unknown; event?: unknown };
    if (typeof payload.id !== 'string' || typeof payload.event !== 'string') return null;
    return { id: payload.id, event: payload.event, body: row.payload };
  } catch {
    return null;
  }
}

export interface TestWebhookDeps {
  db: Db;
  secret: string;
  clock: () => number;
  timeoutMs?: number;
}

/**
 * The settings page's "send test": POSTs a signed `webhook.test` event now, outside
 * the queue, and answers what the receiver said. `error` is 'webhook_url_missing' or
 * 'webhook_secret_missing' when the settings are incomplete (nothing is sent then),
 * otherwise the receiver's problem ('HTTP 500', 'timeout after 10000 ms', …) or null.
 * The attempt is kept in the delivery log under an outbox row that is already final
 * ('sent' or 'failed'), so the sender never picks it up.
 */
export async function sendTestWebhook(deps: TestWebhookDeps): Promise<DeliveryResult> {
  const { db, clock } = deps;
  const target = webhookTarget(db, deps.secret);
  if ('problem' in target) return { ok: false, statusCode: null, error: target.problem, durationMs: 0 };
  const createdAt = clock();
  const message = webhookPayload('webhook.test', { message: 'A test delivery from RefundDesk.' }, createdAt);
  const result = await postWebhook(target, message, createdAt, deps.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const now = clock();
  transaction(db, () => {
    const row = db
      .insert(outbox)
      .values({
        kind: 'webhook',
        payload: message.body,
        status: result.ok ? 'sent' : 'failed',
        attempts: 1,
        nextAttemptAt: now,
        lastError: result.error,
        createdAt,
        sentAt: result.ok ? now : null,
      })
      .returning({ id: outbox.id })
      .get();
    recordDelivery(db, { outboxId: row.id, event: 'webhook.test', url: target.url, result }, now);
  });
  return result;
}
