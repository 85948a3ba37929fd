// The dashboard's arithmetic, pure: exact medians from the middle of a sorted list,
// shares, the worst-first order of refund rates, and UTC days and ISO weeks.
// No IO and no clock: the caller passes every time in.

export const DAY_MS = 86_400_000;

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

const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2025-01-31" → days since 1970-01-01 (UTC); null unless it is a real calendar day. */
export function parseDay(text: string): number | null {
  const m = DAY_TEXT.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** Days since 1970-01-01 → "YYYY-MM-DD". */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day a time falls on. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

/** The Monday (as a day number) that starts the ISO week holding this day; 1970-01-01 was a Thursday. */
export function weekStartOfDay(day: number): number {
  return day - mod(day + 3, 7);
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
