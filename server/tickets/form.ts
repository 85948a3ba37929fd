// The public intake form: its field names are a contract with panels that
// deep-link and prefill it. Errors are translation keys, one per field. Free text
// is stored without control characters or bidi overrides (cleanText/cleanLine).
import { z } from 'zod';
import type { FieldErrors } from '../domain/errors';
import { parseMoney } from '../domain/money';
import { ORDER_ID } from '../domain/order';
import {
  MAX_ORDERS_PER_TICKET,
  PREFERRED_RESOLUTIONS,
  REASONS,
  cleanLine,
  cleanText,
  splitOrderIds,
  type PreferredResolution,
  type Reason,
} from '../domain/ticket';

export interface IntakeValues {
  email: string;
  orderIds: string;
  link: string;
  reason: string;
  details: string;
  preferredResolution: string;
  paymentReference: string;
  amount: string;
}

export interface IntakeInput {
  email: string;
  orderIds: string[];
  link: string | null;
  reason: Reason;
  details: string;
  preferredResolution: PreferredResolution;
  paymentReference: string | null;
  amountMicros: number | null;
}

const FIELDS: (keyof IntakeValues)[] = [
  'email',
  'orderIds',
  'link',
  'reason',
  'details',
  'preferredResolution',
  'paymentReference',
  'amount',
];

/** The raw text of each field, as typed, to put back into the form. */
export function intakeValues(source: Record<string, unknown>): IntakeValues {
  const out = {} as IntakeValues;
  for (const f of FIELDS) {
    const v = source[f];
    out[f] = typeof v === 'string' ? v.slice(0, 10_000) : Array.isArray(v) ? v.join(',') : '';
  }
  if (!out.preferredResolution) out.preferredResolution = 'balance';
  return out;
}

const emailSchema = z.email();
const INTAKE_LIMITS = { email: 254, link: 500, details: 5000, paymentReference: 200 } as const;

export function parseIntake(v: IntakeValues): { input?: IntakeInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const email = v.email.trim().toLowerCase();
  if (!email) errors.email = { key: 'field.required' };
  else if (email.length > INTAKE_LIMITS.email) errors.email = { key: 'field.tooLong', params: { count: INTAKE_LIMITS.email } };
  // Controls (a line break is a header injection in an email) fail the check like any other bad address.
  else if (!emailSchema.safeParse(email).success) errors.email = { key: 'email.invalid' };

  const reason = REASONS.find((r) => r === v.reason);
  if (!reason) errors.reason = { key: v.reason ? 'reason.invalid' : 'field.required' };
  const billing = reason === 'billing_error';

  const orderIds = [...new Set(splitOrderIds(v.orderIds))];
  const badId = orderIds.find((id) => !ORDER_ID.test(id));
  if (badId !== undefined) errors.orderIds = { key: 'orderIds.invalid', params: { value: cleanLine(badId).slice(0, 40) } };
  else if (orderIds.length > MAX_ORDERS_PER_TICKET)
    errors.orderIds = { key: 'orderIds.tooMany', params: { count: MAX_ORDERS_PER_TICKET } };
  else if (orderIds.length === 0 && !billing) errors.orderIds = { key: 'field.required' };

  const typed = cleanLine(v.link).trim();
  // Customers often paste "instagram.com/…" without a scheme.
  const link = typed && !/^[a-z][a-z0-9+.-]*:/i.test(typed) ? `https://${typed}` : typed;
  if (link) {
    if (typed.length > INTAKE_LIMITS.link) errors.link = { key: 'field.tooLong', params: { count: INTAKE_LIMITS.link } };
    else if (link.length > INTAKE_LIMITS.link || !isWebLink(link)) errors.link = { key: 'link.invalid' };
  } else if (!billing) errors.link = { key: 'field.required' };

  const details = cleanText(v.details).trim();
  if (details.length > INTAKE_LIMITS.details) errors.details = { key: 'field.tooLong', params: { count: INTAKE_LIMITS.details } };
  else if (!details && reason === 'other') errors.details = { key: 'details.requiredForOther' };

  const preferredResolution = PREFERRED_RESOLUTIONS.find((r) => r === v.preferredResolution);
  if (!preferredResolution) errors.preferredResolution = { key: 'field.required' };

  const paymentReference = cleanLine(v.paymentReference).trim();
  const referenceMax = INTAKE_LIMITS.paymentReference;
  if (paymentReference.length > referenceMax) errors.paymentReference = { key: 'field.tooLong', params: { count: referenceMax } };
  else if (billing && !paymentReference) errors.paymentReference = { key: 'paymentReference.required' };

  let amountMicros: number | null = null;
  if (v.amount.trim()) {
    amountMicros = parseMoney(v.amount);
    if (amountMicros === null || amountMicros === 0) errors.amount = { key: 'amount.invalid' };
  } else if (billing) errors.amount = { key: 'amount.required' };

  if (Object.keys(errors).length > 0 || !reason || !preferredResolution) return { errors };
  return {
    errors,
    input: {
      email,
      orderIds,
      link: link || null,
      reason,
      details,
      preferredResolution,
      paymentReference: paymentReference || null,
      amountMicros,
    },
  };
}

function isWebLink(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}
