// Refreshes orders from their providers (API v2 multi-status, 100 per request):
// when an agent opens a ticket, and periodically for every open ticket's orders.
// A provider that fails is logged without its key and retried on the next round.
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import { orders, ticketOrders } from '../../db/schema';
import { transaction, type Db } from '../db';
import { Poller } from '../polling';
import type { ProviderOrderStatus } from '../providers/api-v2';
import { clientFor, providerConnection } from '../providers/connections';
import { findOrders, type Order } from './queries';

export interface SyncDeps {
  db: Db;
  secret: string;
  log: Logger;
  clock: () => number;
  timeoutMs: number;
}

export interface SyncReport {
  updated: number;
  /** orders the provider answered with an error for, or left out */
  missing: number;
  /** providers that could not be asked (unreachable, rejected, unreadable answer) */
  failedProviders: string[];
}

const FINAL = new Set(['completed', 'partial', 'canceled']);

export class OrderSync {
  private readonly poller = new Poller(
    () => this.syncOrders(this.openTicketOrders()),
    (err) => this.deps.log.error({ err }, 'provider sync failed'),
  );

  constructor(private readonly deps: SyncDeps) {}

  /** Refreshes these orders unless they were synced within `maxAgeMs`. Never rejects. */
  async refresh(orderIds: string[], maxAgeMs = 0): Promise<SyncReport> {
    const { db, clock } = this.deps;
    if (orderIds.length === 0) return empty();
    try {
      const now = clock();
      // Only orders a provider can be asked about, not synced within maxAgeMs.
      const due = [...findOrders(db, orderIds).values()].filter(
        (o) => o.providerId !== null && o.providerOrderId !== null && (o.syncedAt === null || o.syncedAt <= now - maxAgeMs),
      );
      return await this.syncOrders(due);
    } catch (err) {
      this.deps.log.error({ err }, 'order refresh failed');
      return { ...empty(), failedProviders: ['*'] };
    }
  }

  /** Every order of an open ticket; one round at a time. */
  syncOpenTickets(): Promise<SyncReport> {
    return this.poller.run();
  }

  /** A round every `intervalMs`; 0 or less, none. */
  start(intervalMs: number): void {
    if (intervalMs > 0) this.poller.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  private openTicketOrders(): Order[] {
    return this.deps.db
      .selectDistinct({ order: orders })
      .from(ticketOrders)
      .innerJoin(orders, eq(orders.id, ticketOrders.orderId))
      .where(and(eq(ticketOrders.open, true), isNotNull(orders.providerId), isNotNull(orders.providerOrderId)))
      .all()
      .map((r) => r.order);
  }

  private async syncOrders(list: Order[]): Promise<SyncReport> {
    const report = empty();
    const byProvider = new Map<string, Order[]>();
    for (const o of list) {
      const group = byProvider.get(o.providerId!);
      if (group) group.push(o);
      else byProvider.set(o.providerId!, [o]);
    }
    for (const [providerId, group] of byProvider) {
      const connection = providerConnection(this.deps.db, this.deps.secret, providerId);
      if (!connection) continue;
      const answer = await clientFor(connection, this.deps.timeoutMs).statuses(group.map((o) => o.providerOrderId!));
      if (!answer.ok) {
        report.failedProviders.push(providerId);
        this.deps.log.warn({ provider: providerId, kind: answer.kind, code: answer.code, message: answer.message }, 'provider status failed');
        continue;
      }
      const now = this.deps.clock();
      transaction(this.deps.db, () => {
        for (const o of group) {
          const item = answer.value.get(o.providerOrderId!);
          if (item?.ok) {
            this.apply(o, item.value, now);
            report.updated++;
          } else report.missing++;
        }
      });
    }
    return report;
  }

  private apply(o: Order, s: ProviderOrderStatus, now: number) {
    this.deps.db
      .update(orders)
      .set({
        status: s.status,
        statusText: s.rawStatus,
        remains: s.remains ?? o.remains,
        startCount: s.startCount ?? o.startCount,
        completedAt: o.completedAt ?? (FINAL.has(s.status) ? now : null),
        syncedAt: now,
      })
      .where(eq(orders.id, o.id))
      .run();
  }
}

function empty(): SyncReport {
  return { updated: 0, missing: 0, failedProviders: [] };
}
