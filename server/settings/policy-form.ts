// The policy form: the preset and every parameter of PolicySettings, as typed
// (to put back into the form) and parsed with their ranges.
import type { FieldErrors } from '../domain/errors';
import { microsToShortDecimal, parseMoney } from '../domain/money';
import { PRESETS, type PolicySettings, type PresetName } from '../domain/policy/settings';
import { collect, field, fieldError, oneOf, wholeNumber, type Checked } from './forms';

/** Every member of a string union, listed once: the compiler checks none is missing or extra. */
const members = <T extends string>(all: Record<T, true>) => Object.keys(all) as T[];

export const POLICY_CHOICES = {
  preset: members<PresetName>({ standard: true, strict: true }),
  cancelPending: members<PolicySettings['cancelPending']>({ always: true, provider_accepts: true }),
  customerMistakeAfterStart: members<PolicySettings['customerMistakeAfterStart']>({ undelivered: true, none: true }),
  originalMethodFor: members<PolicySettings['originalMethodFor']>({ billing_duplicate_unstarted: true, billing_reversible: true }),
  slowDelivery: members<PolicySettings['slowDelivery']>({ manual_review: true, reject: true }),
  overlapping: members<PolicySettings['overlapping']>({ review: true, reject: true }),
};

export const POLICY_RANGES = {
  extendedPendingHours: { min: 1, max: 720 },
  stuckProcessingHours: { min: 1, max: 720 },
  refundWindowDays: { min: 1, max: 365 },
} as const;

export type PolicyValues = Record<Exclude<keyof PolicySettings, 'cryptoFeeMicros'> | 'cryptoFee', string>;

const FIELDS: (keyof PolicyValues)[] = [
  'preset',
  'cancelPending',
  'customerMistakeAfterStart',
  'originalMethodFor',
  'extendedPendingHours',
  'stuckProcessingHours',
  'refundWindowDays',
  'slowDelivery',
  'overlapping',
  'cryptoFee',
];

/** The raw text of each field, as posted. */
export function policyValues(body: Record<string, unknown>): PolicyValues {
  return Object.fromEntries(FIELDS.map((f) => [f, field(body, f, 100)])) as PolicyValues;
}

/** Settings shown as form text (the fee as a short decimal: 1, 0.5). */
export function policyFormValues(p: PolicySettings): PolicyValues {
  return {
    preset: p.preset,
    cancelPending: p.cancelPending,
    customerMistakeAfterStart: p.customerMistakeAfterStart,
    originalMethodFor: p.originalMethodFor,
    extendedPendingHours: String(p.extendedPendingHours),
    stuckProcessingHours: String(p.stuckProcessingHours),
    refundWindowDays: String(p.refundWindowDays),
    slowDelivery: p.slowDelivery,
    overlapping: p.overlapping,
    cryptoFee: microsToShortDecimal(p.cryptoFeeMicros),
  };
}

/** The form filled with a preset's values; null when the name is not a preset. */
export function presetValues(name: string): PolicyValues | null {
  const preset = POLICY_CHOICES.preset.find((p) => p === name);
  return preset ? policyFormValues(PRESETS[preset]) : null;
}

function fee(text: string): Checked<number> {
  if (!text.trim()) return fieldError('required');
  const micros = parseMoney(text);
  return micros === null ? fieldError('money') : { ok: true, value: micros };
}

export function parsePolicy(v: PolicyValues): { ok: true; settings: PolicySettings } | { ok: false; errors: FieldErrors } {
  const r = POLICY_RANGES;
  const result = collect({
    preset: oneOf(v.preset, POLICY_CHOICES.preset),
    cancelPending: oneOf(v.cancelPending, POLICY_CHOICES.cancelPending),
    customerMistakeAfterStart: oneOf(v.customerMistakeAfterStart, POLICY_CHOICES.customerMistakeAfterStart),
    originalMethodFor: oneOf(v.originalMethodFor, POLICY_CHOICES.originalMethodFor),
    extendedPendingHours: wholeNumber(v.extendedPendingHours, r.extendedPendingHours.min, r.extendedPendingHours.max),
    stuckProcessingHours: wholeNumber(v.stuckProcessingHours, r.stuckProcessingHours.min, r.stuckProcessingHours.max),
    refundWindowDays: wholeNumber(v.refundWindowDays, r.refundWindowDays.min, r.refundWindowDays.max),
    slowDelivery: oneOf(v.slowDelivery, POLICY_CHOICES.slowDelivery),
    overlapping: oneOf(v.overlapping, POLICY_CHOICES.overlapping),
    cryptoFee: fee(v.cryptoFee),
  });
  if (!result.ok) return result;
  const { cryptoFee, ...rest } = result.values;
  return { ok: true, settings: { ...rest, cryptoFeeMicros: cryptoFee } };
}

/** The parameters whose value differs (for the audit trail and the "customised" note). */
export function changedKeys<T extends object>(before: T, after: T): (keyof T & string)[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof T & string>;
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
