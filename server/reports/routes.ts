// GET /desk/reports: the manager's dashboard (managers and admins only). Every
// filter is a GET parameter, so a view can be bookmarked; ?format=json answers the
// same numbers, raw, for scripts and tests.
import express from 'express';
import type { TFunction } from 'i18next';
import { requireStaff } from '../auth/middleware';
import type { Db } from '../db';
import type { Language } from '../domain/ticket';
import type { Formatters } from '../i18n/format';
import type { Direction } from './chart-layout';
import { parseReportQuery, type ReportFilters } from './filters';
import { filterOptions } from './queries';
import { readReport } from './report';
import { reportView } from './view';

export function reportsRouter(deps: { db: Db; clock?: () => number }) {
  const clock = deps.clock ?? Date.now;
  const router = express.Router();

  router.get('/desk/reports', requireStaff('manager', 'admin'), (req, res) => {
    const now = clock();
    const parsed = parseReportQuery(req.query as Record<string, unknown>, now);
    const options = filterOptions(deps.db);
    const filters = knownOnly(parsed.filters, options);
    const report = readReport(deps.db, filters, now);
    const errors = parsed.errors;
    res.status(Object.keys(errors).length > 0 ? 422 : 200);
    if (req.query.format === 'json') {
      res.json({ ...report, filters: { service: filters.service, provider: filters.provider, agent: filters.agent, language: filters.language }, errors });
      return;
    }
    const ctx = {
      t: res.locals.t as TFunction,
      fmt: res.locals.fmt as Formatters,
      lng: res.locals.lng as Language,
      dir: res.locals.dir as Direction,
    };
    res.render('reports/index', { view: reportView(report, { filters, errors, input: parsed.input, options }, ctx) });
  });

  return router;
}

/** A service, provider or agent the desk does not know is ignored, as if not chosen. */
function knownOnly(f: ReportFilters, options: ReturnType<typeof filterOptions>): ReportFilters {
  return {
    ...f,
    service: options.services.some((s) => s.id === f.service) ? f.service : null,
    provider: options.providers.some((p) => p.id === f.provider) ? f.provider : null,
    agent: options.staff.some((s) => s.id === f.agent) ? f.agent : null,
  };
}
