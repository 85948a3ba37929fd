// The audit log's filters, read from the query string: a date range (UTC days,
// both ends included), the actor, the action and a ticket number, plus the keyset
// cursor. Bad input is kept and reported beside its field.
import { DAY_MS, dayStart } from '../domain/days';
import type { FieldErrors } from '../domain/errors';
import { normalizeTicketNumber } from '../domain/ticket';

export interface AuditFilters {
  /** first millisecond included */
  from: number | null;
  /** first millisecond no longer included */
  until: number | null;
  actor: { type: 'system' | 'customer' } | { type: 'staff'; id: number } | null;
  action: string | null;
  ticketNumber: string | null;
}

export type AuditFilterValues = Record<'from' | 'to' | 'actor' | 'action' | 'ticket', string>;

const ACTION = /^[\w.-]{1,100}$/;

function text(query: Record<string, unknown>, name: string): string {
  const v = query[name];
  return typeof v === 'string' ? v.trim().slice(0, 200) : '';
}

export function auditFilterValues(query: Record<string, unknown>): AuditFilterValues {
  return { from: text(query, 'from'), to: text(query, 'to'), actor: text(query, 'actor'), action: text(query, 'action'), ticket: text(query, 'ticket') };
}

export function parseAuditFilters(v: AuditFilterValues): { filters: AuditFilters; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const filters: AuditFilters = { from: null, until: null, actor: null, action: null, ticketNumber: null };
  if (v.from) {
    filters.from = dayStart(v.from);
    if (filters.from === null) errors.from = { key: 'audit:errors.date' };
  }
  if (v.to) {
    const start = dayStart(v.to);
    if (start === null) errors.to = { key: 'audit:errors.date' };
    else filters.until = start + DAY_MS;
  }
  if (filters.from !== null && filters.until !== null && filters.until <= filters.from) errors.to = { key: 'audit:errors.range' };
  if (v.actor === 'system' || v.actor === 'customer') filters.actor = { type: v.actor };
  else if (/^\d{1,12}$/.test(v.actor)) filters.actor = { type: 'staff', id: Number(v.actor) };
  else if (v.actor) errors.actor = { key: 'audit:errors.actor' };
  if (v.action) {
    if (ACTION.test(v.action)) filters.action = v.action;
    else errors.action = { key: 'audit:errors.action' };
  }
  if (v.ticket) {
    filters.ticketNumber = normalizeTicketNumber(v.ticket);
    if (filters.ticketNumber === null) errors.ticket = { key: 'audit:errors.ticket' };
  }
  return { filters, errors };
}

/** The keyset cursor: the id of the last event shown; the next page starts below it. */
export function parseCursor(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}

/** A link to the log with these filters (as typed) and optionally a cursor or a path. */
export function auditHref(path: string, v: AuditFilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, value] of Object.entries({ ...v, ...extra })) if (value) params.set(k, value);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}
