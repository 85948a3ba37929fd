// The agent's queue at /desk: filters from the query string, one keyset page in
// urgency order, the status tabs with their counts.
import express from 'express';
import { currentStaff, requireStaff } from '../auth/middleware';
import type { Db } from '../db';
import { LANGUAGES, REASONS, type Language } from '../domain/ticket';
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
 * What the page shows, links and texts ready for the view; the column labels,
 * repeated on every row for narrow screens, are translated once.
 */
function queueView(page: QueuePage, filters: QueueFilters, opts: ViewContext) {
  const { t } = opts;
  const number = numberFormat(INTL_LOCALE[opts.lng]);
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
    rows: page.rows.map((row) => ({
      ...row,
      reasonText: t(`common:reason.${row.reason}`),
      languageText: t(`common:language.${row.language}`),
      statusText: t(`common:status.${row.status}`),
      sla: slaCell(row, opts),
    })),
    nextHref: page.next ? queueHref(filters, { after: page.next }) : null,
    firstHref: opts.paged ? queueHref(filters) : null,
    resetHref: queueHref({ ...DEFAULT_FILTERS, status: filters.status }),
  };
}

/** The SLA cell's text and, for a running clock, the deadline as its title. */
function slaCell(row: QueueRow, opts: ViewContext): { state: string; text: string; due: string | null } | null {
  const sla = slaOf(row, opts.now, opts.lng);
  if (!sla) return null;
  if (sla.state === 'paused') return { state: sla.state, text: opts.t('queue:sla.paused'), due: null };
  const key = sla.state === 'left' ? 'queue:sla.left' : 'queue:sla.overdueBy';
  return { state: sla.state, text: opts.t(key, { time: sla.time }), due: row.slaDueAt === null ? null : opts.fmt.dateTime(row.slaDueAt) };
}

/** The SLA cell: time left, overdue by, paused (waiting on the customer) or nothing. */
export function slaOf(
  row: Pick<QueueRow, 'status' | 'slaDueAt'>,
  now: number,
  lng: Language,
): { state: 'left' | 'overdue' | 'paused'; time: string } | null {
  if (row.status === 'waiting_customer') return { state: 'paused', time: '' };
  if (row.slaDueAt === null || (row.status !== 'new' && row.status !== 'in_review')) return null;
  const left = row.slaDueAt - now;
  return { state: left >= 0 ? 'left' : 'overdue', time: formatDuration(Math.abs(left), lng) };
}

/** "2 hrs 15 mins", "3 days 1 hr", "5 mins": the two largest units, whole minutes, through Intl. */
export function formatDuration(ms: number, lng: Language): string {
  const locale = INTL_LOCALE[lng];
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts: [number, 'day' | 'hour' | 'minute'][] =
    days > 0 ? [[days, 'day'], [hours, 'hour']] : hours > 0 ? [[hours, 'hour'], [minutes % 60, 'minute']] : [[minutes, 'minute']];
  const shown = parts.filter(([n], i) => i === 0 || n > 0);
  // A page of overdue tickets repeats the same few durations: each is formatted once.
  return remember(durations, `${locale}|${shown.join('|')}`, () =>
    listFormat(locale, { type: 'unit', style: 'narrow' }).format(
      shown.map(([n, unit]) => numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(n)),
    ),
  );
}

const durations = new Map<string, string>();
