// The dashboard's numbers as the page's language writes them: percentages,
// durations, averages and week labels, all through Intl.
import type { Language } from '../domain/ticket';
import { DAY_MS } from './stats';

// The same locales as server/i18n/format.ts.
const INTL_LOCALE: Record<Language, string> = { en: 'en-GB', ar: 'ar', uk: 'uk-UA' };

export interface ReportFormatters {
  percent(ratio: number): string;
  /** minutes under an hour, else hours with one decimal */
  duration(ms: number): string;
  decimal(n: number): string;
  /** a whole number without grouping (a year, a week number) */
  plain(n: number): string;
  /** a day number as "6 Jan" (UTC) */
  shortDay(day: number): string;
  /** a day number as a full date (UTC) */
  day(day: number): string;
}

// Building an Intl formatter costs far more than using one: each language's are built once.
const made = new Map<Language, ReportFormatters>();

export function reportFormatters(lng: Language): ReportFormatters {
  let f = made.get(lng);
  if (!f) {
    f = build(INTL_LOCALE[lng]);
    made.set(lng, f);
  }
  return f;
}

function build(locale: string): ReportFormatters {
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const minutes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long', maximumFractionDigits: 0 });
  const hours = new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 1 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const plain = new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 0 });
  const shortDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    percent: (ratio) => percent.format(ratio),
    duration: (ms) => (ms < 3_600_000 ? minutes.format(Math.round(ms / 60_000)) : hours.format(ms / 3_600_000)),
    decimal: (n) => decimal.format(n),
    plain: (n) => plain.format(n),
    shortDay: (d) => shortDay.format(d * DAY_MS),
    day: (d) => day.format(d * DAY_MS),
  };
}
