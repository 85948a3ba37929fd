// The words of a panel order.
export const ORDER_STATUSES = ['pending', 'processing', 'in_progress', 'partial', 'completed', 'canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
