// The dashboard's numbers for one range and set of filters, read in one transaction
// so they agree with each other. Raw values only (counts, micro-units, milliseconds,
// ratios): the page formats them, ?format=json returns them as they are.
import type { Db } from '../db';
import { formatDay } from '../domain/days';
import type { Outcome } from '../domain/policy/types';
import type { TicketStatus } from '../domain/ticket';
import { rangeMs, type ReportFilters } from './filters';
import * as q from './queries';
import { isoWeek, isoWeekKey, rateOf, share, weeksCovering, worstFirst, type Rate } from './stats';

export interface RefundRate extends Rate {
  id: string | null;
  name: string | null;
  currency: string;
}

export interface WeekRow {
  /** ISO week, e.g. 2025-W01 */
  week: string;
  year: number;
  weekNumber: number;
  /** the week's Monday, YYYY-MM-DD */
  start: string;
  opened: number;
  resolved: number;
  refunded: { currency: string; micros: number }[];
}

export interface Report {
  range: { from: string; to: string };
  /** openNow: every open status (server/domain/ticket.ts OPEN_STATUSES) */
  tickets: { opened: number; resolved: number; openNow: Partial<Record<TicketStatus, number>> };
  firstResponse: { medianMs: number | null; count: number };
  resolution: { medianMs: number | null; count: number };
  sla: { tickets: number; breached: number; share: number | null };
  decisions: { total: number; byOutcome: Record<Outcome, number> };
  money: q.MoneyRow[];
  refills: { requested: number; confirmed: number };
  csat: { average: number | null; ratings: number };
  refundRates: { byService: RefundRate[]; byProvider: RefundRate[] };
  weeks: WeekRow[];
  /** currencies that appear in the weekly money, in order */
  weekCurrencies: string[];
}

export function readReport(db: Db, filters: ReportFilters, now: number): Report {
  const scope: q.ReportScope = { ...rangeMs(filters), now, ...filters };
  return db.$client.transaction(() => {
    const cohort = q.cohortStats(db, scope);
    const byOutcome = q.decisionsByOutcome(db, scope);
    const groups = q.refundRateGroups(db, scope);
    const resolvedByWeek = q.ticketsByWeek(db, scope, 'resolved_at');
    const moneyByWeek = q.moneyByWeek(db, scope);
    return {
      range: { from: formatDay(filters.fromDay), to: formatDay(filters.toDay) },
      tickets: { opened: cohort.opened, resolved: sum(resolvedByWeek.map((w) => w.n)), openNow: q.openByStatus(db, scope) },
      firstResponse: { medianMs: q.medianDuration(db, scope, 'first_responded_at', cohort.responded), count: cohort.responded },
      resolution: { medianMs: q.medianDuration(db, scope, 'resolved_at', cohort.resolved), count: cohort.resolved },
      sla: { tickets: cohort.opened, breached: cohort.breached, share: share(cohort.breached, cohort.opened) },
      decisions: { total: sum(Object.values(byOutcome)), byOutcome },
      money: moneyTotals(moneyByWeek),
      refills: { requested: q.refillsRequested(db, scope), confirmed: byOutcome.refill },
      csat: { average: cohort.averageRating, ratings: cohort.ratings },
      refundRates: { byService: ratesBy(groups, 'service'), byProvider: ratesBy(groups, 'provider') },
      ...weeks(filters, q.ticketsByWeek(db, scope, 'created_at'), resolvedByWeek, moneyByWeek),
    };
  })();
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The range's money per currency (in currency order): the weekly rows added up. */
export function moneyTotals(weeks: readonly q.WeekMoney[]): q.MoneyRow[] {
  const totals = new Map<string, q.MoneyRow>();
  for (const w of weeks) {
    const row = totals.get(w.currency) ?? { currency: w.currency, balanceCreditMicros: 0, originalMethodMicros: 0, entries: 0 };
    row.balanceCreditMicros += w.balanceCreditMicros;
    row.originalMethodMicros += w.originalMethodMicros;
    row.entries += w.entries;
    totals.set(w.currency, row);
  }
  return [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/** The service × provider groups summed per service (or provider) and currency, worst first. */
export function ratesBy(groups: readonly q.RefundRateGroup[], by: 'service' | 'provider'): RefundRate[] {
  const sums = new Map<string, RefundRate>();
  for (const g of groups) {
    const id = by === 'service' ? g.serviceId : g.providerId;
    const name = by === 'service' ? g.serviceName : g.providerName;
    const key = JSON.stringify([id, g.currency]);
    const row = sums.get(key) ?? { id, name, label: name ?? id ?? '', currency: g.currency, orders: 0, refundedOrders: 0, chargedMicros: 0, refundedMicros: 0, orderShare: null, amountShare: null };
    row.orders += g.orders;
    row.refundedOrders += g.refundedOrders;
    row.chargedMicros += g.chargedMicros;
    row.refundedMicros += g.refundedMicros;
    sums.set(key, row);
  }
  return worstFirst([...sums.values()].map(rateOf));
}

/** Every ISO week the range touches, with zeros where nothing happened. */
function weeks(
  filters: ReportFilters,
  openedByWeek: readonly q.WeekCounts[],
  resolvedByWeek: readonly q.WeekCounts[],
  money: readonly q.WeekMoney[],
): Pick<Report, 'weeks' | 'weekCurrencies'> {
  const opened = new Map(openedByWeek.map((r) => [r.monday, r.n]));
  const resolved = new Map(resolvedByWeek.map((r) => [r.monday, r.n]));
  const currencies = [...new Set(money.map((m) => m.currency))].sort();
  return {
    weekCurrencies: currencies,
    weeks: weeksCovering(filters.fromDay, filters.toDay).map((monday) => ({
      week: isoWeekKey(monday),
      year: isoWeek(monday).year,
      weekNumber: isoWeek(monday).week,
      start: formatDay(monday),
      opened: opened.get(monday) ?? 0,
      resolved: resolved.get(monday) ?? 0,
      refunded: currencies.map((currency) => {
        // A ledger entry is either kind: the two add up to the week's refunds.
        const m = money.find((w) => w.monday === monday && w.currency === currency);
        return { currency, micros: m ? m.balanceCreditMicros + m.originalMethodMicros : 0 };
      }),
    })),
  };
}
