// What the settings routers share: the posted body, the page's "saved" notice,
// rendering a page so that its language links point back at itself.
import type { Request, Response } from 'express';
import { currentStaff } from '../auth/middleware';
import type { StaffUser } from '../auth/sessions';
import type { Db } from '../db';
import { audit } from '../desk/audit';
import { AppError } from '../domain/errors';

export interface SettingsDeps {
  db: Db;
  /** the desk's SECRET: provider keys and the webhook secret are sealed with it */
  secret: string;
  clock: () => number;
  providerTimeoutMs: number;
}

export const BASE = '/desk/settings';

/** The notices a redirect may ask for (?notice=…), each under settings:notices. */
const NOTICES = new Set(['saved', 'deleted', 'revoked', 'created', 'disabled', 'enabled']);
export type Notice = 'saved' | 'deleted' | 'revoked' | 'created' | 'disabled' | 'enabled';

export function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

export function actor(res: Response): StaffUser {
  return currentStaff(res)!;
}

/** POST → redirect → GET, with the notice the page shows. */
export function redirectWith(res: Response, path: string, notice: Notice): void {
  res.redirect(303, `${path}${path.includes('?') ? '&' : '?'}notice=${notice}`);
}

function noticeOf(req: Request): string | null {
  const n = req.query.notice;
  return typeof n === 'string' && NOTICES.has(n) ? n : null;
}

/**
 * Renders a settings page. `pagePath` is where its language links go (a page shown in
 * answer to a POST switches language on the page, never by replaying the POST).
 */
export function renderPage(
  req: Request,
  res: Response,
  view: string,
  opts: { status?: number; pagePath: string; data: Record<string, unknown> },
): void {
  res.locals.pagePath = opts.pagePath;
  res.status(opts.status ?? 200).render(`settings/${view}`, {
    errors: {},
    notice: req.method === 'GET' ? noticeOf(req) : null,
    ...opts.data,
  });
}

/** One audit event for a settings change: what kind, and which keys changed (never their secret values). */
export function auditChange(db: Db, staffId: number, action: string, data: Record<string, unknown>, now: number): void {
  audit(db, { ticketId: null, staffId, action: `settings.${action}`, data }, now);
}

/** A numeric :id route parameter, or 404. */
export function idParam(req: Request): number {
  const raw = String(req.params.id ?? '');
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) throw AppError.notFound();
  return id;
}
