// Dates, numbers and money for a page's language, always through Intl.
import { microsToDecimal } from '../domain/money';
import type { Language } from '../domain/ticket';
import { byMinute, dateTimeFormat, numberFormat, remember } from './intl-cache';

export const INTL_LOCALE: Record<Language, string> = { en: 'en-GB', ar: 'ar', uk: 'uk-UA' };

export interface Formatters {
  date(ms: number): string;
  dateTime(ms: number): string;
  number(n: number): string;
  money(micros: number, currency: string): string;
  bytes(n: number): string;
}

const made = new Map<string, Formatters>();

/** The formatters of a language (built once per language and time zone). */
export function formatters(lng: Language, timeZone = 'UTC'): Formatters {
  return remember(made, `${lng}|${timeZone}`, () => build(INTL_LOCALE[lng], timeZone));
}

function build(locale: string, timeZone: string): Formatters {
  const dateFmt = dateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  const dateTimeFmt = dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const numberFmt = numberFormat(locale);
  const money = new Map<string, Intl.NumberFormat>();
  const megabytes = numberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
  const kilobytes = numberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 });
  return {
    date: (ms) => dateFmt.format(ms),
    dateTime: byMinute((ms) => dateTimeFmt.format(ms)),
    number: (n) => numberFmt.format(n),
    // Intl accepts a decimal string, so micro-units never pass through a float.
    money: (micros, currency) => {
      const f = remember(money, currency, () => numberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 6 }));
      return f.format(microsToDecimal(micros) as unknown as number);
    },
    bytes: (n) => (n >= 1_048_576 ? megabytes.format(n / 1_048_576) : kilobytes.format(Math.max(1, Math.round(n / 1024)))),
  };
}
