// The review policy's settings: a preset and each parameter. Choosing a preset
// fills the form with its values; then preview the effect (nothing saved) or save.
import express, { type Request, type Response } from 'express';
import { transaction } from '../db';
import type { FieldErrors } from '../domain/errors';
import { PRESETS, type PolicySettings } from '../domain/policy/settings';
import { readSettings, writeSetting } from './store';
import { changedKeys, parsePolicy, policyFormValues, policyValues, presetValues, POLICY_CHOICES, POLICY_RANGES, type PolicyValues } from './policy-form';
import { previewPolicy, type PreviewRow } from './policy-preview';
import { actor, auditChange, BASE, bodyOf, redirectWith, renderPage, type SettingsDeps } from './web';

const PAGE = `${BASE}/policy`;

export function policyRoutes(deps: SettingsDeps) {
  const router = express.Router();

  // ?preset=strict: the form filled with that preset's values, not saved yet.
  // Each request reads the settings once and hands the saved policy down to the page.
  router.get(PAGE, (req, res) => {
    const saved = readSettings(deps.db).policy;
    const filled = typeof req.query.preset === 'string' ? presetValues(req.query.preset) : null;
    show(req, res, 200, saved, filled ?? policyFormValues(saved), {}, null, filled !== null);
  });

  router.post(PAGE, (req, res) => {
    const body = bodyOf(req);
    const values = policyValues(body);
    const intent = body.intent;
    const current = readSettings(deps.db).policy;
    const parsed = parsePolicy(values);
    if (!parsed.ok) return show(req, res, 422, current, values, parsed.errors, null);
    const now = deps.clock();
    if (intent === 'preview') return show(req, res, 200, current, values, {}, previewPolicy(current, parsed.settings, now));

    const keys = changedKeys(current, parsed.settings);
    if (keys.length > 0) {
      transaction(deps.db, () => {
        writeSetting(deps.db, 'policy', parsed.settings, now);
        auditChange(deps.db, actor(res).id, 'policy', { keys }, now);
      });
    }
    return redirectWith(res, PAGE, 'saved');
  });

  function show(
    req: Request,
    res: Response,
    status: number,
    saved: PolicySettings,
    values: PolicyValues,
    errors: FieldErrors,
    preview: PreviewRow[] | null,
    filled = false,
  ) {
    const parsed = parsePolicy(values);
    const customised = parsed.ok && changedKeys(PRESETS[parsed.settings.preset], parsed.settings).length > 0;
    renderPage(req, res, 'policy', {
      status,
      pagePath: PAGE,
      data: { values, errors, preview, filled, customised, savedPreset: saved.preset, choices: POLICY_CHOICES, ranges: POLICY_RANGES },
    });
  }

  return router;
}
