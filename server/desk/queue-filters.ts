// The queue's filters as they travel in the URL (GET parameters, so a view can be
// bookmarked): read leniently — an unknown value is ignored, never an error — and
// written back for the tabs, the form and the "next page" link.
import { ORDER_ID, ORDER_STATUSES } from '../domain/order';
import {
  LANGUAGES,
  OPEN_STATUSES,
  REASONS,
  TICKET_STATUSES,
  normalizeTicketNumber,
  type Language,
  type Reason,
  type TicketStatus,
} from '../domain/ticket';

export const STATUS_TABS = ['open', ...TICKET_STATUSES, 'all'] as const;
export type StatusTab = (typeof STATUS_TABS)[number];
export const ORDER_STATUS_FILTERS = [...ORDER_STATUSES, 'unknown'] as const;
export type OrderStatusFilter = (typeof ORDER_STATUS_FILTERS)[number];
export const ASSIGNEE_FILTERS = ['mine', 'unassigned'] as const;
export type AssigneeFilter = (typeof ASSIGNEE_FILTERS)[number];
export const SLA_FILTERS = ['due_soon', 'overdue'] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

/** Longer search input is cut: nobody types more, and FTS work stays bounded. */
export const MAX_SEARCH_LENGTH = 200;
const MAX_SEARCH_WORDS = 12;

export interface QueueFilters {
  status: StatusTab;
  reason: Reason | null;
  orderStatus: OrderStatusFilter | null;
  language: Language | null;
  assignee: AssigneeFilter | null;
  sla: SlaFilter | null;
  q: string;
}

export const DEFAULT_FILTERS: Readonly<QueueFilters> = Object.freeze({
  status: 'open',
  reason: null,
  orderStatus: null,
  language: null,
  assignee: null,
  sla: null,
  q: '',
});

/** The position of a row in the queue's order; the next page starts after it. */
export interface QueueCursor {
  urgency: number;
  slaDueAt: number | null;
  id: number;
}

function oneOf<T extends string>(list: readonly T[], value: unknown): T | null {
  return typeof value === 'string' && (list as readonly string[]).includes(value) ? (value as T) : null;
}

/** Filters from a request's query; anything unknown (or repeated) falls back to its default. */
export function parseQueueFilters(query: Record<string, unknown>): QueueFilters {
  const q = typeof query.q === 'string' ? cleanSearch(query.q) : '';
  return {
    status: oneOf(STATUS_TABS, query.status) ?? DEFAULT_FILTERS.status,
    reason: oneOf(REASONS, query.reason),
    orderStatus: oneOf(ORDER_STATUS_FILTERS, query.orderStatus),
    language: oneOf(LANGUAGES, query.language),
    assignee: oneOf(ASSIGNEE_FILTERS, query.assignee),
    sla: oneOf(SLA_FILTERS, query.sla),
    q,
  };
}

/** Control characters (a NUL ends an FTS5 string early) become spaces; runs of space one. */
function cleanSearch(text: string): string {
  return text.replace(/[\p{Cc}\s]+/gu, ' ').trim().slice(0, MAX_SEARCH_LENGTH).trim();
}

/** The ticket statuses a tab shows. */
export function statusesOf(tab: StatusTab): readonly TicketStatus[] {
  if (tab === 'open') return OPEN_STATUSES;
  if (tab === 'all') return TICKET_STATUSES;
  return [tab];
}

/**
 * Does a filter narrow the view beyond what the stored counts are kept by (status,
 * language, reason)? Then the tab counts must be counted, and stop at a cap.
 */
export function needsCounting(f: QueueFilters): boolean {
  return f.orderStatus !== null || f.assignee !== null || f.sla !== null || f.q !== '';
}

export type QueueSearch =
  | { kind: 'number'; number: string }
  | { kind: 'orderId'; orderId: string }
  | { kind: 'email'; email: string }
  | { kind: 'link'; link: string }
  | { kind: 'text'; match: string | null };

/**
 * What the search box holds: a ticket number, an order ID, an email, a link, or
 * words for the full-text index (match is null when no word is left to look for).
 */
export function parseSearch(q: string): QueueSearch | null {
  const text = q.trim();
  if (!text) return null;
  if (/^RD[-\s]?[0-9A-Z]{4}[-\s]?[0-9A-Z]{4}$/i.test(text)) {
    return { kind: 'number', number: normalizeTicketNumber(text) ?? text.toUpperCase() };
  }
  if (ORDER_ID.test(text)) return { kind: 'orderId', orderId: text };
  if (/^https?:\/\/\S+$/i.test(text)) return { kind: 'link', link: text };
  if (!/\s/.test(text) && text.includes('@')) return { kind: 'email', email: text.toLowerCase() };
  return { kind: 'text', match: ftsMatch(text) };
}

/**
 * An FTS5 MATCH expression that only ever means "all these words": each word is a
 * quoted string (inner quotes doubled), so operators (AND, NEAR, *, parentheses)
 * typed by a person are plain words; the last word also matches as a prefix.
 * Words without a letter or digit are dropped; null when none is left.
 */
export function ftsMatch(text: string): string | null {
  const words = text
    .split(/[\p{Cc}\s]+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, MAX_SEARCH_WORDS);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w.replaceAll('"', '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** "urgency.slaDueAt-or-n.id", e.g. "0.1767225600000.42" or "1.n.42". */
export function formatCursor(c: QueueCursor): string {
  return `${c.urgency}.${c.slaDueAt ?? 'n'}.${c.id}`;
}

export function parseCursor(value: unknown): QueueCursor | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{1,3})\.(n|-?\d{1,16})\.(\d{1,16})$/.exec(value);
  if (!m) return null;
  const cursor = { urgency: Number(m[1]), slaDueAt: m[2] === 'n' ? null : Number(m[2]), id: Number(m[3]) };
  const safe = [cursor.urgency, cursor.slaDueAt ?? 0, cursor.id].every(Number.isSafeInteger);
  return safe ? cursor : null;
}

/** A queue address with these filters; defaults and empty values are left out. */
export function queueHref(f: QueueFilters, extra: { after?: QueueCursor | null } = {}): string {
  const params = new URLSearchParams();
  if (f.status !== DEFAULT_FILTERS.status) params.set('status', f.status);
  for (const key of ['reason', 'orderStatus', 'language', 'assignee', 'sla', 'q'] as const) {
    const value = f[key];
    if (value) params.set(key, value);
  }
  if (extra.after) params.set('after', formatCursor(extra.after));
  const query = params.toString();
  return query ? `/desk?${query}` : '/desk';
}
