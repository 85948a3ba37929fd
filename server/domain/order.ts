// The words of a panel order.
export const ORDER_STATUSES = ['pending', 'processing', 'in_progress', 'partial', 'completed', 'canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A panel's order ID: digits only, as customers type them and panels number them. */
export const ORDER_ID = /^\d{1,20}$/;

/**
 * Any other ID a panel or provider gives: a service, a provider, an order or a refill
 * at the provider. Letters, digits, "_", "." and "-" only: safe in the provider API's
 * comma-separated lists and unchanged by form encoding.
 */
export const REF = /^[\w.-]{1,64}$/;
