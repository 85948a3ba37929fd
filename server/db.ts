// Opens the SQLite file with the pragmas the desk relies on and applies migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../db/schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = path.join(import.meta.dirname, '..', 'db', 'migrations');

export function openDb(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  reusePreparedStatements(sqlite);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return db;
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

/** Runs fn in one immediate transaction: everything or nothing. */
export function transaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement for this SQL text, compiled once per connection and reused. */
export function prepared(db: Db, text: string): Database.Statement {
  let cache = statements.get(db.$client);
  if (!cache) {
    cache = new Map();
    statements.set(db.$client, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = db.$client.prepare(text);
    // Texts are built from a bounded set of shapes (filters, IN lists up to a page), so the cache stays small.
    if (cache.size < 2000) cache.set(text, statement);
  }
  return statement;
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
