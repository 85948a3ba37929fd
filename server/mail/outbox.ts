// Emails leave through the outbox: queued in the same transaction as the change
// that causes them, sent by a worker that retries with backoff and, because the
// queue is a table, picks up where it left off after a restart.
import { and, asc, eq, lte } from 'drizzle-orm';
import type { Logger } from 'pino';
import { outbox } from '../../db/schema';
import { prepared, type Db } from '../db';
import { Poller } from '../polling';
import type { Mailer, OutgoingEmail } from './transport';

export const MAX_ATTEMPTS = 8;

export function enqueueEmail(db: Db, email: OutgoingEmail, now: number): void {
  enqueue(db, 'email', JSON.stringify(email), now);
}

/** One message for a worker to send, due now (plain prepared SQL: queued on every intake and decision). */
export function enqueue(db: Db, kind: 'email' | 'webhook', payload: string, now: number): void {
  prepared(db, 'INSERT INTO outbox (kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)').run(kind, payload, now, now);
}

/** 30 s, 1 min, 2 min … capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);
}

/**
 * The query a worker runs for its next batch: its own kind's pending rows whose time
 * has come, oldest first (outbox_due_idx covers it; test/http/outbox-index checks the plan).
 */
export function dueOutboxRows(db: Db, kind: 'email' | 'webhook', now: number, limit: number) {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.kind, kind), eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.id))
    .limit(limit);
}

export class OutboxWorker {
  private readonly poller = new Poller(
    () => this.pass(),
    (err) => this.log.error({ err }, 'email outbox failed'),
  );

  constructor(
    private readonly db: Db,
    private readonly mailer: Mailer,
    private readonly log: Logger,
    private readonly clock: () => number,
  ) {}

  start(intervalMs: number): void {
    this.poller.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Sends every message that is due; one pass at a time. Returns how many were sent. */
  drain(): Promise<number> {
    return this.poller.run();
  }

  private async pass(): Promise<number> {
    let sent = 0;
    const due = dueOutboxRows(this.db, 'email', this.clock(), 50).all();
    for (const row of due) {
      const email = JSON.parse(row.payload) as OutgoingEmail;
      try {
        await this.mailer.send(email);
        // Once delivered, keep who and what, not the body with its private link.
        this.db
          .update(outbox)
          .set({
            status: 'sent',
            sentAt: this.clock(),
            attempts: row.attempts + 1,
            lastError: null,
            payload: JSON.stringify({ to: email.to, subject: email.subject }),
          })
          .where(eq(outbox.id, row.id))
          .run();
        sent += 1;
      } catch (err) {
        const attempts = row.attempts + 1;
        const message = err instanceof Error ? err.message : String(err);
        this.log.warn({ outboxId: row.id, attempts, error: message }, 'email not sent');
        this.db
          .update(outbox)
          .set({
            attempts,
            lastError: message.slice(0, 500),
            status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
            nextAttemptAt: this.clock() + backoffMs(attempts),
          })
          .where(eq(outbox.id, row.id))
          .run();
      }
    }
    return sent;
  }
}
