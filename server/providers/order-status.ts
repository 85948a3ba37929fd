// Providers spell order statuses many ways; map each spelling to the desk's words.
// Anything we do not recognise (including Fail/Error) is 'unknown': a human reviews it.
import { ORDER_STATUSES, type OrderStatus } from '../domain/order';

export { ORDER_STATUSES, type OrderStatus };

export const REFILL_STATUSES = ['pending', 'in_progress', 'completed', 'rejected'] as const;
export type RefillStatus = (typeof REFILL_STATUSES)[number];

/** " In-Progress " → "inprogress": trimmed, lower case, no spaces, underscores or hyphens. */
export function normalizeSpelling(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return raw.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

const ORDER_SPELLINGS: Record<string, OrderStatus> = {
  pending: 'pending',
  processing: 'processing',
  inprogress: 'in_progress',
  partial: 'partial',
  completed: 'completed',
  complete: 'completed',
  canceled: 'canceled',
  cancelled: 'canceled',
  refunded: 'canceled',
};

const REFILL_SPELLINGS: Record<string, RefillStatus> = {
  pending: 'pending',
  processing: 'in_progress',
  inprogress: 'in_progress',
  completed: 'completed',
  complete: 'completed',
  rejected: 'rejected',
};

/** Never throws. Fail, Failed, Error and every unknown spelling → 'unknown'. */
export function mapProviderStatus(raw: unknown): OrderStatus | 'unknown' {
  return lookup(ORDER_SPELLINGS, raw);
}

/** Refill statuses (`refill_status`): Pending, In progress, Completed, Rejected; anything else → 'unknown'. */
export function mapRefillStatus(raw: unknown): RefillStatus | 'unknown' {
  return lookup(REFILL_SPELLINGS, raw);
}

function lookup<T extends string>(table: Record<string, T>, raw: unknown): T | 'unknown' {
  const key = normalizeSpelling(raw);
  return Object.hasOwn(table, key) ? table[key]! : 'unknown';
}
