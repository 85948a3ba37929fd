// Reads about orders, services and providers.
import { orders, providers, services } from '../../db/schema';
import { prepared, rowReader, type Db } from '../db';

export type Order = typeof orders.$inferSelect;
export type Service = typeof services.$inferSelect;
export type Provider = typeof providers.$inferSelect;

const O = rowReader(orders, 'o');
const S = rowReader(services, 's');
const P = rowReader(providers, 'p');

export function findOrder(db: Db, id: string): Order | null {
  const row = prepared(db, `SELECT ${O.select} FROM orders o WHERE o.id = ?`).get(id) as Record<string, unknown> | undefined;
  return row ? O.map(row) : null;
}

export function findOrders(db: Db, ids: string[]): Map<string, Order> {
  if (ids.length === 0) return new Map();
  const rows = prepared(db, `SELECT ${O.select} FROM orders o WHERE o.id IN (${ids.map(() => '?').join(', ')})`).all(...ids) as Record<string, unknown>[];
  return new Map(rows.map((r) => O.map(r)).map((o) => [o.id, o]));
}

export function findService(db: Db, id: string | null): Service | null {
  if (id === null) return null;
  const row = prepared(db, `SELECT ${S.select} FROM services s WHERE s.id = ?`).get(id) as Record<string, unknown> | undefined;
  return row ? S.map(row) : null;
}

export function findProvider(db: Db, id: string | null): Provider | null {
  if (id === null) return null;
  const row = prepared(db, `SELECT ${P.select} FROM providers p WHERE p.id = ?`).get(id) as Record<string, unknown> | undefined;
  return row ? P.map(row) : null;
}

export function isConnected(p: Provider | null): p is Provider & { apiUrl: string; apiKeySealed: string } {
  return p !== null && Boolean(p.apiUrl) && Boolean(p.apiKeySealed);
}

/**
 * Another of the customer's orders for the same service ran on the same link at
 * the same time (seed 001: the counts mix, so the overlap is not compensated).
 * Likes and saves on one post do not overlap; two likes orders do.
 */
export function hasOverlap(db: Db, order: Order, now: number): boolean {
  const end = order.completedAt ?? now;
  const others = prepared(
    db,
    `SELECT created_at AS createdAt, completed_at AS completedAt FROM orders
     WHERE link = ? AND customer_email = ? AND service_id IS ? AND id <> ? AND status <> 'canceled'`,
  ).all(order.link, order.customerEmail, order.serviceId, order.id) as { createdAt: number; completedAt: number | null }[];
  return others.some((o) => o.createdAt < end && (o.completedAt ?? now) > order.createdAt);
}
