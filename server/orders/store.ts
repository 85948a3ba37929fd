// Bulk upserts of the panel's services and orders (API and CSV import share them).
// Idempotent: an item equal to what is stored changes nothing. Bad items are
// reported by index and do not stop the good ones.
import { eq, inArray } from 'drizzle-orm';
import { orders, providers, services } from '../../db/schema';
import { transaction, type Db } from '../db';
import type { FieldErrors } from '../domain/errors';
import { parseOrderItem, parseServiceItem, type OrderItem, type Parsed } from './items';
import { findOrders } from './queries';

export const MAX_ITEMS_PER_CALL = 1000;

export interface ItemError {
  index: number;
  fields: FieldErrors;
}

export interface UpsertResult {
  created: number;
  updated: number;
  unchanged: number;
  errors: ItemError[];
}

export interface UpsertOptions {
  now: number;
  /** Check only: nothing is written (the CSV preview). */
  dryRun?: boolean;
}

export interface OrderUpsertOptions extends UpsertOptions {
  /** For orders sent without a currency. */
  currency: string;
}

export function upsertOrders(db: Db, raws: readonly unknown[], opts: OrderUpsertOptions): UpsertResult {
  const { good, errors } = split(raws, (raw) => parseOrderItem(raw, opts.currency));
  return write(db, good, errors, opts, {
    stored: (ids) =>
      [...findOrders(db, ids).values()].map(({ panelRefundedMicros, syncedAt: _s, updatedAt: _u, ...row }) => ({
        ...row,
        refundedMicros: panelRefundedMicros,
      })),
    save: (item, now, exists) => saveOrder(db, item, now, exists),
  });
}

export function upsertServices(db: Db, raws: readonly unknown[], opts: UpsertOptions): UpsertResult {
  const { good, errors } = split(raws, parseServiceItem);
  return write(db, good, errors, opts, {
    stored: (ids) =>
      db
        .select()
        .from(services)
        .where(inArray(services.id, ids))
        .all()
        .map(({ createdAt: _c, updatedAt: _u, ...row }) => row),
    save: (item, now, exists) => {
      const values = { ...item, updatedAt: now };
      if (exists) db.update(services).set(values).where(eq(services.id, item.id)).run();
      else db.insert(services).values({ ...values, createdAt: now }).run();
    },
  });
}

type Item = { id: string; providerId: string | null };

interface Writer<T extends Item> {
  /** What is stored for these IDs, in the item's own shape. */
  stored: (ids: string[]) => T[];
  save: (item: T, now: number, exists: boolean) => void;
}

function split<T>(raws: readonly unknown[], parse: (raw: unknown) => Parsed<T>) {
  const good: T[] = [];
  const errors: ItemError[] = [];
  raws.forEach((raw, index) => {
    const parsed = parse(raw);
    if (parsed.ok) good.push(parsed.value);
    else errors.push({ index, fields: parsed.fields });
  });
  return { good, errors };
}

function write<T extends Item>(db: Db, good: T[], errors: ItemError[], opts: UpsertOptions, w: Writer<T>): UpsertResult {
  const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, errors };
  const run = () => {
    const known = new Map(w.stored([...new Set(good.map((g) => g.id))]).map((row) => [row.id, row]));
    if (!opts.dryRun) ensureProviders(db, good.map((g) => g.providerId), opts.now);
    for (const item of good) {
      const before = known.get(item.id);
      if (before && same(before, item)) result.unchanged++;
      else {
        if (!opts.dryRun) w.save(item, opts.now, before !== undefined);
        if (before) result.updated++;
        else result.created++;
      }
      // a later item with the same ID in this call compares against this one
      known.set(item.id, item);
    }
  };
  if (opts.dryRun) run();
  else transaction(db, run);
  return result;
}

function same<T extends object>(a: T, b: T): boolean {
  return (Object.keys(b) as (keyof T)[]).every((k) => a[k] === b[k]);
}

/**
 * The panel's word on status, remains and counts replaces the provider's: the order
 * counts as not synced (syncedAt null) until the provider is asked again.
 */
function saveOrder(db: Db, item: OrderItem, now: number, exists: boolean) {
  const { refundedMicros, ...rest } = item;
  const values = { ...rest, panelRefundedMicros: refundedMicros, syncedAt: null, updatedAt: now };
  if (exists) db.update(orders).set(values).where(eq(orders.id, item.id)).run();
  else db.insert(orders).values(values).run();
}

/** Providers named by ID only get a row (named by their ID) that a manager can complete. */
function ensureProviders(db: Db, ids: (string | null)[], now: number) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return;
  db.insert(providers)
    .values(wanted.map((id) => ({ id, name: id, createdAt: now, updatedAt: now })))
    .onConflictDoNothing()
    .run();
}
