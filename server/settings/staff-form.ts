// The staff account forms: a new account, and a role change.
import type { Role } from '../auth/staff';
import type { FieldErrors } from '../domain/errors';
import { LANGUAGES, type Language } from '../domain/ticket';
import { passwordProblem } from '../security/passwords';
import { collect, email, field, fieldError, oneOf, requiredText, type Checked } from './forms';

export const ROLES: readonly Role[] = ['agent', 'manager', 'admin'];

export interface StaffValues {
  email: string;
  name: string;
  role: string;
  language: string;
  password: string;
}

export interface StaffInput {
  email: string;
  name: string;
  role: Role;
  language: Language;
  password: string;
}

export function staffValues(body: Record<string, unknown>): StaffValues {
  return {
    email: field(body, 'email', 300),
    name: field(body, 'name', 300),
    role: field(body, 'role', 20),
    language: field(body, 'language', 10),
    password: field(body, 'password', 1000),
  };
}

function password(text: string): Checked<string> {
  const problem = passwordProblem(text);
  if (!problem) return { ok: true, value: text };
  return fieldError(problem.reason, problem.params);
}

export function parseStaff(v: StaffValues): { ok: true; input: StaffInput } | { ok: false; errors: FieldErrors } {
  const result = collect({
    email: email(v.email),
    name: requiredText(v.name, 100),
    role: oneOf(v.role, ROLES),
    language: oneOf(v.language, LANGUAGES),
    password: password(v.password),
  });
  return result.ok ? { ok: true, input: result.values } : result;
}

export function parseRole(text: string): Checked<Role> {
  return oneOf(text, ROLES);
}
