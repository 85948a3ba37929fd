// Reading the fields of API v2 answers. Numbers may arrive as strings or numbers;
// money goes through parseMoney (exact micro-units), counts must be plain integers.
import { parseMoney } from '../domain/money';
import { mapProviderStatus, type OrderStatus } from './order-status';
import { errorWords, isRecord } from './transport';

export interface ProviderOrderStatus {
  status: OrderStatus | 'unknown';
  rawStatus: string;
  chargeMicros: number | null;
  startCount: number | null;
  remains: number | null;
  currency: string | null;
}

const INTEGER = /^\s*-?\d{1,15}\s*$/;

/** "3572" or 3572 → 3572. Negative values are kept (some providers report over-delivery as negative remains).
 *  "12.5", "1e3", "", null → null. */
export function parseCount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== 'string' || !INTEGER.test(value)) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : null;
}

/** parseMoney, also accepting a leading minus (balances can be negative). */
export function parseSignedMoney(value: unknown): number | null {
  if (typeof value === 'number') {
    const micros = parseMoney(Math.abs(value));
    return micros === null ? null : value < 0 ? -micros : micros;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const negative = text.startsWith('-');
  const micros = parseMoney(negative ? text.slice(1) : text);
  return micros === null ? null : negative ? -micros : micros;
}

export function parseCurrency(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** A status object, or null when it has no `status` field at all. */
export function parseOrderStatus(value: unknown): ProviderOrderStatus | null {
  if (!isRecord(value) || value.status === undefined || value.status === null) return null;
  const raw = value.status;
  return {
    status: mapProviderStatus(raw),
    rawStatus: typeof raw === 'string' ? raw : JSON.stringify(raw),
    chargeMicros: typeof value.charge === 'string' || typeof value.charge === 'number' ? parseMoney(value.charge) : null,
    startCount: parseCount(value.start_count),
    remains: parseCount(value.remains),
    currency: parseCurrency(value.currency),
  };
}

/**
 * A per-item error such as `{"error":"Incorrect order ID"}`: the provider's words,
 * '' when it flagged an error without any (`{"error":true}`), or null when there is none.
 */
export function itemError(value: unknown): string | null {
  if (!isRecord(value) || value.error === undefined || value.error === null || value.error === '') return null;
  return errorWords(value.error);
}
