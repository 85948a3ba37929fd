// CSV import of the panel's orders: read the file into lines, map its columns to
// order fields, then check or store the rows through the same upsert as the
// panel API, in batches. Problems are translation keys: a file-level one under
// import:, a row's field problems under errors: (as the API reports them).
import type { TFunction } from 'i18next';
import { parse, type Info } from 'csv-parse/sync';
import { fieldMessages } from '../api/errors';
import type { Db } from '../db';
import { audit } from '../desk/audit';
import type { FieldErrors } from '../domain/errors';
import type { Mapping, OrderField } from './csv-mapping';
import { MAX_ITEMS_PER_CALL, upsertOrders } from './store';

export const MAX_ROWS = 100_000;
/** Each column is one form field on the preview; the form body allows about a hundred. */
export const MAX_COLUMNS = 80;
export const PREVIEW_ROWS = 20;

/** A translation key under import:, with its values. */
export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

export interface CsvRow {
  /** The physical line of the file where the record starts; the header is line 1. */
  line: number;
  values: string[];
}

export interface CsvTable {
  headers: string[];
  rows: CsvRow[];
}

export type ReadResult = { ok: true; table: CsvTable } | { ok: false; problem: Problem };

export interface LineError {
  line: number;
  /** Field problems from the order checks, keys under errors:. */
  fields: FieldErrors;
  /** A problem with the line as a whole, key under import:. */
  row?: Problem;
}

export interface PreviewRow {
  line: number;
  values: Partial<Record<OrderField, string>>;
}

export interface ImportResult {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: LineError[];
  preview: PreviewRow[];
}

const DELIMITERS = [',', ';', '\t'] as const;

/** Reads an uploaded file: UTF-8 (a BOM is dropped), comma, semicolon or tab separated. */
export function readCsv(data: Buffer, opts: { maxRows?: number } = {}): ReadResult {
  const maxRows = opts.maxRows ?? MAX_ROWS;
  if (data.length === 0) return fail('file.empty');
  if (data.includes(0)) return fail('file.notCsv');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return fail('file.notUtf8');
  }
  // One line break, whatever the exporter wrote, so line numbers are the ones an editor shows.
  text = text.replace(/\r\n?/g, '\n');
  let records: { record: string[]; info: Info }[];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: Info }[];
  } catch (err) {
    const line = (err as { lines?: unknown }).lines;
    return fail('file.malformed', { line: typeof line === 'number' ? line : 1 });
  }
  const [head, ...body] = records.filter((r) => r.record.some((v) => v.trim() !== ''));
  if (!head) return fail('file.empty');
  if (head.record.length > MAX_COLUMNS) return fail('file.tooManyColumns', { max: MAX_COLUMNS });
  if (body.length === 0) return fail('file.noRows');
  if (body.length > maxRows) return fail('file.tooManyRows', { max: maxRows });
  return {
    ok: true,
    table: {
      headers: head.record.map((h) => h.trim()),
      rows: body.map(({ record, info }) => ({ line: startLine(record, info), values: record })),
    },
  };
}

function fail(key: string, params?: Problem['params']): { ok: false; problem: Problem } {
  return { ok: false, problem: params ? { key, params } : { key } };
}

/** csv-parse counts the line a record ends on; a quoted value may span several. */
function startLine(record: string[], info: Info): number {
  const breaks = record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
  return info.lines - breaks;
}

/** The separator used most in the header line (outside quotes); a comma when none is. */
export function detectDelimiter(text: string): string {
  const first = firstLine(text);
  const unquoted = first.replace(/"[^"]*"/g, '');
  let best: string = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = unquoted.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

/** The first line that is not blank, found without splitting the whole file. */
function firstLine(text: string): string {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    if (line.trim() !== '') return line;
    if (end === -1) break;
    start = end + 1;
  }
  return '';
}

/** One row as an order item: { field: text } for the mapped columns. */
function itemOf(values: readonly string[], mapping: Mapping): Partial<Record<OrderField, string>> {
  const item: Partial<Record<OrderField, string>> = {};
  mapping.forEach((field, i) => {
    if (field !== null) item[field] = (values[i] ?? '').trim();
  });
  return item;
}

/** Checks (dryRun) or stores the rows; the mapping must have passed mappingProblem(). */
export function importRows(
  db: Db,
  table: CsvTable,
  mapping: Mapping,
  opts: { now: number; currency: string; dryRun: boolean },
): ImportResult {
  const result: ImportResult = { rows: table.rows.length, created: 0, updated: 0, unchanged: 0, errors: [], preview: [] };
  const width = table.headers.length;
  const usable: CsvRow[] = [];
  for (const row of table.rows) {
    if (row.values.length === width) usable.push(row);
    else result.errors.push({ line: row.line, fields: {}, row: { key: 'row.columns', params: { found: row.values.length, expected: width } } });
  }
  result.preview = table.rows.slice(0, PREVIEW_ROWS).map((row) => ({ line: row.line, values: itemOf(row.values, mapping) }));
  for (let start = 0; start < usable.length; start += MAX_ITEMS_PER_CALL) {
    const batch = usable.slice(start, start + MAX_ITEMS_PER_CALL);
    const out = upsertOrders(db, batch.map((row) => itemOf(row.values, mapping)), opts);
    result.created += out.created;
    result.updated += out.updated;
    result.unchanged += out.unchanged;
    for (const e of out.errors) result.errors.push({ line: batch[e.index]!.line, fields: e.fields });
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}

/** The audit trail's record of a stored import (no ticket: it concerns the panel's orders); staffId null is the command line. */
export function recordImport(db: Db, event: { staffId: number | null; fileName: string; result: ImportResult; now: number }) {
  const { created, updated, unchanged, errors, rows } = event.result;
  const data = { fileName: event.fileName, rows, created, updated, unchanged, errors: errors.length };
  audit(db, { ticketId: null, staffId: event.staffId, action: 'orders.imported', data }, event.now);
}

/** A line's problems as { field, message } in t's language; a problem of the whole line has field "row". */
export function lineMessages(
  t: TFunction,
  error: LineError,
  number: (n: number) => string = String,
): { field: OrderField | 'row'; message: string }[] {
  const fields = Object.entries(fieldMessages(t, error.fields)).map(([field, message]) => ({ field: field as OrderField, message }));
  if (!error.row) return fields;
  const params = Object.fromEntries(Object.entries(error.row.params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? number(v) : v]));
  return [{ field: 'row', message: t(`import:${error.row.key}`, params) }, ...fields];
}
