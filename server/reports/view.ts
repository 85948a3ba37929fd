// What the dashboard page shows: the report's raw numbers formatted for the page's
// language (money through fmt.money with its currency, the rest through Intl),
// the charts drawn, and the filter form's choices. The view only prints.
import type { TFunction } from 'i18next';
import { DAY_MS, parseDay } from '../domain/days';
import type { FieldErrors } from '../domain/errors';
import { LANGUAGES, OPEN_STATUSES, type Language } from '../domain/ticket';
import type { Formatters } from '../i18n/format';
import type { Direction } from './chart-layout';
import { barChart, columnChart, isolate, lineChart, type TipWords } from './charts';
import { reportQueryString, type ReportFilters } from './filters';
import { reportFormatters } from './format';
import { OUTCOMES, type filterOptions } from './queries';
import type { RefundRate, Report } from './report';

export interface PageContext {
  t: TFunction;
  fmt: Formatters;
  lng: Language;
  dir: Direction;
}

type Options = ReturnType<typeof filterOptions>;

export function reportView(
  report: Report,
  page: { filters: ReportFilters; errors: FieldErrors; input: { from: string; to: string }; options: Options },
  ctx: PageContext,
) {
  const { t, fmt } = ctx;
  const f = reportFormatters(ctx.lng);
  const none = t('reports:summary.none');
  const orNone = <T>(v: T | null, show: (v: T) => string) => (v === null ? none : show(v));
  const empty = report.tickets.opened === 0 && report.tickets.resolved === 0 && report.decisions.total === 0 && report.money.length === 0;
  return {
    empty,
    rangeText: { from: fmt.date(page.filters.fromDay * DAY_MS), to: fmt.date(page.filters.toDay * DAY_MS) },
    form: formView(report, page, ctx),
    jsonHref: `/desk/reports?${reportQueryString(page.filters, { format: 'json' })}`,
    summary: [
      { key: 'opened', value: fmt.number(report.tickets.opened) },
      { key: 'resolved', value: fmt.number(report.tickets.resolved) },
      {
        key: 'firstResponse',
        value: orNone(report.firstResponse.medianMs, f.duration),
        note: { count: report.firstResponse.count, n: fmt.number(report.firstResponse.count) },
      },
      {
        key: 'resolution',
        value: orNone(report.resolution.medianMs, f.duration),
        note: { count: report.resolution.count, n: fmt.number(report.resolution.count) },
      },
      {
        key: 'sla',
        value: orNone(report.sla.share, f.percent),
        of: { breached: fmt.number(report.sla.breached), tickets: fmt.number(report.sla.tickets) },
      },
      { key: 'csat', value: orNone(report.csat.average, f.decimal), ratings: { count: report.csat.ratings, n: fmt.number(report.csat.ratings) } },
      { key: 'refillsRequested', value: fmt.number(report.refills.requested) },
      { key: 'refillsConfirmed', value: fmt.number(report.refills.confirmed) },
    ],
    openNow: OPEN_STATUSES.map((status) => ({ status, value: fmt.number(report.tickets.openNow[status] ?? 0) })),
    decisions: {
      none: report.decisions.total === 0,
      total: fmt.number(report.decisions.total),
      rows: OUTCOMES.map((outcome) => ({ outcome, value: fmt.number(report.decisions.byOutcome[outcome]) })),
    },
    money: report.money.map((m) => ({
      currency: m.currency,
      balance: fmt.money(m.balanceCreditMicros, m.currency),
      originalMethod: fmt.money(m.originalMethodMicros, m.currency),
      total: fmt.money(m.balanceCreditMicros + m.originalMethodMicros, m.currency),
      entries: fmt.number(m.entries),
    })),
    rates: {
      byService: ratesView(report.refundRates.byService, 'service', ctx),
      byProvider: ratesView(report.refundRates.byProvider, 'provider', ctx),
    },
    trend: trendView(report, ctx),
  };
}

function formView(report: Report, page: Parameters<typeof reportView>[1], ctx: PageContext) {
  const { filters, options } = page;
  const selectable = <T extends string | number>(list: { id: T; name: string }[], chosen: T | null) =>
    list.map((o) => ({ value: String(o.id), label: o.name, selected: o.id === chosen }));
  return {
    // After a date error the fields keep what was typed; the heading says which range is shown instead.
    from: page.errors.from || page.errors.to ? page.input.from || report.range.from : report.range.from,
    to: page.errors.from || page.errors.to ? page.input.to || report.range.to : report.range.to,
    // A count in an error's text is written by Intl; the raw one picks the plural form.
    errors: Object.fromEntries(
      Object.entries(page.errors).map(([field, e]) => {
        const count = e.params?.count;
        return [field, { key: e.key, params: typeof count === 'number' ? { count, n: ctx.fmt.number(count) } : (e.params ?? {}) }];
      }),
    ),
    selects: [
      { name: 'service', options: selectable(options.services, filters.service) },
      { name: 'provider', options: selectable(options.providers, filters.provider) },
      {
        name: 'agent',
        options: selectable(
          options.staff.map((s) => ({ id: s.id, name: ctx.t('reports:filters.agentOption', { name: isolate(s.name), role: ctx.t(`desk:role.${s.role}`) }) })),
          filters.agent,
        ),
      },
      {
        name: 'language',
        options: LANGUAGES.map((l) => ({ value: l, label: ctx.t(`common:language.${l}`), selected: l === filters.language })),
      },
    ],
  };
}

function ratesView(rows: RefundRate[], by: 'service' | 'provider', ctx: PageContext) {
  const { t, fmt } = ctx;
  const f = reportFormatters(ctx.lng);
  const manyCurrencies = new Set(rows.map((r) => r.currency)).size > 1;
  const shown = rows.map((r) => {
    const name = r.name ?? r.id ?? t(`reports:rates.unknown.${by}`);
    return {
      label: manyCurrencies ? t('reports:rates.withCurrency', { name: isolate(name), currency: r.currency }) : name,
      orders: fmt.number(r.orders),
      refundedOrders: fmt.number(r.refundedOrders),
      orderShare: r.orderShare === null ? t('reports:summary.none') : f.percent(r.orderShare),
      charged: fmt.money(r.chargedMicros, r.currency),
      refunded: fmt.money(r.refundedMicros, r.currency),
      amountShare: r.amountShare === null ? t('reports:summary.none') : f.percent(r.amountShare),
      share: r.orderShare ?? 0,
    };
  });
  const title = t(`reports:rates.chart.${by}`);
  return {
    title,
    rows: shown,
    chart: shown.length
      ? barChart({ title, dir: ctx.dir, tips: tipWords(t), rows: shown.map((r) => ({ label: r.label, value: r.share, valueText: r.orderShare })) })
      : null,
  };
}

function trendView(report: Report, ctx: PageContext) {
  const { t, fmt } = ctx;
  const f = reportFormatters(ctx.lng);
  const startDays = report.weeks.map((w) => parseDay(w.start)!);
  const categories = startDays.map((day) => f.shortDay(day));
  const active = report.weeks.some((w) => w.opened > 0 || w.resolved > 0);
  const title = t('reports:trend.chart');
  const tips = tipWords(t);
  return {
    currencies: report.weekCurrencies,
    rows: report.weeks.map((w, i) => ({
      week: w.week,
      label: t('reports:trend.week', { week: f.plain(w.weekNumber), year: f.plain(w.year) }),
      start: fmt.date(startDays[i]! * DAY_MS),
      opened: fmt.number(w.opened),
      resolved: fmt.number(w.resolved),
      refunded: w.refunded.map((m) => fmt.money(m.micros, m.currency)),
    })),
    charts: [
      ...(active
        ? [
            {
              caption: title,
              svg: lineChart({
                title,
                dir: ctx.dir,
                tips,
                categories,
                format: (n) => fmt.number(n),
                series: [
                  { name: t('reports:trend.opened'), values: report.weeks.map((w) => w.opened) },
                  { name: t('reports:trend.resolved'), values: report.weeks.map((w) => w.resolved) },
                ],
              }),
            },
          ]
        : []),
      ...report.weekCurrencies.map((currency, k) => {
        const caption = t('reports:trend.moneyChart', { currency });
        return {
          caption,
          svg: columnChart({
            title: caption,
            dir: ctx.dir,
            tips,
            categories,
            format: (micros) => fmt.money(micros, currency),
            values: report.weeks.map((w) => w.refunded[k]!.micros),
          }),
        };
      }),
    ],
    ticketsDrawn: active,
  };
}

/** The chart tooltips' punctuation in the page's language (Arabic joins with "،"). */
export function tipWords(t: TFunction): TipWords {
  return {
    point: (label, value) => t('reports:tooltip.point', { label, value }),
    seriesPoint: (series, label, value) => t('reports:tooltip.seriesPoint', { series, label, value }),
  };
}
