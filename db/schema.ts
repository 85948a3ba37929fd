// The desk's tables. Times are epoch milliseconds; money is integer micro-units.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const customers = sqliteTable('customers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  language: text('language').notNull(),
  chargebackFlag: integer('chargeback_flag', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
});

export const staffUsers = sqliteTable('staff_users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['agent', 'manager', 'admin'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  language: text('language').notNull().default('en'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
});

export const sessions = sqliteTable(
  'sessions',
  {
    // sha256 of the cookie's token; the token itself is never stored
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id').notNull().references(() => staffUsers.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: text('number').notNull().unique(),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    email: text('email').notNull(),
    language: text('language').notNull(),
    reason: text('reason').notNull(),
    link: text('link'),
    details: text('details').notNull().default(''),
    preferredResolution: text('preferred_resolution').notNull(),
    paymentReference: text('payment_reference'),
    amountMicros: integer('amount_micros'),
    currency: text('currency'),
    status: text('status', {
      enum: ['new', 'in_review', 'waiting_customer', 'resolved', 'closed', 'merged'],
    }).notNull(),
    assigneeId: integer('assignee_id').references(() => staffUsers.id),
    mergedIntoId: integer('merged_into_id'),
    version: integer('version').notNull().default(1),
    firstResponseDueAt: integer('first_response_due_at'),
    resolutionDueAt: integer('resolution_due_at'),
    firstRespondedAt: integer('first_responded_at'),
    resolvedAt: integer('resolved_at'),
    closedAt: integer('closed_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('tickets_email_status_idx').on(t.email, t.status),
    index('tickets_status_idx').on(t.status, t.id),
  ],
);

export const ticketOrders = sqliteTable(
  'ticket_orders',
  {
    ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    orderId: text('order_id').notNull(),
    // 1 while the ticket is open; the partial unique index below makes
    // "one open ticket per order" a database rule, not only a code path
    open: integer('open', { mode: 'boolean' }).notNull().default(true),
    // At intake: was the order known, and did the ticket's email match its customer
    // (null when the order was unknown)?
    knownAtIntake: integer('known_at_intake', { mode: 'boolean' }).notNull().default(false),
    emailMatches: integer('email_matches', { mode: 'boolean' }),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.orderId] }),
    uniqueIndex('ticket_orders_open_order_uq').on(t.orderId).where(sql`"open" = 1`),
    index('ticket_orders_order_idx').on(t.orderId),
  ],
);

export const ticketAccessTokens = sqliteTable(
  'ticket_access_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('ticket_access_tokens_ticket_idx').on(t.ticketId)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    authorType: text('author_type', { enum: ['customer', 'staff'] }).notNull(),
    authorUserId: integer('author_user_id').references(() => staffUsers.id),
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('messages_ticket_idx').on(t.ticketId, t.id)],
);

export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // null while staged on a form that has not been accepted yet
    ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: integer('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    stageKeyHash: text('stage_key_hash'),
    expiresAt: integer('expires_at'),
    storageName: text('storage_name').notNull().unique(),
    thumbName: text('thumb_name').notNull(),
    originalName: text('original_name').notNull(),
    mime: text('mime').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('attachments_ticket_idx').on(t.ticketId),
    index('attachments_stage_idx').on(t.stageKeyHash),
    index('attachments_expires_idx').on(t.expiresAt),
  ],
);

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorType: text('actor_type', { enum: ['customer', 'staff', 'system'] }).notNull(),
    actorId: integer('actor_id'),
    ticketId: integer('ticket_id').references(() => tickets.id),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    data: text('data'),
  },
  (t) => [index('audit_events_ticket_idx').on(t.ticketId, t.id)],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['email', 'webhook'] }).notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** The panel's upstream providers; the API key is sealed with the desk's secret. */
export const providers = sqliteTable('providers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  apiUrl: text('api_url'),
  apiKeySealed: text('api_key_sealed'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const services = sqliteTable('services', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  providerId: text('provider_id'),
  // 0 = no refill guarantee
  refillDays: integer('refill_days').notNull(),
  cancelAllowed: integer('cancel_allowed', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** The panel's orders, pushed by the panel API or imported from CSV, refreshed from providers. */
export const orders = sqliteTable(
  'orders',
  {
    // the panel's order ID, a string of digits
    id: text('id').primaryKey(),
    customerEmail: text('customer_email').notNull(),
    serviceId: text('service_id'),
    providerId: text('provider_id'),
    providerOrderId: text('provider_order_id'),
    link: text('link').notNull(),
    quantity: integer('quantity').notNull(),
    chargeMicros: integer('charge_micros').notNull(),
    currency: text('currency').notNull(),
    // money the panel already returned by itself (e.g. its automatic refund of a partial)
    panelRefundedMicros: integer('panel_refunded_micros').notNull().default(0),
    startCount: integer('start_count'),
    remains: integer('remains'),
    status: text('status', {
      enum: ['pending', 'processing', 'in_progress', 'partial', 'completed', 'canceled', 'unknown'],
    }).notNull(),
    // the spelling the panel or provider used, kept for the agent when it maps to 'unknown'
    statusText: text('status_text').notNull(),
    createdAt: integer('created_at').notNull(),
    completedAt: integer('completed_at'),
    syncedAt: integer('synced_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('orders_customer_email_idx').on(t.customerEmail),
    index('orders_link_idx').on(t.link),
    index('orders_provider_idx').on(t.providerId, t.providerOrderId),
  ],
);

/** Bearer tokens of the panel API: only the hash is stored. */
export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  // comma separated: orders:write, tickets:read, tickets:write, decisions:read
  scopes: text('scopes').notNull(),
  createdAt: integer('created_at').notNull(),
  lastUsedAt: integer('last_used_at'),
  revokedAt: integer('revoked_at'),
});
