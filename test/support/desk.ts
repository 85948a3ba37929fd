// Boots a real desk for one test file: its own temp data and upload folders, a
// freshly migrated database, and optionally a real SMTP server on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { loadConfig, type Env } from '../../server/config';
import { saveProvider } from '../../server/providers/connections';
import { bootDesk, type Desk } from '../../server/runtime';
import { startProviderServer, type ProviderServer } from './provider-server';

export interface TestDesk extends Desk {
  dir: string;
  agent(): request.Agent;
  cleanup(): Promise<void>;
}

function testConfig(dir: string, env: Partial<Record<keyof Env, string>> = {}) {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: path.join(dir, 'data'),
    UPLOAD_DIR: path.join(dir, 'uploads'),
    PUBLIC_URL: 'http://desk.test',
    SECRET: 'test-secret-test-secret-test-secret-0123',
    ADMIN_EMAIL: 'admin@desk.test',
    ADMIN_PASSWORD: 'admin-password-123',
    RATE_LIMIT_INTAKE: '1000',
    RATE_LIMIT_LOOKUP: '1000',
    RATE_LIMIT_LOGIN: '1000',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** A second desk on a test desk's folders, as after a restart (close the first one before). */
export function rebootDesk(first: { dir: string }, opts: { clock?: () => number } = {}): Promise<Desk> {
  return bootDesk(testConfig(first.dir), { log: pino({ level: 'silent' }), clock: opts.clock });
}

export async function startTestDesk(
  env: Partial<Record<keyof Env, string>> = {},
  opts: { log?: pino.Logger; clock?: () => number } = {},
): Promise<TestDesk> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-test-'));
  const desk = await bootDesk(testConfig(dir, env), { log: opts.log ?? pino({ level: 'silent' }), clock: opts.clock });
  return {
    ...desk,
    dir,
    agent: () => request.agent(desk.app),
    async cleanup() {
      await desk.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A test desk with a fake provider on loopback, saved in the desk as provider 'p1' ("P1") with `key`.
 * Clean up with `desk.cleanup()` and `provider.close()`.
 */
export async function startDeskWithProvider(key: string): Promise<{ desk: TestDesk; provider: ProviderServer }> {
  const desk = await startTestDesk();
  const provider = await startProviderServer(key);
  saveProvider(desk.db, desk.secret, { id: 'p1', name: 'P1', apiUrl: provider.url, apiKey: key }, Date.now());
  return { desk, provider };
}

/** GETs a page and returns the CSRF token of its first form (the agent keeps the cookie). */
export async function csrfFrom(agent: request.Agent, url: string): Promise<string> {
  const res = await agent.get(url);
  const m = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!m) throw new Error(`no CSRF token on ${url} (status ${res.status})`);
  return m[1]!;
}

/** Files in a folder, recursively (to check that nothing was left behind). */
export function filesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
}

export interface TicketFields {
  email?: string;
  orderIds?: string;
  link?: string;
  reason?: string;
  details?: string;
  preferredResolution?: string;
  paymentReference?: string;
  amount?: string;
  stageKey?: string;
  removeScreenshots?: string;
  lng?: string;
}

export const validTicket: Required<Omit<TicketFields, 'stageKey' | 'lng' | 'removeScreenshots'>> = {
  email: 'buyer@example.com',
  orderIds: '81532, 81533',
  link: 'https://instagram.com/p/abc123',
  reason: 'not_started',
  details: 'The order never started, please cancel it.',
  preferredResolution: 'balance',
  paymentReference: '',
  amount: '',
};

/** Posts the intake form as a browser would (multipart, CSRF token from the form page). */
export async function postTicket(
  agent: request.Agent,
  fields: TicketFields,
  files: { name: string; data: Buffer }[] = [],
  opts: { csrf?: string | null } = {},
) {
  const lng = fields.lng ?? 'en';
  const csrf = opts.csrf === undefined ? await csrfFrom(agent, `/tickets/new?lng=${lng}`) : opts.csrf;
  const req = agent.post('/tickets');
  if (csrf !== null) req.field('_csrf', csrf);
  for (const [k, v] of Object.entries({ ...validTicket, ...fields })) {
    if (k !== 'lng' && v !== undefined) req.field(k, v);
  }
  for (const f of files) req.attach('screenshots', f.data, f.name);
  return req;
}

/** The number and private-link token from the confirmation redirect. */
export function confirmationOf(res: { status: number; headers: Record<string, string> }) {
  const m = /^\/t\/(RD-[\w]{4}-[\w]{4})\/confirmation\?k=([\w-]+)$/.exec(res.headers.location ?? '');
  if (res.status !== 303 || !m) throw new Error(`expected a redirect to the confirmation, got ${res.status} ${res.headers.location}`);
  return { number: m[1]!, token: m[2]! };
}
