// Opens the SQLite file with the pragmas the desk relies on and applies migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../db/schema';
import { MIGRATIONS_DIR } from './paths';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };


export function openDb(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // 16 MB of pages (the default is 2 MB): the queue's indexes and recent tickets stay in memory.
  sqlite.pragma('cache_size = -16000');
  reusePreparedStatements(sqlite);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db;
}

/**
 * A read-only connection for a long read (an export job): no migrations, and a
 * small page cache, so a million-row walk neither holds much memory nor pushes the
 * desk's hot pages out of the desk's own cache.
 */
export function openReader(file: string): Db {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -2000');
  reusePreparedStatements(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * Compiling SQL costs more than running these small queries, and the desk sends the
 * same few hundred statement texts over and over: keep each compiled statement and
 * hand it out again while it is not busy (an open iterator keeps it busy, so a
 * second reader gets a fresh one). Result modes drizzle may have switched on are reset.
 */
function reusePreparedStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const statement = kept.get(source);
    if (statement && !statement.busy) {
      if (statement.reader) statement.raw(false).pluck(false).expand(false);
      return statement;
    }
    const fresh = compile(source);
    if (!statement && kept.size < 5000) kept.set(source, fresh);
    return fresh;
  }) as typeof sqlite.prepare;
}

/** `?, ?, ?`: n placeholders for an IN (…) list. */
export function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Runs fn in one immediate transaction: everything or nothing. */
export function transaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}

/**
 * A statement for this SQL text. openDb made the connection's prepare() reuse
 * compiled statements (and never hand out a busy one), so this is just a name for
 * the intent at the call sites that bypass the query builder.
 */
export function prepared(db: Db, text: string): Database.Statement {
  return db.$client.prepare(text);
}

/** A keyset walk: a statement whose last parameters are the cursor and then the batch size. */
interface Batches<Row> {
  /** ends with `… > cursor ORDER BY … LIMIT ?` (or `<` for newest first) */
  statement: Database.Statement;
  /** the parameters before the cursor's */
  params: readonly unknown[];
  /** the cursor of the first batch: before every row */
  start: readonly unknown[];
  /** the cursor after a batch's last row */
  cursorOf(row: Row): readonly unknown[];
  batchSize: number;
  /** rows as arrays of values instead of objects (set on every batch: the statement is shared) */
  raw?: boolean;
}

/**
 * Every row of a keyset walk, one batch at a time. Each batch is one short, synchronous
 * .all(), so between batches, while `between` waits (for a slow download to drain),
 * no statement is open on the shared connection and memory holds one batch at most.
 * Resolves with the number of rows.
 */
export async function eachBatch<Row>(walk: Batches<Row>, onRow: (row: Row) => void, between: (rowsSoFar: number) => Promise<void>): Promise<number> {
  let cursor = walk.start;
  let total = 0;
  for (;;) {
    let inBatch = 0;
    let last: Row | undefined;
    // all() rather than iterate(): one call into SQLite per batch instead of one per row.
    for (const row of walk.statement.raw(walk.raw ?? false).all(...walk.params, ...cursor, walk.batchSize) as Row[]) {
      onRow(row);
      last = row;
      inBatch += 1;
    }
    total += inBatch;
    if (inBatch < walk.batchSize || last === undefined) return total;
    cursor = walk.cursorOf(last);
    await between(total);
  }
}

/**
 * Hot read paths skip drizzle's query builder (which costs more than the query):
 * a table's columns as a SELECT list under their TypeScript names, and a mapper
 * that converts values the way drizzle does (booleans, JSON modes).
 */
export function rowReader<T extends SQLiteTable>(table: T, alias = '') {
  const columns = Object.entries(getTableColumns(table)) as [string, SQLiteColumn][];
  const prefix = alias ? `${alias}.` : '';
  const select = columns.map(([key, c]) => `${prefix}"${c.name}" AS "${key}"`).join(', ');
  const map = (raw: Record<string, unknown>): T['$inferSelect'] => {
    const out: Record<string, unknown> = {};
    for (const [key, c] of columns) {
      const v = raw[key];
      out[key] = v === null || v === undefined ? null : c.mapFromDriverValue(v);
    }
    return out as T['$inferSelect'];
  };
  return { select, map };
}
