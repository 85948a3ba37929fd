// The form for a new panel API token: a name and at least one scope.
import { validScopes, type Scope } from '../api/tokens';
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
  const valid = validScopes(list);
  return valid ? { ok: true, value: valid } : fieldError('scopes');
}

export function parseToken(v: TokenValues): { ok: true; input: { name: string; scopes: Scope[] } } | { ok: false; errors: FieldErrors } {
  const result = collect({ name: requiredText(v.name, 100), scopes: scopes(v.scopes) });
  return result.ok ? { ok: true, input: result.values } : result;
}
