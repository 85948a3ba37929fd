// The dashboard's arithmetic, pure: exact medians from the middle of a sorted list,
// shares, the worst-first order of refund rates, and ISO weeks of UTC days (the days
// themselves are server/domain/days.ts). No IO and no clock: the caller passes every time in.
import { DAY_MS } from '../domain/days';

/**
 * Where the middle of n sorted values lies: one value for an odd count, the two
 * around the middle for an even one. The query reads only these with LIMIT/OFFSET.
 */
export function medianWindow(n: number): { offset: number; limit: number } | null {
  if (!Number.isInteger(n) || n <= 0) return null;
  return { offset: Math.floor((n - 1) / 2), limit: n % 2 === 1 ? 1 : 2 };
}

/** The median from the values medianWindow pointed at (the mean of two for an even count). */
export function medianOfMiddle(middle: readonly number[]): number | null {
  const [a, b] = middle;
  if (a === undefined) return null;
  return b === undefined ? a : (a + b) / 2;
}

/** The exact median of a small list (tests and tiny data; the report asks SQL). */
export function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((x, y) => x - y);
  const w = medianWindow(sorted.length);
  return w ? medianOfMiddle(sorted.slice(w.offset, w.offset + w.limit)) : null;
}

/** part ÷ whole, or null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export interface RateCounts {
  label: string;
  orders: number;
  refundedOrders: number;
  chargedMicros: number;
  refundedMicros: number;
}

export interface Rate extends RateCounts {
  /** refunded orders ÷ orders */
  orderShare: number | null;
  /** refunded money ÷ charged money */
  amountShare: number | null;
}

export function rateOf<T extends RateCounts>(row: T): T & Rate {
  return { ...row, orderShare: share(row.refundedOrders, row.orders), amountShare: share(row.refundedMicros, row.chargedMicros) };
}

const desc = (a: number | null, b: number | null) => (b ?? -1) - (a ?? -1);

/** Worst first: the highest share of orders refunded, then of money, then the most orders, then by label. */
export function worstFirst<T extends Rate>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      desc(a.orderShare, b.orderShare) ||
      desc(a.amountShare, b.amountShare) ||
      b.orders - a.orders ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

/** The Monday (as a day number) that starts the ISO week holding this day; 1970-01-01 was a Thursday. */
export function weekStartOfDay(day: number): number {
  return day - mod(day + 3, 7);
}

/**
 * weekStartOfDay inside SQLite, for an epoch-milliseconds column: "(ms / day) − weekday"
 * with integer division, so GROUP BY buckets rows by the day number of their week's Monday.
 */
export function weekStartSql(column: string): string {
  return `((${column} / ${DAY_MS}) - (((${column} / ${DAY_MS}) + 3) % 7))`;
}

/** ISO week of the week starting on this Monday: its year is the year of its Thursday. */
export function isoWeek(monday: number): { year: number; week: number } {
  const thursday = monday + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
  return { year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/** "2025-W01" */
export function isoWeekKey(monday: number): string {
  const { year, week } = isoWeek(monday);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every week (its Monday) that overlaps the days from…to, oldest first. */
export function weeksCovering(fromDay: number, toDay: number): number[] {
  const weeks: number[] = [];
  for (let monday = weekStartOfDay(fromDay); monday <= toDay; monday += 7) weeks.push(monday);
  return weeks;
}
