// The desk's general settings: SLA targets, the open-ticket cap per email, the currency.
import type { FieldErrors } from '../domain/errors';
import { collect, currencyCode, field, wholeNumber } from './forms';
import type { DeskSettings } from './store';

export const GENERAL_RANGES = {
  hours: { min: 1, max: 720 },
  cap: { min: 1, max: 50 },
} as const;

export interface GeneralValues {
  firstResponseHours: string;
  cancellationHours: string;
  investigationHours: string;
  maxOpenTicketsPerEmail: string;
  currency: string;
}

export type GeneralSettings = Pick<DeskSettings, 'sla' | 'maxOpenTicketsPerEmail' | 'currency'>;

const FIELDS: (keyof GeneralValues)[] = [
  'firstResponseHours',
  'cancellationHours',
  'investigationHours',
  'maxOpenTicketsPerEmail',
  'currency',
];

export function generalValues(body: Record<string, unknown>): GeneralValues {
  return Object.fromEntries(FIELDS.map((f) => [f, field(body, f, 100)])) as unknown as GeneralValues;
}

export function generalFormValues(s: GeneralSettings): GeneralValues {
  return {
    firstResponseHours: String(s.sla.firstResponseHours),
    cancellationHours: String(s.sla.cancellationHours),
    investigationHours: String(s.sla.investigationHours),
    maxOpenTicketsPerEmail: String(s.maxOpenTicketsPerEmail),
    currency: s.currency,
  };
}

export function parseGeneral(v: GeneralValues): { ok: true; settings: GeneralSettings } | { ok: false; errors: FieldErrors } {
  const { hours, cap } = GENERAL_RANGES;
  const result = collect({
    firstResponseHours: wholeNumber(v.firstResponseHours, hours.min, hours.max),
    cancellationHours: wholeNumber(v.cancellationHours, hours.min, hours.max),
    investigationHours: wholeNumber(v.investigationHours, hours.min, hours.max),
    maxOpenTicketsPerEmail: wholeNumber(v.maxOpenTicketsPerEmail, cap.min, cap.max),
    currency: currencyCode(v.currency),
  });
  if (!result.ok) return result;
  const r = result.values;
  return {
    ok: true,
    settings: {
      sla: { firstResponseHours: r.firstResponseHours, cancellationHours: r.cancellationHours, investigationHours: r.investigationHours },
      maxOpenTicketsPerEmail: r.maxOpenTicketsPerEmail,
      currency: r.currency,
    },
  };
}

/** The settings that changed, named as the audit trail shows them ("sla.firstResponseHours", "currency"). */
export function generalChanges(before: GeneralSettings, after: GeneralSettings): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(after.sla) as (keyof GeneralSettings['sla'])[]) {
    if (before.sla[k] !== after.sla[k]) keys.push(`sla.${k}`);
  }
  if (before.maxOpenTicketsPerEmail !== after.maxOpenTicketsPerEmail) keys.push('maxOpenTicketsPerEmail');
  if (before.currency !== after.currency) keys.push('currency');
  return keys;
}
