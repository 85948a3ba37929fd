// SLA targets, the open-ticket cap per email and the desk's currency.
import express from 'express';
import { transaction } from '../db';
import { generalChanges, generalFormValues, generalValues, parseGeneral, GENERAL_RANGES } from './general-form';
import { readSettings, writeSetting } from './store';
import { actor, auditChange, BASE, bodyOf, redirectWith, renderPage, type SettingsDeps } from './web';

const PAGE = `${BASE}/general`;

export function generalRoutes(deps: SettingsDeps) {
  const router = express.Router();

  router.get(PAGE, (req, res) => {
    renderPage(req, res, 'general', { pagePath: PAGE, data: { values: generalFormValues(readSettings(deps.db)), ranges: GENERAL_RANGES } });
  });

  router.post(PAGE, (req, res) => {
    const values = generalValues(bodyOf(req));
    const parsed = parseGeneral(values);
    if (!parsed.ok) {
      return renderPage(req, res, 'general', { status: 422, pagePath: PAGE, data: { values, errors: parsed.errors, ranges: GENERAL_RANGES } });
    }
    const next = parsed.settings;
    const now = deps.clock();
    transaction(deps.db, () => {
      const keys = generalChanges(readSettings(deps.db), next);
      if (keys.length === 0) return;
      writeSetting(deps.db, 'sla', next.sla, now);
      writeSetting(deps.db, 'maxOpenTicketsPerEmail', next.maxOpenTicketsPerEmail, now);
      writeSetting(deps.db, 'currency', next.currency, now);
      auditChange(deps.db, actor(res).id, 'general', { keys }, now);
    });
    return redirectWith(res, PAGE, 'saved');
  });

  return router;
}
