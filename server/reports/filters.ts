// The dashboard's range and filters as they travel in the URL (GET parameters, so a
// view can be bookmarked). A bad date is a field error and the default is used in its
// place; any other unknown value is ignored. Never throws.
import { DAY_MS, DEFAULT_DAYS, defaultRange, formatDay, parseDay } from '../domain/days';
import type { FieldErrors } from '../domain/errors';
import type { Language } from '../domain/ticket';
import { isLanguage } from '../i18n/index';

/** Longer ranges are refused: the weekly trend would not fit a chart, nor a query budget. */
export const MAX_DAYS = 732;
const MAX_ID_LENGTH = 100;

export interface ReportFilters {
  /** first and last day of the range, inclusive, as days since 1970-01-01 (UTC) */
  fromDay: number;
  toDay: number;
  service: string | null;
  provider: string | null;
  /** staff id: decisions made by, tickets assigned to */
  agent: number | null;
  language: Language | null;
}

export interface ParsedReportQuery {
  filters: ReportFilters;
  errors: FieldErrors;
  /** what was typed into the date fields, kept for the form */
  input: { from: string; to: string };
}

function single(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function idOf(value: unknown): string | null {
  const text = single(value);
  return text && text.length <= MAX_ID_LENGTH && !/\p{Cc}/u.test(text) ? text : null;
}

export function parseReportQuery(query: Record<string, unknown>, now: number): ParsedReportQuery {
  const fallback = defaultRange(now, DEFAULT_DAYS);
  const input = { from: single(query.from), to: single(query.to) };
  const errors: FieldErrors = {};
  const day = (field: 'from' | 'to') => {
    if (!input[field]) return null;
    const parsed = parseDay(input[field]);
    if (parsed === null) errors[field] = { key: 'range.invalidDate' };
    return parsed;
  };
  let toDay = day('to') ?? fallback.toDay;
  let fromDay = day('from') ?? toDay - (DEFAULT_DAYS - 1);
  if (fromDay > toDay) {
    errors.to = { key: 'range.reversed' };
    ({ fromDay, toDay } = fallback);
  } else if (toDay - fromDay + 1 > MAX_DAYS) {
    errors.from = { key: 'range.tooLong', params: { count: MAX_DAYS } };
    ({ fromDay, toDay } = fallback);
  }
  const agentText = single(query.agent);
  const language = single(query.language);
  return {
    filters: {
      fromDay,
      toDay,
      service: idOf(query.service),
      provider: idOf(query.provider),
      agent: /^\d{1,9}$/.test(agentText) ? Number(agentText) : null,
      language: isLanguage(language) ? language : null,
    },
    errors,
    input,
  };
}

/** The range in epoch milliseconds: from the first day's midnight to the midnight after the last (exclusive). */
export function rangeMs(f: Pick<ReportFilters, 'fromDay' | 'toDay'>): { fromMs: number; toMs: number } {
  return { fromMs: f.fromDay * DAY_MS, toMs: (f.toDay + 1) * DAY_MS };
}

/** The query string that shows these filters again (only what differs from nothing). */
export function reportQueryString(f: ReportFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ from: formatDay(f.fromDay), to: formatDay(f.toDay) });
  if (f.service !== null) params.set('service', f.service);
  if (f.provider !== null) params.set('provider', f.provider);
  if (f.agent !== null) params.set('agent', String(f.agent));
  if (f.language !== null) params.set('language', f.language);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}
