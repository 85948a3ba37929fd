// The export form: what, in which format, for which days (UTC, both included) and
// filters. Parsed once into an ExportRequest; bad input comes back as translation
// keys beside the fields, with what was typed kept.
import { DAY_MS, DEFAULT_DAYS, dayStart, defaultRange, formatDay } from '../domain/days';
import type { Language } from '../domain/ticket';
import { isLanguage } from '../i18n/index';

export const EXPORT_KINDS = ['decisions', 'tickets'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFilters {
  /** YYYY-MM-DD, UTC, inclusive */
  from: string;
  /** YYYY-MM-DD, UTC, inclusive */
  to: string;
  serviceId: string | null;
  providerId: string | null;
  /** decisions: who issued them; tickets: the assignee */
  agentId: number | null;
  /** the ticket's language */
  language: Language | null;
}

export interface ExportRequest {
  kind: ExportKind;
  format: ExportFormat;
  filters: ExportFilters;
  /** the language of the headers and translated values (the manager's page language) */
  language: Language;
}

/** What the form shows, as typed. */
export interface ExportInput {
  kind: string;
  format: string;
  from: string;
  to: string;
  service: string;
  provider: string;
  agent: string;
  language: string;
}

export type ExportField = keyof ExportInput;
export type ExportErrors = Partial<Record<ExportField, string>>;

/** The ids a filter may name (the choices of the form's lists). */
export interface ExportChoices {
  services: { id: string; name: string }[];
  providers: { id: string; name: string }[];
  agents: { id: number; name: string }[];
}

/** [start, end) in epoch ms for a filter's inclusive days. */
export function dayRange(filters: Pick<ExportFilters, 'from' | 'to'>): { start: number; end: number } {
  return { start: dayStart(filters.from)!, end: dayStart(filters.to)! + DAY_MS };
}

/** The form as first shown: decisions as CSV for the last 30 days. */
export function defaultInput(now: number): ExportInput {
  const { fromDay, toDay } = defaultRange(now, DEFAULT_DAYS);
  return { kind: 'decisions', format: 'csv', from: formatDay(fromDay), to: formatDay(toDay), service: '', provider: '', agent: '', language: '' };
}

export function inputOf(body: Record<string, unknown>): ExportInput {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 200) : '');
  return {
    kind: text(body.kind),
    format: text(body.format),
    from: text(body.from),
    to: text(body.to),
    service: text(body.service),
    provider: text(body.provider),
    agent: text(body.agent),
    language: text(body.language),
  };
}

export type Parsed = { ok: true; kind: ExportKind; format: ExportFormat; filters: ExportFilters } | { ok: false; errors: ExportErrors };

export function parseExportInput(input: ExportInput, choices: ExportChoices): Parsed {
  const errors: ExportErrors = {};
  const kind = EXPORT_KINDS.find((k) => k === input.kind);
  if (!kind) errors.kind = 'kind.invalid';
  const format = EXPORT_FORMATS.find((f) => f === input.format);
  if (!format) errors.format = 'format.invalid';
  for (const field of ['from', 'to'] as const) {
    if (!input[field]) errors[field] = 'date.required';
    else if (dayStart(input[field]) === null) errors[field] = 'date.invalid';
  }
  if (!errors.from && !errors.to && dayStart(input.from)! > dayStart(input.to)!) errors.to = 'date.beforeFrom';
  if (input.service && !choices.services.some((s) => s.id === input.service)) errors.service = 'choice.unknown';
  if (input.provider && !choices.providers.some((p) => p.id === input.provider)) errors.provider = 'choice.unknown';
  const agentId = input.agent ? Number(input.agent) : null;
  if (input.agent && !choices.agents.some((a) => String(a.id) === input.agent)) errors.agent = 'choice.unknown';
  if (input.language && !isLanguage(input.language)) errors.language = 'choice.unknown';
  if (!kind || !format || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    kind,
    format,
    filters: {
      from: input.from,
      to: input.to,
      serviceId: input.service || null,
      providerId: input.provider || null,
      agentId,
      language: isLanguage(input.language) ? input.language : null,
    },
  };
}

/** A download name that is safe anywhere: ASCII, no separators or quotes. */
export function exportFileName(kind: ExportKind, format: ExportFormat, filters: ExportFilters): string {
  return `refunddesk-${kind}-${filters.from}_${filters.to}.${format}`;
}
