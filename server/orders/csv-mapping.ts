// Which CSV column holds which order field: detected from the header by name
// and synonym (case, spaces, dashes and underscores ignored), then adjusted by
// an override the manager or the command line gives.

export const ORDER_FIELDS = [
  'id',
  'customerEmail',
  'serviceId',
  'providerId',
  'providerOrderId',
  'link',
  'quantity',
  'charge',
  'currency',
  'refunded',
  'startCount',
  'remains',
  'status',
  'createdAt',
  'completedAt',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** What an order cannot be stored without. */
export const REQUIRED_FIELDS: readonly OrderField[] = ['id', 'customerEmail', 'link', 'quantity', 'charge', 'status', 'createdAt'];

/** The written value of a column that is not imported. */
export const IGNORE = 'ignore';

/** One entry per column: the field it fills, or null when it is ignored. */
export type Mapping = (OrderField | null)[];

/** Header spellings seen in panel exports, already normalized. The field's own name is always accepted. */
const SYNONYMS: Record<OrderField, string[]> = {
  id: ['id', 'orderid', 'order', 'ordernumber', 'orderno', 'ordernum'],
  customerEmail: ['email', 'emailaddress', 'customeremail', 'useremail', 'clientemail', 'buyeremail', 'mail'],
  serviceId: ['serviceid', 'service', 'serviceno', 'servicenumber'],
  providerId: ['providerid', 'provider'],
  providerOrderId: ['providerorderid', 'externalid', 'externalorderid', 'providerorder', 'apiorderid', 'remoteid', 'remoteorderid'],
  link: ['link', 'url', 'target', 'targetlink', 'targeturl'],
  quantity: ['quantity', 'qty', 'orderquantity'],
  charge: ['charge', 'price', 'amount', 'cost', 'total', 'charged'],
  currency: ['currency', 'currencycode', 'curr'],
  refunded: ['refunded', 'refund', 'refundedamount', 'refundamount'],
  startCount: ['startcount', 'start', 'startcounter'],
  remains: ['remains', 'remaining', 'remain'],
  status: ['status', 'orderstatus', 'state'],
  createdAt: ['createdat', 'created', 'date', 'createddate', 'createdon', 'datecreated', 'orderdate'],
  completedAt: ['completedat', 'completed', 'completeddate', 'completedon', 'datecompleted', 'finishedat', 'finished'],
};

const BY_NAME = new Map<string, OrderField>(
  ORDER_FIELDS.flatMap((field) => [normalizeHeader(field), ...SYNONYMS[field]].map((name) => [name, field] as const)),
);

/** "Order ID", "order_id" and "ORDER-ID" all read as "orderid". */
export function normalizeHeader(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

export function isOrderField(value: unknown): value is OrderField {
  return typeof value === 'string' && (ORDER_FIELDS as readonly string[]).includes(value);
}

/** A field name as written by a person ("customer_email", "Customer Email") or "ignore". */
export function fieldNamed(value: string): OrderField | typeof IGNORE | undefined {
  const name = normalizeHeader(value);
  if (name === IGNORE || name === '') return IGNORE;
  return ORDER_FIELDS.find((f) => normalizeHeader(f) === name);
}

/**
 * The mapping for a header. Overrides are looked up by the exact header first,
 * then by its normalized form; a field already taken by an earlier column is
 * not given to a later one by detection.
 */
export function detectMapping(headers: readonly string[], overrides: ReadonlyMap<string, OrderField | null> = new Map()): Mapping {
  const normalizedOverrides = new Map([...overrides].map(([h, f]) => [normalizeHeader(h), f]));
  const chosen = headers.map((header) => {
    if (overrides.has(header)) return { field: overrides.get(header)!, forced: true };
    const n = normalizeHeader(header);
    if (normalizedOverrides.has(n)) return { field: normalizedOverrides.get(n)!, forced: true };
    return { field: BY_NAME.get(n) ?? null, forced: false };
  });
  const taken = new Set(chosen.filter((c) => c.forced && c.field).map((c) => c.field));
  return chosen.map(({ field, forced }) => {
    if (forced || field === null) return field;
    if (taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

/** Override headers that match no column of the file (a typo, most likely). */
export function unmatchedOverrides(headers: readonly string[], overrides: ReadonlyMap<string, unknown>): string[] {
  const have = new Set(headers.map(normalizeHeader));
  return [...overrides.keys()].filter((h) => !headers.includes(h) && !have.has(normalizeHeader(h)));
}

/** `Order ID=id,E-mail=customerEmail,Notes=ignore` → header → field (null: ignore). */
export function parseMapOption(text: string): Map<string, OrderField | null> | { error: string } {
  const overrides = new Map<string, OrderField | null>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.lastIndexOf('=');
    const header = part.slice(0, at).trim();
    const field = at > 0 ? fieldNamed(part.slice(at + 1)) : undefined;
    if (!header || field === undefined) return { error: part };
    overrides.set(header, field === IGNORE ? null : field);
  }
  return overrides;
}

export type MappingProblem = { key: 'mapping.missing'; fields: OrderField[] } | { key: 'mapping.duplicate'; fields: OrderField[] };

/** Required fields no column fills, or fields two columns fill; null when the mapping can be used. */
export function mappingProblem(mapping: Mapping): MappingProblem | null {
  const missing = REQUIRED_FIELDS.filter((f) => !mapping.includes(f));
  if (missing.length > 0) return { key: 'mapping.missing', fields: missing };
  const seen = new Set<OrderField>();
  const twice = new Set<OrderField>();
  for (const f of mapping) {
    if (f === null) continue;
    if (seen.has(f)) twice.add(f);
    seen.add(f);
  }
  return twice.size > 0 ? { key: 'mapping.duplicate', fields: [...twice] } : null;
}
