// The decision form: what an agent may decide for one order, checked against the
// policy's review of that order. Errors are translation keys, one per field.
import type { FieldErrors } from '../domain/errors';
import { microsToShortDecimal, parseMoney } from '../domain/money';
import { isRejectReason, type RejectReason } from '../domain/policy/reject-reasons';
import type { Destination, Outcome } from '../domain/policy/types';
import type { OrderReview } from '../review/facts';

export interface DecisionValues {
  outcome: string;
  destination: string;
  amount: string;
  fee: string;
  method: string;
  reference: string;
  rejectReason: string;
  note: string;
  /** "1": send the cancel (money) or the refill to the provider first */
  providerAction: string;
}

export interface DecisionInput {
  outcome: Outcome;
  destination: Destination | null;
  amountMicros: number;
  feeMicros: number;
  method: string | null;
  reference: string | null;
  rejectReason: RejectReason | null;
  note: string | null;
  providerAction: boolean;
}

const MONEY: ReadonlySet<string> = new Set(['full_refund', 'partial_refund']);
const FIELDS: (keyof DecisionValues)[] = ['outcome', 'destination', 'amount', 'fee', 'method', 'reference', 'rejectReason', 'note', 'providerAction'];

export function decisionValues(body: Record<string, unknown>): DecisionValues {
  const out = {} as DecisionValues;
  for (const f of FIELDS) out[f] = typeof body[f] === 'string' ? (body[f] as string).slice(0, 5000) : '';
  return out;
}

/** The form as first shown: the recommendation filled in. */
export function prefilled(r: OrderReview): DecisionValues {
  const rec = r.review.recommendation;
  const money = rec.outcome !== null && MONEY.has(rec.outcome);
  return {
    outcome: rec.outcome ?? '',
    destination: rec.destinations[0] ?? 'balance',
    amount: money ? microsToShortDecimal(rec.amountMicros) : '',
    fee: rec.feeMicros > 0 ? microsToShortDecimal(rec.feeMicros) : '',
    method: '',
    reference: '',
    rejectReason: rec.rejectReason ?? '',
    note: '',
    providerAction: '1',
  };
}

/** The most money this decision may pay: what the order cost less what was already returned. */
export function maxPayable(r: OrderReview, ticketAmountMicros: number | null): number {
  if (!r.order) return ticketAmountMicros ?? 0;
  return Math.max(0, r.order.chargeMicros - r.refundedMicros);
}

export function parseDecision(
  v: DecisionValues,
  r: OrderReview,
  limits: { maxMicros: number },
): { input?: DecisionInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rec = r.review.recommendation;
  const outcome = r.review.eligible.find((o) => o === v.outcome);
  if (!outcome) errors.outcome = { key: v.outcome ? 'decision.outcomeNotEligible' : 'field.required' };
  const money = outcome !== undefined && MONEY.has(outcome);

  let destination: Destination | null = null;
  let amountMicros = 0;
  let feeMicros = 0;
  let method: string | null = null;
  let reference: string | null = null;
  if (money) {
    const allowed: Destination[] = rec.destinations.length > 0 ? rec.destinations : ['balance'];
    destination = allowed.find((d) => d === v.destination) ?? null;
    if (!destination) errors.destination = { key: 'decision.destinationNotAllowed' };
    const amount = parseMoney(v.amount);
    if (amount === null || amount === 0) errors.amount = { key: 'amount.invalid' };
    const fee = v.fee.trim() ? parseMoney(v.fee) : 0;
    if (fee === null) errors.fee = { key: 'amount.invalid' };
    if (amount !== null && fee !== null) {
      if (amount + fee > limits.maxMicros) errors.amount = { key: 'decision.amountTooHigh', params: { max: microsToShortDecimal(limits.maxMicros) } };
      amountMicros = amount;
      feeMicros = fee;
    }
    if (destination === 'original_method') {
      method = v.method.trim() || null;
      reference = v.reference.trim() || null;
      if (!method) errors.method = { key: 'decision.methodRequired' };
      else if (method.length > 100) errors.method = { key: 'field.tooLong', params: { count: 100 } };
      if (!reference) errors.reference = { key: 'decision.referenceRequired' };
      else if (reference.length > 200) errors.reference = { key: 'field.tooLong', params: { count: 200 } };
    } else if (feeMicros > 0) errors.fee = { key: 'decision.feeOnlyOriginal' };
  }

  let rejectReason: RejectReason | null = null;
  if (outcome === 'reject') {
    rejectReason = isRejectReason(v.rejectReason) ? v.rejectReason : null;
    if (!rejectReason) errors.rejectReason = { key: 'field.required' };
  }

  const note = v.note.trim() || null;
  if (note && note.length > 2000) errors.note = { key: 'field.tooLong', params: { count: 2000 } };
  const departs = outcome !== rec.outcome || (money && amountMicros !== rec.amountMicros);
  if (outcome && departs && !note) errors.note = { key: 'decision.noteRequired' };

  // A mandatory item is done when the desk's own check passed or an agent ticked it; a
  // failed check also settles it for a rejection (the failure is the reason), not for money.
  const open = r.review.checklist.filter(
    (c) => c.mandatory && c.evidence !== 'pass' && !(c.evidence === 'fail' && outcome === 'reject') && !r.ticks.has(c.key),
  );
  if (open.length > 0) errors.checklist = { key: 'decision.checklistIncomplete', params: { count: open.length } };

  if (Object.keys(errors).length > 0 || !outcome) return { errors };
  return {
    errors,
    input: {
      outcome,
      destination,
      amountMicros,
      feeMicros,
      method,
      reference,
      rejectReason,
      note,
      providerAction: v.providerAction === '1',
    },
  };
}
