// Client for the SMM panel "API v2" protocol. Every method answers a Result and never throws.
// refill and cancel change state: they are sent exactly once, and an unknown outcome is
// flagged needsHuman. Read-only calls are retried once, and only when the provider was unreachable.
import { REF } from '../domain/order';
import { mapRefillStatus, type RefillStatus } from './order-status';
import { itemError, parseCurrency, parseOrderStatus, parseSignedMoney, type ProviderOrderStatus } from './parse';
import { failure, isRecord, post, providerRefusal, scrub, type Connection, type Failure, type Result } from './transport';

export type { Failure, FailureKind, Result } from './transport';
export type { ProviderOrderStatus } from './parse';

export interface ProviderClientOptions {
  apiUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const MAX_ORDERS_PER_REQUEST = 100;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** One order inside a multi-status answer: its status, or the provider's error for it. */
export type StatusItem = { ok: true; value: ProviderOrderStatus } | { ok: false; error: string };

/** One order inside a cancel answer. 'unknown' means nobody knows whether it was canceled.
 *  A rejection's error is the provider's words, or null when it gave none. */
export type CancelOutcome =
  | { outcome: 'accepted' }
  | { outcome: 'rejected'; error: string | null }
  | { outcome: 'unknown'; needsHuman: true; code: 'not_mentioned' | 'bad_shape'; message: string };

export interface RefillStatusValue {
  status: RefillStatus | 'unknown';
  rawStatus: string;
}

export interface Balance {
  balanceMicros: number;
  currency: string | null;
}

export class ProviderClient {
  private readonly conn: Connection;

  constructor(options: ProviderClientOptions) {
    const timeoutMs = options.timeoutMs;
    this.conn = {
      apiUrl: options.apiUrl,
      apiKey: options.apiKey,
      timeoutMs: timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS,
      fetch: options.fetch ?? globalThis.fetch,
    };
  }

  async status(orderId: string): Promise<Result<ProviderOrderStatus>> {
    const invalid = checkIds([orderId]);
    if (invalid) return invalid;
    const answer = await this.read('status', { order: orderId });
    if (!answer.ok) return answer;
    const parsed = parseOrderStatus(answer.value);
    return parsed ? { ok: true, value: parsed } : badShape('status');
  }

  /**
   * Sends batches of at most 100 IDs. If any batch fails, the call fails with that batch's failure.
   * An ID that is not a plain ID is not sent and answers an error of its own; only when no ID
   * at all can be sent is the call rejected.
   */
  async statuses(orderIds: string[]): Promise<Result<Map<string, StatusItem>>> {
    const asked = [...new Set(orderIds)];
    const ids = asked.filter(isPlainId);
    if (ids.length === 0 && asked.length > 0) return invalidId();
    const answered = new Map<string, StatusItem>();
    for (let i = 0; i < ids.length; i += MAX_ORDERS_PER_REQUEST) {
      const batch = ids.slice(i, i + MAX_ORDERS_PER_REQUEST);
      const answer = await this.read('status', { orders: batch.join(',') });
      if (!answer.ok) return answer;
      if (!isRecord(answer.value)) return badShape('status');
      for (const id of batch) answered.set(id, this.statusItem(Object.hasOwn(answer.value, id) ? answer.value[id] : undefined));
    }
    const items = new Map(asked.map((id): [string, StatusItem] => [id, answered.get(id) ?? { ok: false, error: 'Not a plain ID; it was not sent.' }]));
    return { ok: true, value: items };
  }

  async refill(orderId: string): Promise<Result<{ refillId: string }>> {
    const invalid = checkIds([orderId]);
    if (invalid) return invalid;
    const answer = await this.change('refill', { order: orderId });
    if (!answer.ok) return answer;
    const refill = isRecord(answer.value) ? answer.value.refill : undefined;
    const error = itemError({ error: isRecord(refill) ? refill.error : undefined });
    if (error !== null) return providerRefusal(error, this.conn.apiKey);
    const refillId = typeof refill === 'string' ? refill.trim() : Number.isSafeInteger(refill) ? String(refill) : '';
    return refillId ? { ok: true, value: { refillId } } : needsHuman(badShape('refill'));
  }

  async refillStatus(refillId: string): Promise<Result<RefillStatusValue>> {
    const invalid = checkIds([refillId]);
    if (invalid) return invalid;
    const answer = await this.read('refill_status', { refill: refillId });
    if (!answer.ok) return answer;
    const raw = isRecord(answer.value) ? answer.value.status : undefined;
    const error = itemError({ error: isRecord(raw) ? raw.error : undefined });
    if (error !== null) return providerRefusal(error, this.conn.apiKey);
    if (typeof raw !== 'string') return badShape('refill_status');
    return { ok: true, value: { status: mapRefillStatus(raw), rawStatus: raw } };
  }

  /** At most 100 orders, sent in one request, never retried. */
  async cancel(orderIds: string[]): Promise<Result<Map<string, CancelOutcome>>> {
    const ids = [...new Set(orderIds)];
    const invalid = checkIds(ids);
    if (invalid) return invalid;
    if (ids.length > MAX_ORDERS_PER_REQUEST) {
      return failure('rejected', 'too_many_orders', `At most ${MAX_ORDERS_PER_REQUEST} orders per cancel; nothing was sent.`);
    }
    const outcomes = new Map<string, CancelOutcome>();
    if (ids.length === 0) return { ok: true, value: outcomes };
    const answer = await this.change('cancel', { orders: ids.join(',') });
    if (!answer.ok) return answer;
    if (!Array.isArray(answer.value)) return needsHuman(badShape('cancel'));
    for (const item of answer.value) {
      if (!isRecord(item) || (typeof item.order !== 'string' && typeof item.order !== 'number')) continue;
      const id = String(item.order).trim();
      if (ids.includes(id) && !outcomes.has(id)) outcomes.set(id, this.cancelOutcome(item));
    }
    for (const id of ids) {
      if (!outcomes.has(id)) outcomes.set(id, unknownCancel('not_mentioned', 'The provider did not mention this order.'));
    }
    return { ok: true, value: outcomes };
  }

  async balance(): Promise<Result<Balance>> {
    const answer = await this.read('balance', {});
    if (!answer.ok) return answer;
    const value = isRecord(answer.value) ? answer.value : {};
    const balanceMicros = parseSignedMoney(value.balance);
    if (balanceMicros === null) return badShape('balance');
    return { ok: true, value: { balanceMicros, currency: parseCurrency(value.currency) } };
  }

  private async read(action: string, params: Record<string, string>): Promise<Result<unknown>> {
    const first = await post(this.conn, action, params);
    return !first.ok && first.kind === 'unreachable' ? post(this.conn, action, params) : first;
  }

  private async change(action: string, params: Record<string, string>): Promise<Result<unknown>> {
    const answer = await post(this.conn, action, params);
    return !answer.ok && answer.kind === 'unknown' ? needsHuman(answer) : answer;
  }

  private statusItem(value: unknown): StatusItem {
    if (value === undefined) return { ok: false, error: 'The provider did not mention this order.' };
    const error = itemError(value);
    if (error !== null) return { ok: false, error: error ? scrub(error, this.conn.apiKey) : 'The provider refused this order without saying why.' };
    const parsed = parseOrderStatus(value);
    return parsed ? { ok: true, value: parsed } : { ok: false, error: 'The provider answered something unreadable for this order.' };
  }

  private cancelOutcome(item: Record<string, unknown>): CancelOutcome {
    const { cancel } = item;
    if (cancel === 1 || cancel === '1' || cancel === true) return { outcome: 'accepted' };
    const error = itemError({ error: isRecord(cancel) ? cancel.error : item.error });
    if (error !== null) return { outcome: 'rejected', error: error ? scrub(error, this.conn.apiKey) : null };
    return unknownCancel('bad_shape', 'The provider answered something unreadable for this order.');
  }
}

function isPlainId(id: string): boolean {
  return typeof id === 'string' && REF.test(id);
}

function checkIds(ids: string[]): Failure | null {
  return ids.every(isPlainId) ? null : invalidId();
}

function invalidId(): Failure {
  return failure('rejected', 'invalid_id', 'An order or refill ID is not a plain ID; nothing was sent.');
}

function badShape(action: string): Failure {
  return failure('unknown', 'bad_shape', `The provider's answer to ${action} could not be understood.`);
}

function needsHuman(f: Failure): Failure {
  return { ...f, needsHuman: true, message: `${f.message} The outcome is unknown: check the provider before trying again.` };
}

function unknownCancel(code: 'not_mentioned' | 'bad_shape', reason: string): CancelOutcome {
  return { outcome: 'unknown', needsHuman: true, code, message: `${reason} Check the provider before trying again.` };
}
