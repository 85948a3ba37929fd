// The dashboard's numbers as the page's language writes them: percentages,
// durations, averages and week labels, all through Intl (full dates are fmt.date).
import { DAY_MS } from '../domain/days';
import type { Language } from '../domain/ticket';
import { INTL_LOCALE } from '../i18n/format';
import { dateTimeFormat, numberFormat, remember } from '../i18n/intl-cache';

export interface ReportFormatters {
  percent(ratio: number): string;
  /** minutes under an hour, else hours with one decimal */
  duration(ms: number): string;
  decimal(n: number): string;
  /** a whole number without grouping (a year, a week number) */
  plain(n: number): string;
  /** a day number as "6 Jan" (UTC) */
  shortDay(day: number): string;
}

const made = new Map<Language, ReportFormatters>();

/** The formatters of a language, built once. */
export function reportFormatters(lng: Language): ReportFormatters {
  return remember(made, lng, () => build(INTL_LOCALE[lng]));
}

function build(locale: string): ReportFormatters {
  const percent = numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const minutes = numberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long', maximumFractionDigits: 0 });
  const hours = numberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 1 });
  const decimal = numberFormat(locale, { maximumFractionDigits: 2 });
  const plain = numberFormat(locale, { useGrouping: false, maximumFractionDigits: 0 });
  const shortDay = dateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return {
    percent: (ratio) => percent.format(ratio),
    duration: (ms) => (ms < 3_600_000 ? minutes.format(Math.round(ms / 60_000)) : hours.format(ms / 3_600_000)),
    decimal: (n) => decimal.format(n),
    plain: (n) => plain.format(n),
    shortDay: (d) => shortDay.format(d * DAY_MS),
  };
}
