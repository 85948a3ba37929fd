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
    // The queue's order: 0 while an order of the ticket is still pending (delivery may
    // start any minute), else 1; kept by triggers on ticket_orders and orders.
    urgency: integer('urgency').notNull().default(1),
    // The next SLA deadline (first response, then resolution); null while the clock
    // is paused (waiting on the customer) or stopped (resolved, closed, merged).
    slaDueAt: integer('sla_due_at'),
    slaPausedAt: integer('sla_paused_at'),
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: integer('rated_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('tickets_email_status_idx').on(t.email, t.status),
    index('tickets_status_idx').on(t.status, t.id),
    index('tickets_queue_idx').on(t.status, t.urgency, t.slaDueAt, t.id),
    index('tickets_assignee_queue_idx').on(t.assigneeId, t.status, t.urgency, t.slaDueAt, t.id),
    index('tickets_link_idx').on(t.link),
    index('tickets_created_idx').on(t.createdAt),
    index('tickets_customer_idx').on(t.customerId, t.id),
    // The queue's order within one reason or one language, so a filtered page is an ordered walk too.
    index('tickets_reason_queue_idx').on(t.status, t.reason, t.urgency, t.slaDueAt, t.id),
    index('tickets_language_queue_idx').on(t.status, t.language, t.urgency, t.slaDueAt, t.id),
    index('tickets_resolved_idx').on(t.resolvedAt),
    // Auto-close finds resolved tickets past the reopen window without walking every resolved one.
    index('tickets_status_resolved_idx').on(t.status, t.resolvedAt),
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
  (t) => [
    index('audit_events_ticket_idx').on(t.ticketId, t.id),
    index('audit_events_at_idx').on(t.at),
    index('audit_events_action_idx').on(t.action, t.id),
    index('audit_events_actor_idx').on(t.actorType, t.actorId, t.id),
  ],
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
  // Each worker asks for its own kind's due rows: kind = ? AND status = 'pending' AND next_attempt_at <= ?.
  (t) => [index('outbox_due_idx').on(t.kind, t.status, t.nextAttemptAt)],
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
    index('orders_status_idx').on(t.status),
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

/**
 * Tickets per status, language and reason, kept by triggers: the queue's tabs,
 * unfiltered or filtered by language or reason, are sums over a few hundred rows.
 */
export const ticketCounts = sqliteTable(
  'ticket_counts',
  {
    status: text('status').notNull(),
    language: text('language').notNull(),
    reason: text('reason').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.status, t.language, t.reason] })],
);

/** A checklist item an agent ticked for one order of a ticket ('payment' for a billing ticket without orders). */
export const checklistTicks = sqliteTable(
  'checklist_ticks',
  {
    ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    orderKey: text('order_key').notNull(),
    itemKey: text('item_key').notNull(),
    tickedBy: integer('ticked_by').notNull().references(() => staffUsers.id),
    tickedAt: integer('ticked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.orderKey, t.itemKey] })],
);

/** What a provider said to a cancel or refill the desk sent (each sent once, never retried blindly). */
export const providerActions = sqliteTable(
  'provider_actions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    orderId: text('order_id').notNull(),
    providerId: text('provider_id').notNull(),
    action: text('action', { enum: ['cancel', 'refill'] }).notNull(),
    outcome: text('outcome', { enum: ['accepted', 'rejected', 'unknown'] }).notNull(),
    // the provider's own words, when it gave a reason
    message: text('message'),
    // otherwise why the outcome is what it is (see providers/failures.ts), shown translated
    failure: text('failure'),
    refillId: text('refill_id'),
    createdBy: integer('created_by').references(() => staffUsers.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('provider_actions_order_idx').on(t.orderId, t.id), index('provider_actions_action_idx').on(t.action, t.createdAt)],
);

/**
 * One decision per order of a ticket. 'claimed' while the provider is being asked,
 * 'awaiting_confirmation' when its answer is unknown, 'issued' once final, 'void'
 * when the provider refused or a person found it did not happen.
 */
export const decisions = sqliteTable(
  'decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    orderKey: text('order_key').notNull(),
    orderId: text('order_id'),
    state: text('state', { enum: ['claimed', 'awaiting_confirmation', 'issued', 'void'] }).notNull(),
    outcome: text('outcome', { enum: ['full_refund', 'partial_refund', 'refill', 'reject'] }).notNull(),
    destination: text('destination', { enum: ['balance', 'original_method'] }),
    amountMicros: integer('amount_micros').notNull().default(0),
    feeMicros: integer('fee_micros').notNull().default(0),
    currency: text('currency').notNull(),
    method: text('method'),
    reference: text('reference'),
    rejectReason: text('reject_reason'),
    rule: text('rule').notNull(),
    recommendedOutcome: text('recommended_outcome'),
    overrideNote: text('override_note'),
    orderStatus: text('order_status'),
    providerActionId: integer('provider_action_id').references(() => providerActions.id),
    decidedBy: integer('decided_by').notNull().references(() => staffUsers.id),
    decidedAt: integer('decided_at').notNull(),
    issuedAt: integer('issued_at'),
  },
  (t) => [
    uniqueIndex('decisions_one_per_order_uq').on(t.ticketId, t.orderKey).where(sql`"state" <> 'void'`),
    index('decisions_issued_idx').on(t.issuedAt, t.id),
    index('decisions_ticket_idx').on(t.ticketId, t.state),
  ],
);

/** Money the desk issued. One entry per decision, and never twice for one order. */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    decisionId: integer('decision_id').notNull().unique().references(() => decisions.id),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    orderId: text('order_id'),
    kind: text('kind', { enum: ['balance_credit', 'original_method_refund'] }).notNull(),
    amountMicros: integer('amount_micros').notNull(),
    currency: text('currency').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('ledger_entries_order_uq').on(t.orderId).where(sql`"order_id" is not null`),
    index('ledger_entries_created_idx').on(t.createdAt),
  ],
);

/** Who had a ticket open lately ("also viewing"). */
export const ticketViews = sqliteTable(
  'ticket_views',
  {
    ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => staffUsers.id, { onDelete: 'cascade' }),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

/** Ready answers per language; {{orderId}}, {{amount}} and {{link}} are filled in on insert. */
export const cannedResponses = sqliteTable(
  'canned_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    language: text('language').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('canned_responses_key_lang_uq').on(t.key, t.language)],
);

/** Every attempt to deliver a webhook: what the receiver answered, for admins. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    outboxId: integer('outbox_id').notNull().references(() => outbox.id),
    event: text('event').notNull(),
    url: text('url').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    attemptedAt: integer('attempted_at').notNull(),
  },
  (t) => [index('webhook_deliveries_outbox_idx').on(t.outboxId), index('webhook_deliveries_at_idx').on(t.attemptedAt)],
);

/** Long exports run as jobs: progress while running, then a file to download. */
export const exportJobs = sqliteTable(
  'export_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // random, URL-safe: the job's address, so jobs cannot be walked by number
    key: text('key').notNull().unique(),
    kind: text('kind', { enum: ['decisions', 'tickets', 'audit'] }).notNull(),
    format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
    filters: text('filters').notNull(),
    language: text('language').notNull(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] }).notNull(),
    rowsDone: integer('rows_done').notNull().default(0),
    rowsTotal: integer('rows_total'),
    fileName: text('file_name'),
    error: text('error'),
    createdBy: integer('created_by').notNull().references(() => staffUsers.id),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('export_jobs_created_idx').on(t.createdBy, t.id)],
);
