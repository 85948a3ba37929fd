// The form for a new panel API token: a name and at least one scope.
import { SCOPES, type Scope } from '../api/tokens';
import type { FieldErrors } from '../domain/errors';
import { collect, field, fieldError, fieldList, requiredText, type Checked } from './forms';

export interface TokenValues {
  name: string;
  scopes: string[];
}

export function tokenValues(body: Record<string, unknown>): TokenValues {
  return { name: field(body, 'name', 300), scopes: fieldList(body, 'scopes') };
}

function scopes(list: string[]): Checked<Scope[]> {
  if (list.length === 0) return fieldError('scopes');
  const known = SCOPES.filter((s) => list.includes(s));
  return known.length === new Set(list).size ? { ok: true, value: known } : fieldError('scopes');
}

export function parseToken(v: TokenValues): { ok: true; input: { name: string; scopes: Scope[] } } | { ok: false; errors: FieldErrors } {
  const result = collect({ name: requiredText(v.name, 100), scopes: scopes(v.scopes) });
  return result.ok ? { ok: true, input: result.values } : result;
}
