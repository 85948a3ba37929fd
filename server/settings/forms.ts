// Small checks the settings forms share. Each answers the parsed value or the
// error to show beside the field (a full translation key with its params).
import { z } from 'zod';
import type { FieldErrors } from '../domain/errors';
import { isCurrencyCode } from '../domain/money';

export type FieldError = FieldErrors[string];
export type Checked<T> = { ok: true; value: T } | { ok: false; error: FieldError };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (key: string, params?: Record<string, unknown>): { ok: false; error: FieldError } => ({
  ok: false,
  error: params ? { key: `settings:errors.${key}`, params } : { key: `settings:errors.${key}` },
});

/** The text of one form field: strings as typed (capped), anything else empty. */
export function field(body: Record<string, unknown>, name: string, max = 10_000): string {
  const v = body[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/** Checkbox groups arrive as one string or a list of them. */
export function fieldList(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((s): s is string => typeof s === 'string').slice(0, 50);
}

export function wholeNumber(text: string, min: number, max: number): Checked<number> {
  const t = text.trim();
  if (!t) return fail('required');
  if (!/^\d{1,9}$/.test(t)) return fail('range', { min, max });
  const n = Number(t);
  return n >= min && n <= max ? ok(n) : fail('range', { min, max });
}

export function oneOf<T extends string>(text: string, options: readonly T[]): Checked<T> {
  const found = options.find((o) => o === text);
  if (found !== undefined) return ok(found);
  return text ? fail('choice') : fail('required');
}

export function requiredText(text: string, max: number): Checked<string> {
  const t = text.trim();
  if (!t) return fail('required');
  return t.length > max ? fail('tooLong', { max }) : ok(t);
}

/** An absolute http(s) URL, or null when the field was left empty and that is allowed. */
export function httpUrl(text: string, optional: boolean): Checked<string | null> {
  const t = text.trim();
  if (!t) return optional ? ok(null) : fail('required');
  if (t.length > 2000) return fail('tooLong', { max: 2000 });
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return fail('url');
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? ok(t) : fail('url');
}

const emailSchema = z.email();

export function email(text: string): Checked<string> {
  const t = text.trim().toLowerCase();
  if (!t) return fail('required');
  return t.length <= 254 && emailSchema.safeParse(t).success ? ok(t) : fail('email');
}

export function currencyCode(text: string): Checked<string> {
  const t = text.trim().toUpperCase();
  if (!t) return fail('required');
  return isCurrencyCode(t) ? ok(t) : fail('currency');
}

export { fail as fieldError };

/**
 * Runs the checks of a form: every field's error at once, or every value.
 * `checks` maps each field name to its result.
 */
export function collect<T extends Record<string, Checked<unknown>>>(
  checks: T,
): { ok: true; values: { [K in keyof T]: T[K] extends Checked<infer V> ? V : never } } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const values: Record<string, unknown> = {};
  for (const [name, result] of Object.entries(checks)) {
    if (result.ok) values[name] = result.value;
    else errors[name] = result.error;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, values: values as { [K in keyof T]: T[K] extends Checked<infer V> ? V : never } };
}
