// Dates, numbers and money for a page's language, always through Intl.
import { microsToDecimal } from '../domain/money';
import type { Language } from '../domain/ticket';

const INTL_LOCALE: Record<Language, string> = { en: 'en-GB', ar: 'ar', uk: 'uk-UA' };

export interface Formatters {
  date(ms: number): string;
  dateTime(ms: number): string;
  number(n: number): string;
  money(micros: number, currency: string): string;
  bytes(n: number): string;
}

export function formatters(lng: Language, timeZone = 'UTC'): Formatters {
  const locale = INTL_LOCALE[lng];
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const numberFmt = new Intl.NumberFormat(locale);
  return {
    date: (ms) => dateFmt.format(ms),
    dateTime: (ms) => dateTimeFmt.format(ms),
    number: (n) => numberFmt.format(n),
    // Intl accepts a decimal string, so micro-units never pass through a float.
    money: (micros, currency) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 6 }).format(
        microsToDecimal(micros) as unknown as number,
      ),
    bytes: (n) =>
      new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: n >= 1_048_576 ? 'megabyte' : 'kilobyte',
        maximumFractionDigits: 1,
      }).format(n >= 1_048_576 ? n / 1_048_576 : Math.max(1, Math.round(n / 1024))),
  };
}
