// Who may call what: every route the app serves (read from its router, not from a
// list kept by hand) against every kind of caller. A route without a row here
// fails, and so does a row whose route is gone, so a new route cannot ship
// without saying who may use it.
//
// Each cell gets fresh fixtures (its own ticket, token, import file, staff member…),
// a fresh browser and, for staff, a fresh session, so no cell depends on another
// and the allowed callers get the answer a successful request gets. Every
// state-changing browser route is sent once more by each allowed caller without its
// CSRF token: 403, and not one row written.
import { expect } from 'chai';
import request from 'supertest';
import { createStaffUser } from '../../server/auth/staff';
import { SESSION_COOKIE } from '../../server/auth/middleware';
import { createSession } from '../../server/auth/sessions';
import { BROWSER_COOKIE, csrfTokenFor } from '../../server/security/csrf';
import { hashPassword } from '../../server/security/passwords';
import { newToken } from '../../server/security/tokens';
import { generalFormValues } from '../../server/settings/general-form';
import { policyFormValues } from '../../server/settings/policy-form';
import { readSettings } from '../../server/settings/store';
import { startTestDesk, type TestDesk } from '../support/desk';
import { Fixtures, type TicketFixture } from '../support/fixtures';
import { appRoutes } from '../support/routes';

const ACTORS = [
  'anonymous',
  'customer with another ticket\'s token',
  'customer with the right token',
  'agent',
  'manager',
  'admin',
  'API token without scopes',
  'API token orders:write',
  'API token tickets:read',
  'API token tickets:write',
  'API token decisions:read',
] as const;
type Actor = (typeof ACTORS)[number];

/** 303 to the login page (with ?next=); a plain number is that status (303: a redirect elsewhere). */
const L = 'login';
type Expected = number | typeof L;
const DENIED: readonly Expected[] = [L, 401, 403, 404];

interface Call {
  url: string;
  /** a browser form (urlencoded); its CSRF token is added */
  form?: Record<string, string>;
  /** a browser form with files (multipart); its CSRF token is added */
  files?: { field: string; name: string; data: Buffer }[];
  json?: unknown;
}

/** What the caller brings to a customer route: the ticket's token, another ticket's, or nothing. */
interface Who {
  actor: Actor;
  /** the staff member's id, for agent, manager and admin */
  staffId?: number;
  /** "?k=<token>" as this caller knows it for the ticket, or "" */
  k(t: TicketFixture): string;
  /** "?s=<stage key>" as this caller knows it for the staged screenshot, or "" */
  s(staged: { stageKey: string }): string;
}

type Row = [Expected[], (fx: Fixtures, who: Who) => Call | Promise<Call>];

const KNOWN_PASSWORD = { text: 'known-password-123', hash: '' };
const LOGIN = { email: 'matrix-login@desk.test', password: 'matrix-password-123' };
const IMPORT_CSV = 'Order ID;User email;Link;Quantity;Charge;Status;Date\r\n90001;one@example.com;https://instagram.com/p/a;1000;0.50;Completed;2026-11-20 10:00:00\r\n';

function ticketForm(fx: Fixtures): Record<string, string> {
  return { email: fx.email(), orderIds: fx.orderId(), link: 'https://instagram.com/p/matrix', reason: 'not_started', details: 'Matrix.', preferredResolution: 'balance' };
}

// One row per route: the expected answer for each caller, in the order of ACTORS, and
// how to build the request (fresh fixtures for each caller).
const MATRIX = (desk: () => TestDesk): Record<string, Row> => ({
  //                                                anon other right agent mgr  admin api0 o:w  t:r  t:w  d:r
  // Public pages and the intake form
  'GET /':                                         [[200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200], () => ({ url: '/' })],
  'GET /tickets/new':                              [[200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200], () => ({ url: '/tickets/new' })],
  'POST /tickets':                                 [[303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303], (fx) => ({ url: '/tickets', form: ticketForm(fx) })],
  'GET /tickets/staged/:id':                       [[404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404], async (fx, who) => {
    const staged = await fx.staged();
    return { url: `/tickets/staged/${staged.id}${who.s(staged)}` };
  }],
  'GET /tickets/lookup':                           [[200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200], () => ({ url: '/tickets/lookup' })],
  'POST /tickets/lookup':                          [[200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200], async (fx) => ({ url: '/tickets/lookup', form: { email: 'someone@example.com', number: (await fx.ticket()).number } })],
  // The customer's ticket: only with its own token
  'GET /t/:number/confirmation':                   [[404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/t/${t.number}/confirmation${who.k(t)}` };
  }],
  'GET /t/:number':                                [[404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/t/${t.number}${who.k(t)}` };
  }],
  'POST /t/:number/replies':                       [[404, 404, 303, 404, 404, 404, 404, 404, 404, 404, 404], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/t/${t.number}/replies${who.k(t)}`, form: { body: 'One more thing.' } };
  }],
  'POST /t/:number/rating':                        [[404, 404, 303, 404, 404, 404, 404, 404, 404, 404, 404], async (fx, who) => {
    const t = await fx.ticket({ status: 'resolved' });
    return { url: `/t/${t.number}/rating${who.k(t)}`, form: { rating: '5', comment: 'Thanks' } };
  }],
  'POST /t/:number/close':                         [[404, 404, 303, 404, 404, 404, 404, 404, 404, 404, 404], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/t/${t.number}/close${who.k(t)}`, form: {} };
  }],
  'GET /t/:number/files/:id':                      [[404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404], async (fx, who) => {
    const t = await fx.ticket({ screenshot: true });
    return { url: `/t/${t.number}/files/${fx.attachmentOf(t)}${who.k(t)}` };
  }],
  // Staff sign-in
  'GET /login':                                    [[200, 200, 200, 303, 303, 303, 200, 200, 200, 200, 200], () => ({ url: '/login' })],
  'POST /login':                                   [[303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303], () => ({ url: '/login', form: LOGIN })],
  'POST /logout':                                  [[303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303], () => ({ url: '/logout', form: {} })],
  // The queue and the ticket workspace: any staff
  'GET /desk':                                     [[L,   L,   L,   200, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk' })],
  'GET /desk/tickets/:number':                     [[L,   L,   L,   200, 200, 200, L,   L,   L,   L,   L  ], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/desk/tickets/${t.number}${who.k(t)}` };
  }],
  'GET /desk/tickets/:number/files/:id':           [[L,   L,   L,   200, 200, 200, L,   L,   L,   L,   L  ], async (fx, who) => {
    const t = await fx.ticket({ screenshot: true });
    return { url: `/desk/tickets/${t.number}/files/${fx.attachmentOf(t)}${who.k(t)}` };
  }],
  'POST /desk/tickets/:number/refresh':            [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/desk/tickets/${t.number}/refresh${who.k(t)}`, form: {} };
  }],
  'POST /desk/tickets/:number/assign':             [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/desk/tickets/${t.number}/assign${who.k(t)}`, form: { version: String(t.version), assignee: 'me' } };
  }],
  'POST /desk/tickets/:number/reply':              [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/desk/tickets/${t.number}/reply${who.k(t)}`, form: { version: String(t.version), body: 'We are checking.' } };
  }],
  'POST /desk/tickets/:number/status':             [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], async (fx, who) => {
    const t = await fx.ticket();
    return { url: `/desk/tickets/${t.number}/status${who.k(t)}`, form: { version: String(t.version), status: 'in_review' } };
  }],
  'POST /desk/tickets/:number/merge':              [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], async (fx, who) => {
    const t = await fx.ticket();
    const target = await fx.ticket();
    return { url: `/desk/tickets/${t.number}/merge${who.k(t)}`, form: { version: String(t.version), target: target.number } };
  }],
  'POST /desk/tickets/:number/checklist':          [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], async (fx, who) => {
    const t = await fx.ticket({ billing: true });
    return { url: `/desk/tickets/${t.number}/checklist${who.k(t)}`, form: { version: String(t.version), orderKey: 'payment', item: 'paymentReferenceVerified', checked: '1' } };
  }],
  'POST /desk/tickets/:number/decisions':          [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], async (fx, who) => {
    const t = await fx.decidable();
    return {
      url: `/desk/tickets/${t.number}/decisions${who.k(t)}`,
      form: { version: String(t.version), orderKey: 'payment', outcome: 'reject', rejectReason: 'payment_not_found', note: 'Matrix.' },
    };
  }],
  'POST /desk/tickets/:number/decisions/:id/confirm': [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], async (fx, who) => {
    const t = await fx.awaitingConfirmation();
    return { url: `/desk/tickets/${t.number}/decisions/${t.decisionId}/confirm${who.k(t)}`, form: { version: String(t.version), happened: '0' } };
  }],
  // Their own account: any staff
  'GET /desk/account/password':                    [[L,   L,   L,   200, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/account/password' })],
  'POST /desk/account/password':                   [[403, 403, 403, 303, 303, 303, 403, 403, 403, 403, 403], (fx, who) => {
    // Their own password, set to a known one first, so that every cell starts the same.
    if (who.staffId !== undefined) fx.setPasswordHash(who.staffId, KNOWN_PASSWORD.hash);
    return { url: '/desk/account/password', form: { current: KNOWN_PASSWORD.text, password: 'a-new-password-456', confirm: 'a-new-password-456' } };
  }],
  // Managers and admins: import, reports, exports, the audit log
  'GET /desk/orders/import':                       [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/orders/import' })],
  'POST /desk/orders/import':                      [[403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403], () => ({
    url: '/desk/orders/import',
    files: [{ field: 'file', name: 'orders.csv', data: Buffer.from(IMPORT_CSV) }],
  })],
  'POST /desk/orders/import/preview':              [[403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403], async (fx) => ({ url: '/desk/orders/import/preview', form: await fx.importFile() })],
  'POST /desk/orders/import/commit':               [[403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403], async (fx) => ({ url: '/desk/orders/import/commit', form: await fx.importFile() })],
  'GET /desk/reports':                             [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/reports' })],
  'GET /desk/exports':                             [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/exports' })],
  'POST /desk/exports':                            [[403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403], () => ({
    url: '/desk/exports',
    form: { kind: 'tickets', format: 'csv', from: '2026-01-01', to: '2026-01-31' },
  })],
  'GET /desk/exports/jobs/:key':                   [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], (fx) => ({ url: `/desk/exports/jobs/${fx.exportJob()}` })],
  'GET /desk/exports/jobs/:key/download':          [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], (fx) => ({ url: `/desk/exports/jobs/${fx.exportJob()}/download` })],
  'GET /desk/audit':                               [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/audit' })],
  'GET /desk/audit/export':                        [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/audit/export' })],
  // Settings: managers and admins
  'GET /desk/settings':                            [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings' })],
  'GET /desk/settings/policy':                     [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/policy' })],
  'POST /desk/settings/policy':                    [[403, 403, 403, 403, 303, 303, 403, 403, 403, 403, 403], () => ({
    url: '/desk/settings/policy',
    form: { ...policyFormValues(readSettings(desk().db).policy) },
  })],
  'GET /desk/settings/general':                    [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/general' })],
  'POST /desk/settings/general':                   [[403, 403, 403, 403, 303, 303, 403, 403, 403, 403, 403], () => ({
    url: '/desk/settings/general',
    form: { ...generalFormValues(readSettings(desk().db)) },
  })],
  'GET /desk/settings/canned':                     [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/canned' })],
  'GET /desk/settings/canned/new':                 [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/canned/new' })],
  'GET /desk/settings/canned/:id':                 [[L,   L,   L,   403, 200, 200, L,   L,   L,   L,   L  ], (fx) => ({ url: `/desk/settings/canned/${fx.canned()}` })],
  'POST /desk/settings/canned':                    [[403, 403, 403, 403, 303, 303, 403, 403, 403, 403, 403], () => ({
    url: '/desk/settings/canned',
    form: { key: `matrix${newToken(6).replace(/[^\w]/g, '')}`, language: 'en', title: 'Matrix', body: 'Matrix body' },
  })],
  'POST /desk/settings/canned/:id':                [[403, 403, 403, 403, 303, 303, 403, 403, 403, 403, 403], (fx) => {
    const id = fx.canned();
    return { url: `/desk/settings/canned/${id}`, form: { key: `fixture-edited-${id}`, language: 'en', title: 'Edited', body: 'Edited body' } };
  }],
  'POST /desk/settings/canned/:id/delete':         [[403, 403, 403, 403, 303, 303, 403, 403, 403, 403, 403], (fx) => ({ url: `/desk/settings/canned/${fx.canned()}/delete`, form: {} })],
  // Settings: admins only
  'GET /desk/settings/staff':                      [[L,   L,   L,   403, 403, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/staff' })],
  'GET /desk/settings/staff/new':                  [[L,   L,   L,   403, 403, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/staff/new' })],
  'POST /desk/settings/staff':                     [[403, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403], (fx) => ({
    url: '/desk/settings/staff',
    form: { email: fx.email(), name: 'New Agent', role: 'agent', language: 'en', password: 'a-long-password-123' },
  })],
  'POST /desk/settings/staff/:id/role':            [[403, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403], (fx) => ({ url: `/desk/settings/staff/${fx.staffMember()}/role`, form: { role: 'manager' } })],
  'POST /desk/settings/staff/:id/disable':         [[403, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403], (fx) => ({ url: `/desk/settings/staff/${fx.staffMember()}/disable`, form: {} })],
  'POST /desk/settings/staff/:id/enable':          [[403, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403], (fx) => ({ url: `/desk/settings/staff/${fx.staffMember()}/enable`, form: {} })],
  'GET /desk/settings/providers':                  [[L,   L,   L,   403, 403, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/providers' })],
  'GET /desk/settings/providers/new':              [[L,   L,   L,   403, 403, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/providers/new' })],
  'GET /desk/settings/providers/:id/edit':         [[L,   L,   L,   403, 403, 200, L,   L,   L,   L,   L  ], (fx) => ({ url: `/desk/settings/providers/${fx.provider()}/edit` })],
  'POST /desk/settings/providers':                 [[403, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403], () => ({
    url: '/desk/settings/providers',
    form: { id: `matrix-${newToken(6).replace(/[^\w]/g, '')}`, name: 'Matrix SMM', apiUrl: 'https://smm.example/api/v2', apiKey: 'matrix-key-123' },
  })],
  'POST /desk/settings/providers/:id':             [[403, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403], (fx) => ({
    url: `/desk/settings/providers/${fx.provider()}`,
    form: { name: 'Renamed SMM', apiUrl: 'https://smm.example/api/v2', apiKey: 'matrix-key-456' },
  })],
  'POST /desk/settings/providers/:id/test':        [[403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403], (fx) => ({ url: `/desk/settings/providers/${fx.provider()}/test`, form: {} })],
  'GET /desk/settings/tokens':                     [[L,   L,   L,   403, 403, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/tokens' })],
  'POST /desk/settings/tokens':                    [[403, 403, 403, 403, 403, 201, 403, 403, 403, 403, 403], () => ({ url: '/desk/settings/tokens', form: { name: 'Matrix panel', scopes: 'tickets:read' } })],
  'POST /desk/settings/tokens/:id/revoke':         [[403, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403], (fx) => ({ url: `/desk/settings/tokens/${fx.apiToken([]).id}/revoke`, form: {} })],
  'GET /desk/settings/webhook':                    [[L,   L,   L,   403, 403, 200, L,   L,   L,   L,   L  ], () => ({ url: '/desk/settings/webhook' })],
  'POST /desk/settings/webhook':                   [[403, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403], () => ({
    url: '/desk/settings/webhook',
    // Loopback, a closed port: "send test" after it fails at once, off the network.
    form: { url: 'http://127.0.0.1:9/hooks/refunddesk', secret: 'matrix-webhook-secret-0123456789' },
  })],
  'POST /desk/settings/webhook/test':              [[403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403], () => ({ url: '/desk/settings/webhook/test', form: {} })],
  // The panel API: a bearer token with the right scope, never a cookie
  'PUT /api/v1/services':                          [[401, 401, 401, 401, 401, 401, 403, 200, 403, 403, 403], () => ({
    url: '/api/v1/services',
    json: { items: [{ id: 'svc-matrix', name: 'Matrix views', refillDays: 0, cancelAllowed: true }] },
  })],
  'PUT /api/v1/orders':                            [[401, 401, 401, 401, 401, 401, 403, 200, 403, 403, 403], (fx) => ({
    url: '/api/v1/orders',
    json: { items: [{ id: fx.orderId(), customerEmail: fx.email(), link: 'https://instagram.com/p/api', quantity: 100, charge: '0.5', status: 'Pending', createdAt: '2026-11-20T10:00:00Z' }] },
  })],
  'GET /api/v1/orders/:id':                        [[401, 401, 401, 401, 401, 401, 403, 200, 200, 403, 403], (fx) => ({ url: `/api/v1/orders/${fx.order()}` })],
  'POST /api/v1/tickets':                          [[401, 401, 401, 401, 401, 401, 403, 403, 403, 201, 403], (fx) => ({ url: '/api/v1/tickets', json: ticketForm(fx) })],
  'GET /api/v1/tickets/:number':                   [[401, 401, 401, 401, 401, 401, 403, 403, 200, 403, 403], async (fx) => ({ url: `/api/v1/tickets/${(await fx.ticket()).number}` })],
  'GET /api/v1/decisions':                         [[401, 401, 401, 401, 401, 401, 403, 403, 403, 403, 200], () => ({ url: '/api/v1/decisions' })],
});

describe('access matrix: every route × every caller', () => {
  let desk: TestDesk;
  let fx: Fixtures;
  let other: TicketFixture;
  let otherStage: { stageKey: string };
  const staffIds: Partial<Record<Actor, number>> = {};
  const apiTokens: Partial<Record<Actor, string>> = {};
  const matrix = MATRIX(() => desk);

  before(async () => {
    desk = await startTestDesk({ RATE_LIMIT_API: '100000' });
    fx = new Fixtures(desk);
    KNOWN_PASSWORD.hash = await hashPassword(KNOWN_PASSWORD.text);
    other = await fx.ticket();
    otherStage = await fx.staged();
    await createStaffUser(desk.db, { ...LOGIN, name: 'Matrix Login', role: 'agent' }, Date.now());
    for (const role of ['agent', 'manager'] as const) {
      await createStaffUser(desk.db, { email: `${role}@desk.test`, name: role, role, password: 'staff-password-123' }, Date.now());
    }
    for (const role of ['agent', 'manager', 'admin'] as const) {
      staffIds[role] = (desk.db.$client.prepare('select id from staff_users where email = ?').get(`${role}@desk.test`) as { id: number }).id;
    }
    apiTokens['API token without scopes'] = fx.apiToken([]).token;
    apiTokens['API token orders:write'] = fx.apiToken(['orders:write']).token;
    apiTokens['API token tickets:read'] = fx.apiToken(['tickets:read']).token;
    apiTokens['API token tickets:write'] = fx.apiToken(['tickets:write']).token;
    apiTokens['API token decisions:read'] = fx.apiToken(['decisions:read']).token;
  });
  after(() => desk.cleanup());

  function who(actor: Actor): Who {
    return {
      actor,
      staffId: staffIds[actor],
      k: (t) =>
        actor === 'customer with the right token' ? `?k=${encodeURIComponent(t.token)}` : actor === 'customer with another ticket\'s token' ? `?k=${encodeURIComponent(other.token)}` : '',
      s: (staged) =>
        actor === 'customer with the right token' ? `?s=${staged.stageKey}` : actor === 'customer with another ticket\'s token' ? `?s=${otherStage.stageKey}` : '',
    };
  }

  /** Sends the call as this actor: a fresh browser (and session), its token in the form unless left out. */
  function send(route: string, actor: Actor, call: Call, opts: { csrf: boolean }) {
    const method = route.split(' ')[0]!.toLowerCase() as 'get' | 'post' | 'put';
    const browserId = newToken();
    const cookies = [`${BROWSER_COOKIE}=${browserId}`];
    const staffId = staffIds[actor];
    // A year-long session: the sliding expiry never rewrites it during the test.
    if (staffId !== undefined) cookies.push(`${SESSION_COOKIE}=${createSession(desk.db, staffId, Date.now(), 365 * 86_400_000)}`);
    const req = request(desk.app)[method](call.url).set('Cookie', cookies.join('; ')).set('Accept', call.json === undefined ? 'text/html' : 'application/json');
    const bearer = apiTokens[actor];
    if (bearer) req.set('Authorization', `Bearer ${bearer}`);
    const csrf = opts.csrf ? { _csrf: csrfTokenFor(desk.secret, browserId) } : {};
    if (call.json !== undefined) return req.send(call.json as object);
    if (call.files) {
      for (const [k, v] of Object.entries({ ...csrf, ...call.form })) req.field(k, v);
      for (const f of call.files) req.attach(f.field, f.data, f.name);
      return req;
    }
    if (method !== 'get') return req.type('form').send({ ...csrf, ...call.form });
    return req;
  }

  function outcome(res: request.Response): Expected {
    if (res.status === 303 && /^\/login\?next=/.test(res.headers.location ?? '')) return L;
    return res.status;
  }

  const totalChanges = () => (desk.db.$client.prepare('select total_changes() n').get() as { n: number }).n;

  it('When the routes the app serves are listed, then each has a row in the matrix and each row names a route the app serves', () => {
    const served = appRoutes(desk.app);
    const missing = served.filter((r) => !(r in matrix));
    const gone = Object.keys(matrix).filter((r) => !served.includes(r));
    expect({ 'routes without a row': missing, 'rows without a route': gone }).to.deep.equal({ 'routes without a row': [], 'rows without a route': [] });
    for (const [route, [expected]] of Object.entries(matrix)) expect(expected, route).to.have.length(ACTORS.length);
  });

  for (const [route, [expected, build]] of Object.entries(matrix)) {
    const allowed = ACTORS.filter((_a, i) => !DENIED.includes(expected[i]!));
    const browserWrite = !route.startsWith('GET ') && !route.includes(' /api/');
    it(`When each kind of caller sends ${route}, then only ${allowed.length > 0 ? allowed.join(', ') : 'nobody'} get through`, async () => {
      const wrong: string[] = [];
      const wrote: string[] = [];
      for (const [i, actor] of ACTORS.entries()) {
        const call = await build(fx, who(actor));
        const req = send(route, actor, call, { csrf: true });
        const before = totalChanges();
        const res = await req;
        const got = outcome(res);
        if (got !== expected[i]) wrong.push(`${actor}: expected ${expected[i]}, got ${got}${res.headers.location ? ` → ${res.headers.location}` : ''}`);
        // A refused browser write writes nothing, as one without its CSRF token.
        const changes = totalChanges() - before;
        if (browserWrite && DENIED.includes(expected[i]!) && changes !== 0) wrote.push(`${actor}: refused but wrote ${changes} row(s)`);
      }
      expect(wrong, route).to.deep.equal([]);
      expect(wrote, `${route} wrote rows`).to.deep.equal([]);
    });

    if (browserWrite && allowed.length > 0) {
      it(`When ${route} comes without its CSRF token, then even ${allowed.join(', ')} get 403 and nothing is written`, async () => {
        for (const actor of allowed) {
          const call = await build(fx, who(actor));
          const req = send(route, actor, call, { csrf: false });
          const before = totalChanges();
          const res = await req;
          expect(res.status, `${actor}: ${route}`).to.equal(403);
          expect(res.text, `${actor}: ${route}`).to.include('Form expired');
          expect(totalChanges(), `${actor}: ${route} wrote rows`).to.equal(before);
        }
      });
    }
  }
});
