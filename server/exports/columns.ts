// The columns of each export: the header's translation key, what kind of cell it
// is (only 'text' cells can carry someone's typing, so only they are guarded
// against formula injection in CSV), a width for XLSX, and how a row becomes the
// cell. Money is the exact decimal string of the micro-units, never a float.
import type { TFunction } from 'i18next';
import { microsToDecimal } from '../domain/money';
import type { ExportKind } from './form';
import type { DecisionRow, ExportRow, TicketRow } from './queries';

/** text: free or translated text; amount: a decimal string; date: our own UTC text; integer: a number. */
export type CellKind = 'text' | 'amount' | 'date' | 'integer';
export type Cell = string | number | null;

export interface Column<R> {
  key: string;
  kind: CellKind;
  width: number;
  value(row: R, words: Words): Cell;
}

/** Translations for one export, each key looked up once (200,000 rows ask for the same few). */
export interface Words {
  t(key: string): string;
  t(key: string, params: Record<string, string>): string;
  /** t(`${prefix}.${value}`), without making that key again for every row */
  of(prefix: string, value: string): string;
}

export function wordsFor(t: TFunction): Words {
  const cache = new Map<string, string>();
  const byPrefix = new Map<string, Map<string, string>>();
  return {
    t(key: string, params?: Record<string, string>) {
      if (params) return String(t(key, params));
      let text = cache.get(key);
      if (text === undefined) cache.set(key, (text = String(t(key))));
      return text;
    },
    of(prefix, value) {
      let texts = byPrefix.get(prefix);
      if (!texts) byPrefix.set(prefix, (texts = new Map()));
      let text = texts.get(value);
      if (text === undefined) texts.set(value, (text = String(t(`${prefix}.${value}`))));
      return text;
    },
  };
}

/**
 * 2026-11-20 14:05 UTC: unambiguous in every language, and it sorts as text. Rows
 * come in time order, so a column keeps its last minute's text for the next row
 * (a map of every minute would keep a million short strings alive through an export).
 */
function utcMinuteOf<R>(time: (row: R) => number | null): (row: R) => string | null {
  let minute = Number.NaN;
  let text = '';
  return (row) => {
    const ms = time(row);
    if (ms === null) return null;
    const m = Math.floor(ms / 60_000);
    if (m !== minute) {
      const iso = new Date(m * 60_000).toISOString();
      minute = m;
      text = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
    }
    return text;
  };
}

const translated = (prefix: string, value: string | null, w: Words) => (value === null ? null : w.of(prefix, value));

export const DECISION_COLUMNS: readonly Column<DecisionRow>[] = [
  { key: 'ticketNumber', kind: 'text', width: 14, value: (r) => r.ticketNumber },
  { key: 'ticketCreated', kind: 'date', width: 20, value: utcMinuteOf((r) => r.ticketCreatedAt) },
  { key: 'issued', kind: 'date', width: 20, value: utcMinuteOf((r) => r.issuedAt) },
  { key: 'email', kind: 'text', width: 28, value: (r) => r.email },
  { key: 'ticketLanguage', kind: 'text', width: 12, value: (r, w) => translated('common:language', r.ticketLanguage, w) },
  { key: 'orderId', kind: 'text', width: 12, value: (r) => r.orderId },
  { key: 'service', kind: 'text', width: 28, value: (r) => r.serviceName },
  { key: 'provider', kind: 'text', width: 18, value: (r) => r.providerName },
  { key: 'orderStatus', kind: 'text', width: 14, value: (r, w) => translated('desk:orderStatus', r.orderStatus, w) },
  { key: 'reason', kind: 'text', width: 30, value: (r, w) => translated('common:reason', r.reason, w) },
  { key: 'outcome', kind: 'text', width: 20, value: (r, w) => translated('policy:outcome', r.outcome, w) },
  { key: 'destination', kind: 'text', width: 20, value: (r, w) => translated('policy:destination', r.destination, w) },
  { key: 'amount', kind: 'amount', width: 14, value: (r) => microsToDecimal(r.amountMicros) },
  { key: 'currency', kind: 'text', width: 8, value: (r) => r.currency },
  { key: 'fee', kind: 'amount', width: 12, value: (r) => microsToDecimal(r.feeMicros) },
  { key: 'method', kind: 'text', width: 14, value: (r) => r.method },
  { key: 'reference', kind: 'text', width: 18, value: (r) => r.reference },
  { key: 'agent', kind: 'text', width: 18, value: (r) => r.agentName },
  {
    key: 'rule',
    kind: 'text',
    width: 40,
    value: (r, w) =>
      r.overrideNote ? w.t('exports:value.override', { rule: r.rule, note: r.overrideNote }) : `${r.rule} — ${w.of('policy:rule', r.rule)}`,
  },
  { key: 'rejectReason', kind: 'text', width: 30, value: (r, w) => translated('policy:rejectReason', r.rejectReason, w) },
  { key: 'details', kind: 'text', width: 50, value: (r) => r.details },
];

export const TICKET_COLUMNS: readonly Column<TicketRow>[] = [
  { key: 'number', kind: 'text', width: 14, value: (r) => r.number },
  { key: 'created', kind: 'date', width: 20, value: utcMinuteOf((r) => r.createdAt) },
  { key: 'status', kind: 'text', width: 16, value: (r, w) => translated('common:status', r.status, w) },
  { key: 'language', kind: 'text', width: 12, value: (r, w) => translated('common:language', r.language, w) },
  { key: 'email', kind: 'text', width: 28, value: (r) => r.email },
  { key: 'reason', kind: 'text', width: 30, value: (r, w) => translated('common:reason', r.reason, w) },
  { key: 'orderIds', kind: 'text', width: 20, value: (r) => r.orderIds },
  { key: 'link', kind: 'text', width: 36, value: (r) => r.link },
  { key: 'assignee', kind: 'text', width: 18, value: (r) => r.assigneeName },
  { key: 'firstResponse', kind: 'date', width: 20, value: utcMinuteOf((r) => r.firstRespondedAt) },
  { key: 'resolved', kind: 'date', width: 20, value: utcMinuteOf((r) => r.resolvedAt) },
  { key: 'rating', kind: 'integer', width: 8, value: (r) => r.rating },
  { key: 'details', kind: 'text', width: 50, value: (r) => r.details },
];

export function columnsFor(kind: ExportKind): readonly Column<ExportRow>[] {
  return (kind === 'decisions' ? DECISION_COLUMNS : TICKET_COLUMNS) as readonly Column<ExportRow>[];
}

export function headersFor(kind: ExportKind, words: Words): string[] {
  return columnsFor(kind).map((c) => words.t(`exports:columns.${kind}.${c.key}`));
}
