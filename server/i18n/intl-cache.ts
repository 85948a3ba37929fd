// Building an Intl formatter costs far more than using one (ICU loads locale data
// each time), so each distinct (locale, options) formatter is built once and kept.
const numbers = new Map<string, Intl.NumberFormat>();
const dates = new Map<string, Intl.DateTimeFormat>();
const lists = new Map<string, Intl.ListFormat>();

function cached<T>(map: Map<string, T>, locale: string, options: object, make: () => T): T {
  return remember(map, `${locale}|${JSON.stringify(options)}`, make);
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(numbers, locale, options, () => new Intl.NumberFormat(locale, options));
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return cached(dates, locale, options, () => new Intl.DateTimeFormat(locale, options));
}

export function listFormat(locale: string, options: Intl.ListFormatOptions = {}): Intl.ListFormat {
  return cached(lists, locale, options, () => new Intl.ListFormat(locale, options));
}

/**
 * The value for `key`, made once and kept. For values that repeat but are not
 * bounded (durations, minutes): the map is emptied when it holds `limit` of them.
 */
export function remember<K, V>(map: Map<K, V>, key: K, make: () => V, limit = 10_000): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= limit) map.clear();
    map.set(key, value);
  }
  return value;
}

/**
 * A format that shows whole minutes, applied once per minute: pages and exports
 * repeat the same few (a queue's deadlines, a thread's messages, rows in time order).
 */
export function byMinute(format: (ms: number) => string): (ms: number) => string {
  const texts = new Map<number, string>();
  return (ms) => {
    const minute = Math.floor(ms / 60_000);
    return remember(texts, minute, () => format(minute * 60_000));
  };
}
