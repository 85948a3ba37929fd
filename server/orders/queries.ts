// Reads about orders, services and providers.
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { orders, providers, services } from '../../db/schema';
import type { Db } from '../db';

export type Order = typeof orders.$inferSelect;
export type Service = typeof services.$inferSelect;
export type Provider = typeof providers.$inferSelect;

export function findOrder(db: Db, id: string): Order | null {
  return db.select().from(orders).where(eq(orders.id, id)).get() ?? null;
}

export function findOrders(db: Db, ids: string[]): Map<string, Order> {
  if (ids.length === 0) return new Map();
  return new Map(db.select().from(orders).where(inArray(orders.id, ids)).all().map((o) => [o.id, o]));
}

export function findService(db: Db, id: string | null): Service | null {
  return id === null ? null : (db.select().from(services).where(eq(services.id, id)).get() ?? null);
}

export function findProvider(db: Db, id: string | null): Provider | null {
  return id === null ? null : (db.select().from(providers).where(eq(providers.id, id)).get() ?? null);
}

export function isConnected(p: Provider | null): boolean {
  return p !== null && p.apiUrl !== null && p.apiKeySealed !== null;
}

/**
 * Another of the customer's orders for the same service ran on the same link at
 * the same time (seed 001: the counts mix, so the overlap is not compensated).
 * Likes and saves on one post do not overlap; two likes orders do.
 */
export function hasOverlap(db: Db, order: Order, now: number): boolean {
  const end = order.completedAt ?? now;
  const sameService = order.serviceId === null ? isNull(orders.serviceId) : eq(orders.serviceId, order.serviceId);
  return db
    .select({ createdAt: orders.createdAt, completedAt: orders.completedAt })
    .from(orders)
    .where(
      and(
        eq(orders.link, order.link),
        eq(orders.customerEmail, order.customerEmail),
        sameService,
        ne(orders.id, order.id),
        ne(orders.status, 'canceled'),
      ),
    )
    .all()
    .some((o) => o.createdAt < end && (o.completedAt ?? now) > order.createdAt);
}
