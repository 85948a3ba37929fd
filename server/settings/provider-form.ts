// The provider connection form: id (on creation only), name, API URL and the API
// key, which is write-only: the field is always empty, and left empty it keeps the
// stored key.
import type { FieldErrors } from '../domain/errors';
import { REF } from '../domain/order';
import { collect, field, fieldError, httpUrl, requiredText, type Checked } from './forms';


export interface ProviderValues {
  id: string;
  name: string;
  apiUrl: string;
  /** never shown again; only read from the post */
  apiKey: string;
}

export interface ProviderInput {
  id: string;
  name: string;
  apiUrl: string | null;
  /** null: keep the stored key */
  apiKey: string | null;
}

export function providerValues(body: Record<string, unknown>): ProviderValues {
  return {
    id: field(body, 'id', 200),
    name: field(body, 'name', 300),
    apiUrl: field(body, 'apiUrl', 3000),
    apiKey: field(body, 'apiKey', 1000),
  };
}

function providerId(text: string): Checked<string> {
  const t = text.trim();
  if (!t) return fieldError('required');
  return REF.test(t) ? { ok: true, value: t } : fieldError('providerId');
}

function apiKey(text: string): Checked<string | null> {
  const t = text.trim();
  if (!t) return { ok: true, value: null };
  return t.length > 500 ? fieldError('tooLong', { max: 500 }) : { ok: true, value: t };
}

export function parseProvider(v: ProviderValues): { ok: true; input: ProviderInput } | { ok: false; errors: FieldErrors } {
  const result = collect({
    id: providerId(v.id),
    name: requiredText(v.name, 100),
    apiUrl: httpUrl(v.apiUrl, true),
    apiKey: apiKey(v.apiKey),
  });
  return result.ok ? { ok: true, input: result.values } : result;
}
