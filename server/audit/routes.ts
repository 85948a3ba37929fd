// The audit log for managers and admins: filters, newest first, keyset-paged, and
// the same selection as a CSV download streamed in batches. Read-only: the trail
// has no edit or delete here, and the database refuses both by trigger.
import express from 'express';
import type { TFunction } from 'i18next';
import { requireStaff } from '../auth/middleware';
import type { Db } from '../db';
import type { Language } from '../domain/ticket';
import { dayOf, formatDay } from '../domain/days';
import { getI18n } from '../i18n/index';
import { remember } from '../i18n/intl-cache';
import { auditFilterValues, auditHref, parseAuditFilters, parseCursor } from './filters';
import { csvWriter } from '../exports/csv';
import { CONTENT_TYPES } from '../exports/sheet';
import { eachAuditBatch, readAuditPage, staffOptions } from './queries';

const PAGE = '/desk/audit';
const EXPORT = `${PAGE}/export`;
/** Where translated action names live: the desk's own first, then this page's. */
const ACTION_SOURCES = [
  ['desk', 'audit'],
  ['audit', 'actions'],
] as const;

export function auditRouter(deps: { db: Db; clock?: () => number }) {
  const clock = deps.clock ?? Date.now;
  const router = express.Router();
  router.use(PAGE, requireStaff('manager', 'admin'));

  router.get(PAGE, (req, res) => {
    const values = auditFilterValues(req.query as Record<string, unknown>);
    const { filters, errors } = parseAuditFilters(values);
    const invalid = Object.keys(errors).length > 0;
    const before = parseCursor(req.query.before);
    const page = invalid ? { rows: [], next: null } : readAuditPage(deps.db, filters, before);
    const lng = res.locals.lng as Language;
    res.status(invalid ? 422 : 200).render('audit/index', {
      values,
      errors,
      rows: page.rows.map((r) => ({ ...r, label: actionLabel(lng, r.action) })),
      actions: knownActions(lng),
      people: staffOptions(deps.db),
      nextHref: page.next === null ? null : auditHref(PAGE, values, { before: String(page.next) }),
      firstHref: before === null ? null : auditHref(PAGE, values),
      exportHref: auditHref(EXPORT, values),
      resetHref: PAGE,
    });
  });

  router.get(EXPORT, async (req, res) => {
    const values = auditFilterValues(req.query as Record<string, unknown>);
    const { filters, errors } = parseAuditFilters(values);
    if (Object.keys(errors).length > 0) return res.redirect(303, auditHref(PAGE, values));
    const lng = res.locals.lng as Language;
    const t = res.locals.t as TFunction;
    const day = formatDay(dayOf(clock()));
    res.status(200).set({
      'Content-Type': CONTENT_TYPES.csv,
      'Content-Disposition': `attachment; filename="audit-${day}.csv"`,
      'Cache-Control': 'private, no-store',
    });
    // The same CSV writer as the exports: BOM, RFC 4180, formula cells neutralised, waits for a slow reader.
    const writer = csvWriter(res, COLUMNS.map(() => 'text'));
    try {
      writer.header(COLUMNS.map((c) => t(`audit:columns.${c}`)));
      await eachAuditBatch(
        deps.db,
        filters,
        (r) =>
          writer.row([
            r.id, new Date(r.at).toISOString(), r.actorType, r.actorId, r.actorName, r.ticketNumber,
            r.action, actionLabel(lng, r.action), r.fromStatus, r.toStatus, r.data,
          ]),
        () => writer.ready(),
      );
      await writer.end();
    } catch (err) {
      if (!res.headersSent) throw err;
      // A download cut short must not look complete: the connection is dropped.
      res.destroy();
    }
  });

  return router;
}

const COLUMNS = ['id', 'at', 'actorType', 'actorId', 'actorName', 'ticket', 'action', 'description', 'from', 'to', 'data'] as const;

const labels = new Map<string, string>();

/** The action's translated name where one exists, else the raw key (remembered: the texts never change). */
function actionLabel(lng: Language, action: string): string {
  return remember(labels, `${lng}|${action}`, () => findLabel(lng, action));
}

function findLabel(lng: Language, action: string): string {
  const i18n = getI18n();
  for (const [ns, prefix] of ACTION_SOURCES) {
    for (const language of [lng, 'en']) {
      const text: unknown = i18n.getResource(language, ns, `${prefix}.${action}`);
      if (typeof text === 'string') return text;
    }
  }
  return action;
}

/** Every action with a translated name, for the filter's list. */
export function knownActions(lng: Language): { action: string; label: string }[] {
  const found = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (typeof node === 'string') found.add(path);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
  };
  for (const [ns, prefix] of ACTION_SOURCES) walk(getI18n().getResource('en', ns, prefix), '');
  return [...found].sort().map((action) => ({ action, label: actionLabel(lng, action) }));
}
