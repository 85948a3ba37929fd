// Calendar days in UTC, the unit of every date filter on the desk (reports, exports,
// the audit log): "YYYY-MM-DD" as typed, as a day number (days since 1970-01-01)
// or as that day's first millisecond. Pure: the caller passes the clock in.

export const DAY_MS = 86_400_000;

/** A date filter left empty covers this many days, ending today (reports, exports). */
export const DEFAULT_DAYS = 30;

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

/** "2025-01-31" → that day's first millisecond (UTC); null unless it is a real calendar day. */
export function dayStart(text: string): number | null {
  const day = parseDay(text);
  return day === null ? null : day * DAY_MS;
}

/** Days since 1970-01-01 → "YYYY-MM-DD". */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day a time falls on. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The `days` days ending today (UTC, by this clock reading), both ends included, as day numbers. */
export function defaultRange(now: number, days: number): { fromDay: number; toDay: number } {
  const toDay = dayOf(now);
  return { fromDay: toDay - (days - 1), toDay };
}
