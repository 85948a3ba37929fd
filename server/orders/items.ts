// The shapes a panel sends (API items, CSV rows): checked field by field into
// plain values, each problem a translation key under errors:item.
import { z } from 'zod';
import type { FieldErrors } from '../domain/errors';
import { isCurrencyCode, parseMoney } from '../domain/money';
import { mapProviderStatus } from '../providers/order-status';
import { ORDER_ID, REF, type OrderStatus } from '../domain/order';

export interface OrderItem {
  id: string;
  customerEmail: string;
  serviceId: string | null;
  providerId: string | null;
  providerOrderId: string | null;
  link: string;
  quantity: number;
  chargeMicros: number;
  currency: string;
  refundedMicros: number;
  startCount: number | null;
  remains: number | null;
  status: OrderStatus | 'unknown';
  statusText: string;
  createdAt: number;
  completedAt: number | null;
}

export interface ServiceItem {
  id: string;
  name: string;
  providerId: string | null;
  refillDays: number;
  cancelAllowed: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; fields: FieldErrors };

const emailSchema = z.email();

/** Reads one order item; `currency` fills in when the item has none. */
export function parseOrderItem(raw: unknown, defaultCurrency: string): Parsed<OrderItem> {
  if (!isObject(raw)) return { ok: false, fields: { item: { key: 'item.notObject' } } };
  const f = new Fields(raw);
  const id = f.ref('id', ORDER_ID, 'item.orderId');
  const customerEmail = f.email('customerEmail');
  const serviceId = f.optionalRef('serviceId');
  const providerId = f.optionalRef('providerId');
  const providerOrderId = f.optionalRef('providerOrderId');
  const link = f.link('link');
  const quantity = f.integer('quantity', { min: 1, required: true });
  const chargeMicros = f.money('charge', true);
  const currency = f.currency('currency', defaultCurrency);
  const refundedMicros = f.money('refunded', false) ?? 0;
  const startCount = f.integer('startCount', { min: 0 });
  // Providers report negative remains for over-delivery.
  const remains = f.integer('remains', { min: -1_000_000_000 });
  const statusText = f.text('status', 40, true);
  const createdAt = f.time('createdAt', true);
  const completedAt = f.time('completedAt', false);
  if (!f.ok() || id === null || customerEmail === null || link === null || quantity === null) return f.failure();
  if (chargeMicros === null || createdAt === null || statusText === null) return f.failure();
  return {
    ok: true,
    value: {
      id,
      customerEmail,
      serviceId,
      providerId,
      providerOrderId,
      link,
      quantity,
      chargeMicros,
      currency,
      refundedMicros,
      startCount,
      remains,
      status: mapProviderStatus(statusText),
      statusText,
      createdAt,
      completedAt,
    },
  };
}

export function parseServiceItem(raw: unknown): Parsed<ServiceItem> {
  if (!isObject(raw)) return { ok: false, fields: { item: { key: 'item.notObject' } } };
  const f = new Fields(raw);
  const id = f.ref('id', REF, 'item.ref');
  const name = f.text('name', 200, true);
  const providerId = f.optionalRef('providerId');
  const refillDays = f.integer('refillDays', { min: 0, max: 3650 }) ?? 0;
  const cancelAllowed = f.boolean('cancelAllowed');
  if (!f.ok() || id === null || name === null) return f.failure();
  return { ok: true, value: { id, name, providerId, refillDays, cancelAllowed } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Numbers and strings alike: panels send either. */
function scalar(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return v.trim();
  return null;
}

class Fields {
  private readonly errors: FieldErrors = {};
  constructor(private readonly raw: Record<string, unknown>) {}

  ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  failure(): { ok: false; fields: FieldErrors } {
    return { ok: false, fields: this.errors };
  }

  private value(name: string): string | null {
    const v = this.raw[name];
    if (v === undefined || v === null) return null;
    const s = scalar(v);
    if (s === null) {
      this.errors[name] = { key: 'item.type' };
      return null;
    }
    return s === '' ? null : s;
  }

  private missing(name: string): null {
    if (!this.errors[name]) this.errors[name] = { key: 'field.required' };
    return null;
  }

  ref(name: string, pattern: RegExp, key: string): string | null {
    const v = this.value(name);
    if (v === null) return this.missing(name);
    if (!pattern.test(v)) {
      this.errors[name] = { key };
      return null;
    }
    return v;
  }

  optionalRef(name: string): string | null {
    const v = this.value(name);
    if (v === null) return null;
    if (!REF.test(v)) {
      this.errors[name] = { key: 'item.ref' };
      return null;
    }
    return v;
  }

  text(name: string, max: number, required: boolean): string | null {
    const v = this.value(name);
    if (v === null) return required ? this.missing(name) : null;
    if (v.length > max) {
      this.errors[name] = { key: 'field.tooLong', params: { count: max } };
      return null;
    }
    return v;
  }

  email(name: string): string | null {
    const v = this.value(name)?.toLowerCase() ?? null;
    if (v === null) return this.missing(name);
    if (v.length > 254 || !emailSchema.safeParse(v).success) {
      this.errors[name] = { key: 'email.invalid' };
      return null;
    }
    return v;
  }

  link(name: string): string | null {
    const v = this.value(name);
    if (v === null) return this.missing(name);
    if (v.length > 500 || !/^https?:\/\/\S+$/i.test(v)) {
      this.errors[name] = { key: 'item.link' };
      return null;
    }
    return v;
  }

  integer(name: string, opts: { min: number; max?: number; required?: boolean }): number | null {
    const v = this.value(name);
    if (v === null) return opts.required ? this.missing(name) : null;
    const n = /^-?\d{1,15}$/.test(v) ? Number(v) : NaN;
    const max = opts.max ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(n) || n < opts.min || n > max) {
      this.errors[name] = { key: 'item.integer', params: { min: opts.min } };
      return null;
    }
    return n;
  }

  money(name: string, required: boolean): number | null {
    const v = this.value(name);
    if (v === null) return required ? this.missing(name) : null;
    const micros = parseMoney(v);
    if (micros === null) {
      this.errors[name] = { key: 'amount.invalid' };
      return null;
    }
    return micros;
  }

  currency(name: string, fallback: string): string {
    const v = this.value(name)?.toUpperCase() ?? null;
    if (v === null) return fallback;
    if (!isCurrencyCode(v)) this.errors[name] = { key: 'item.currency' };
    return v;
  }

  boolean(name: string): boolean {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return false;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (['1', 'true', 'yes', 'y'].includes(s)) return true;
    if (['0', 'false', 'no', 'n'].includes(s)) return false;
    this.errors[name] = { key: 'item.boolean' };
    return false;
  }

  time(name: string, required: boolean): number | null {
    const v = this.value(name);
    if (v === null) return required ? this.missing(name) : null;
    const at = parseTime(v);
    if (at === null) this.errors[name] = { key: 'item.time' };
    return at;
  }
}

const NAIVE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/;
const ZONED = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * ISO 8601 with a zone, a date, "YYYY-MM-DD HH:MM[:SS]" read as UTC (how panels
 * export), or Unix time in seconds (or milliseconds when it is that large).
 */
export function parseTime(text: string): number | null {
  if (/^\d{9,13}$/.test(text)) {
    const n = Number(text);
    return n < 100_000_000_000 ? n * 1000 : n;
  }
  const naive = NAIVE.exec(text);
  const iso = naive ? `${naive[1]}T${naive[2]}Z` : ZONED.test(text) ? text.replace(' ', 'T') : null;
  if (iso === null) return null;
  const at = Date.parse(iso);
  return Number.isFinite(at) && at > 0 ? at : null;
}
