// The agent's queue at /desk: filters from the query string, one keyset page in
// urgency order, the status tabs with their counts.
import express from 'express';
import { currentStaff, requireStaff } from '../auth/middleware';
import type { Db } from '../db';
import { LANGUAGES, REASONS, TICKET_STATUSES, type Language, type Reason, type TicketStatus } from '../domain/ticket';
import { INTL_LOCALE, type Formatters } from '../i18n/format';
import { listFormat, numberFormat, remember } from '../i18n/intl-cache';
import { readQueue, type QueuePage, type QueueRow } from './queue';
import {
  ASSIGNEE_FILTERS,
  DEFAULT_FILTERS,
  ORDER_STATUS_FILTERS,
  SLA_FILTERS,
  STATUS_TABS,
  parseCursor,
  parseQueueFilters,
  queueHref,
  type QueueFilters,
} from './queue-filters';

export function queueRouter(deps: { db: Db; clock?: () => number }) {
  const clock = deps.clock ?? Date.now;
  const router = express.Router();
  router.use('/desk', requireStaff());

  router.get('/desk', (req, res) => {
    const filters = parseQueueFilters(req.query as Record<string, unknown>);
    const after = parseCursor(req.query.after);
    const now = clock();
    const page = readQueue(deps.db, { filters, staffId: currentStaff(res)!.id, now, after });
    const view = { now, lng: res.locals.lng as Language, t: res.locals.t as Translate, fmt: res.locals.fmt as Formatters, paged: after !== null };
    res.render('desk/index', { queue: queueView(page, filters, view) });
  });

  return router;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

interface ViewContext {
  now: number;
  lng: Language;
  t: Translate;
  fmt: Formatters;
  paged: boolean;
}

/**
 * What the page shows, links and texts ready for the view. The words every row
 * repeats (column labels for narrow screens, reasons, languages, statuses, SLA
 * texts) are translated once per language, not once per row.
 */
function queueView(page: QueuePage, filters: QueueFilters, opts: ViewContext) {
  const number = numberFormat(INTL_LOCALE[opts.lng]);
  const words = wordsOf(opts.lng, opts.t);
  return {
    filters,
    options: {
      reason: REASONS,
      orderStatus: ORDER_STATUS_FILTERS,
      language: LANGUAGES,
      assignee: ASSIGNEE_FILTERS,
      sla: SLA_FILTERS,
    },
    tabs: STATUS_TABS.map((tab) => ({
      tab,
      href: queueHref({ ...filters, status: tab }),
      current: tab === filters.status,
      count: page.countCap !== null && page.counts[tab] > page.countCap ? null : number.format(page.counts[tab]),
      capped: number.format(page.countCap ?? 0),
    })),
    labels: words.labels,
    rows: page.rows.map((row) => ({
      number: row.number,
      email: row.email,
      orderIds: row.orderIds,
      urgency: row.urgency,
      status: row.status,
      assigneeName: row.assigneeName,
      reasonText: words.reason[row.reason],
      languageText: words.language[row.language],
      statusText: words.status[row.status],
      sla: slaCell(row, opts),
    })),
    nextHref: page.next ? queueHref(filters, { after: page.next }) : null,
    firstHref: opts.paged ? queueHref(filters) : null,
    resetHref: queueHref({ ...DEFAULT_FILTERS, status: filters.status }),
  };
}

interface QueueWords {
  labels: Record<'number' | 'email' | 'orders' | 'reason' | 'language' | 'status' | 'assignee' | 'sla' | 'pending' | 'unassigned', string>;
  reason: Record<Reason, string>;
  language: Record<Language, string>;
  status: Record<TicketStatus, string>;
}

const queueWords = new Map<Language, QueueWords>();

function wordsOf(lng: Language, t: Translate): QueueWords {
  const all = <K extends string>(keys: readonly K[], prefix: string) =>
    Object.fromEntries(keys.map((k) => [k, t(`${prefix}.${k}`)])) as Record<K, string>;
  return remember(queueWords, lng, () => ({
    labels: {
      number: t('desk:columns.number'),
      email: t('desk:columns.email'),
      orders: t('desk:columns.orders'),
      reason: t('desk:columns.reason'),
      language: t('desk:columns.language'),
      status: t('desk:columns.status'),
      assignee: t('queue:columns.assignee'),
      sla: t('queue:columns.sla'),
      pending: t('queue:row.pending'),
      unassigned: t('queue:row.unassigned'),
    },
    reason: all(REASONS, 'common:reason'),
    language: all(LANGUAGES, 'common:language'),
    status: all(TICKET_STATUSES, 'common:status'),
  }));
}

type SlaState = 'left' | 'overdue' | 'paused';

/**
 * The SLA cell: time left, overdue by, paused (waiting on the customer) or nothing;
 * for a running clock, the deadline as its title.
 */
function slaCell(row: QueueRow, opts: ViewContext): { state: SlaState; text: string; due: string | null } | null {
  if (row.status === 'waiting_customer') return { state: 'paused', text: slaText(opts, 'paused', 0), due: null };
  if (row.slaDueAt === null || (row.status !== 'new' && row.status !== 'in_review')) return null;
  const left = row.slaDueAt - opts.now;
  const state = left >= 0 ? 'left' : 'overdue';
  return { state, text: slaText(opts, state, Math.floor(Math.abs(left) / 60_000)), due: opts.fmt.dateTime(row.slaDueAt) };
}

/** A page of overdue tickets repeats the same few texts: each is made once. */
function slaText(opts: ViewContext, state: SlaState, minutes: number): string {
  return remember(slaTexts, `${opts.lng}|${state}|${minutes}`, () => {
    if (state === 'paused') return opts.t('queue:sla.paused');
    const key = state === 'left' ? 'queue:sla.left' : 'queue:sla.overdueBy';
    return opts.t(key, { time: formatDuration(minutes, opts.lng) });
  });
}

const slaTexts = new Map<string, string>();

/** "2 hrs 15 mins", "3 days 1 hr", "5 mins": the two largest units, through Intl. */
function formatDuration(minutes: number, lng: Language): string {
  const locale = INTL_LOCALE[lng];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts: [number, 'day' | 'hour' | 'minute'][] =
    days > 0 ? [[days, 'day'], [hours, 'hour']] : hours > 0 ? [[hours, 'hour'], [minutes % 60, 'minute']] : [[minutes, 'minute']];
  const shown = parts.filter(([n], i) => i === 0 || n > 0);
  return listFormat(locale, { type: 'unit', style: 'narrow' }).format(
    shown.map(([n, unit]) => numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(n)),
  );
}
