// One error type for the whole desk. `code` is a translation key under errors:,
// `status` the HTTP status the web layer answers with.
export type FieldErrors = Record<string, { key: string; params?: Record<string, unknown> }>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly fields: FieldErrors = {},
  ) {
    super(code);
    this.name = 'AppError';
  }

  static notFound(): AppError {
    return new AppError(404, 'http.404');
  }

  static forbidden(): AppError {
    return new AppError(403, 'http.403');
  }

  static invalid(fields: FieldErrors): AppError {
    return new AppError(422, 'http.422', fields);
  }
}

/** A ticket was asked for orders that already have open tickets: which orders, and those tickets' numbers. */
export class DuplicateOrders extends AppError {
  constructor(
    readonly orderIds: string[],
    readonly tickets: string[],
  ) {
    super(422, 'duplicateOrder', { orderIds: { key: 'orderIds.alreadyOpen', params: { orderIds: orderIds.join(', ') } } });
    this.name = 'DuplicateOrders';
  }
}
