// The canned response form: key, language, title and body. The body may use only
// the placeholders the desk fills in.
import type { FieldErrors } from '../domain/errors';
import { LANGUAGES, type Language } from '../domain/ticket';
import { collect, field, fieldError, oneOf, requiredText, type Checked } from './forms';

export const PLACEHOLDERS = ['orderId', 'amount', 'link'] as const;
export const CANNED_LIMITS = { title: 200, body: 5000 } as const;

export interface CannedValues {
  key: string;
  language: string;
  title: string;
  body: string;
}

export interface CannedInput {
  key: string;
  language: Language;
  title: string;
  body: string;
}

export function cannedValues(source: Record<string, unknown>): CannedValues {
  return {
    key: field(source, 'key', 200),
    language: field(source, 'language', 10),
    title: field(source, 'title', 1000),
    body: field(source, 'body', 20_000).replace(/\r\n/g, '\n'),
  };
}

function cannedKey(text: string): Checked<string> {
  const t = text.trim();
  if (!t) return fieldError('required');
  return /^[A-Za-z][\w-]{0,63}$/.test(t) ? { ok: true, value: t } : fieldError('cannedKey');
}

function cannedBody(text: string): Checked<string> {
  const checked = requiredText(text, CANNED_LIMITS.body);
  if (!checked.ok) return checked;
  const unknown = [...checked.value.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)]
    .map((m) => m[1]!)
    .find((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  return unknown === undefined ? checked : fieldError('placeholder', { name: `{{${unknown.slice(0, 40)}}}` });
}

export function parseCanned(v: CannedValues): { ok: true; input: CannedInput } | { ok: false; errors: FieldErrors } {
  const result = collect({
    key: cannedKey(v.key),
    language: oneOf(v.language, LANGUAGES),
    title: requiredText(v.title, CANNED_LIMITS.title),
    body: cannedBody(v.body),
  });
  return result.ok ? { ok: true, input: result.values } : result;
}
