// The words of a ticket: reasons, resolutions, statuses and the rules that only need facts.
export const LANGUAGES = ['en', 'ar', 'uk'] as const;
export type Language = (typeof LANGUAGES)[number];

export const REASONS = [
  'wrong_link',
  'duplicate_order',
  'not_started',
  'went_private',
  'wrong_service',
  'changed_mind',
  'drop',
  'partial_delivery',
  'slow_delivery',
  'billing_error',
  'other',
] as const;
export type Reason = (typeof REASONS)[number];

export const PREFERRED_RESOLUTIONS = ['balance', 'original_method', 'refill'] as const;
export type PreferredResolution = (typeof PREFERRED_RESOLUTIONS)[number];

export const TICKET_STATUSES = ['new', 'in_review', 'waiting_customer', 'resolved', 'closed', 'merged'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which a ticket still holds its orders and counts toward the open cap. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'in_review', 'waiting_customer'];

export const MAX_ORDERS_PER_TICKET = 10;
export const MAX_SCREENSHOTS = 5;
export const REOPEN_WINDOW_MS = 7 * 24 * 3_600_000;

/** Reasons that ask to stop an order (the faster SLA) rather than investigate a delivery. */
const CANCELLATION_REASONS: ReadonlySet<Reason> = new Set([
  'wrong_link',
  'duplicate_order',
  'not_started',
  'wrong_service',
  'changed_mind',
]);

export interface SlaTargets {
  firstResponseHours: number;
  cancellationHours: number;
  investigationHours: number;
}

export function slaDueTimes(reason: Reason, createdAt: number, sla: SlaTargets) {
  const hours = CANCELLATION_REASONS.has(reason) ? sla.cancellationHours : sla.investigationHours;
  return {
    firstResponseDueAt: createdAt + sla.firstResponseHours * 3_600_000,
    resolutionDueAt: createdAt + hours * 3_600_000,
  };
}

/** What a customer's reply does to the ticket's status, or null when a reply is not accepted. */
export function statusAfterCustomerReply(
  status: TicketStatus,
  resolvedAt: number | null,
  now: number,
): TicketStatus | null {
  switch (status) {
    case 'new':
      return 'new';
    case 'in_review':
    case 'waiting_customer':
      return 'in_review';
    case 'resolved':
      return resolvedAt !== null && now - resolvedAt <= REOPEN_WINDOW_MS ? 'in_review' : null;
    default:
      return null;
  }
}

/** Status changes an agent may make by hand (resolved comes from decisions, merged from a merge). */
const AGENT_MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['in_review', 'waiting_customer', 'closed'],
  in_review: ['waiting_customer', 'closed'],
  waiting_customer: ['in_review', 'closed'],
  resolved: ['in_review', 'closed'],
  closed: ['in_review'],
  merged: [],
};

export function agentMoves(status: TicketStatus): readonly TicketStatus[] {
  return AGENT_MOVES[status];
}

export interface SlaClock {
  status: TicketStatus;
  slaPausedAt: number | null;
  firstResponseDueAt: number | null;
  resolutionDueAt: number | null;
}

/**
 * Waiting on the customer pauses the SLA clock: entering it notes when, leaving it
 * moves both due times later by the time spent waiting.
 */
export function slaOnStatusChange(t: SlaClock, to: TicketStatus, now: number): Partial<SlaClock> {
  if (to === t.status) return {};
  if (to === 'waiting_customer') return { slaPausedAt: now };
  if (t.status !== 'waiting_customer' || t.slaPausedAt === null) return {};
  const paused = Math.max(0, now - t.slaPausedAt);
  return {
    slaPausedAt: null,
    firstResponseDueAt: t.firstResponseDueAt === null ? null : t.firstResponseDueAt + paused,
    resolutionDueAt: t.resolutionDueAt === null ? null : t.resolutionDueAt + paused,
  };
}

/** Order IDs as customers type them: separated by commas, spaces or new lines. */
export function splitOrderIds(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// Ticket numbers: readable, without look-alike characters, and random so that
// knowing one number tells nothing about the next.
const NUMBER_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

export function formatTicketNumber(randomBytes: Uint8Array): string {
  const chars = Array.from(randomBytes.slice(0, 8), (b) => NUMBER_ALPHABET[b % NUMBER_ALPHABET.length]);
  return `RD-${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}`;
}

/** "rd 7kq4 m2xd" → "RD-7KQ4-M2XD"; null when it cannot be a ticket number. */
export function normalizeTicketNumber(input: string): string | null {
  const compact = input.toUpperCase().replace(/[^0-9A-Z]/g, '').replace(/^RD/, '');
  if (compact.length !== 8 || [...compact].some((c) => !NUMBER_ALPHABET.includes(c))) return null;
  return `RD-${compact.slice(0, 4)}-${compact.slice(4)}`;
}

// Text a customer sends is stored without invisible controls: C0 controls (but tab and
// new line), DEL and C1 controls, and the bidi embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) that would reorder what staff read, e.g. make
// "gnp.exe" show as "exe.png". Marks (LRM, RLM, ALM) stay: Arabic text needs them.
const INVISIBLE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/** Multi-line text: line ends become \n; other controls and bidi overrides are removed. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, (c) => (c === '\n' || c === '\t' ? c : ''));
}

/** One line (a link, a reference, a name): every control, tab and line end is removed. */
export function cleanLine(text: string): string {
  return text.replace(INVISIBLE, '');
}
