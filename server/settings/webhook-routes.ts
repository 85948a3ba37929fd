// The panel's webhook (admins only): URL and signing secret (write-only, stored
// sealed; or generated and shown once), "send test", and the latest deliveries.
import express, { type Request, type Response } from 'express';
import { transaction } from '../db';
import type { FieldErrors } from '../domain/errors';
import { seal } from '../security/sealed';
import { newToken } from '../security/tokens';
import { listDeliveries } from '../webhooks/deliveries';
import { sendTestWebhook } from '../webhooks/sender';
import { readSettings, writeSetting, type DeskSettings } from './store';
import { parseWebhook, webhookValues, SECRET_LIMITS } from './webhook-form';
import { actor, auditChange, BASE, bodyOf, redirectWith, renderPage, type SettingsDeps } from './web';

const PAGE = `${BASE}/webhook`;
const SHOWN_DELIVERIES = 20;

interface PageState {
  status?: number;
  values?: { url: string; generate: boolean };
  errors?: FieldErrors;
  test?: Awaited<ReturnType<typeof sendTestWebhook>>;
}

export function webhookRoutes(deps: SettingsDeps) {
  const router = express.Router();

  router.get(PAGE, (req, res) => {
    show(req, res, readSettings(deps.db));
  });

  router.post(PAGE, (req, res) => {
    const values = webhookValues(bodyOf(req));
    const now = deps.clock();
    // The settings are read once, in the transaction that writes: the form is judged against what it replaces.
    const outcome = transaction(deps.db, () => {
      const stored = readSettings(deps.db);
      const parsed = parseWebhook(values, stored.webhookSecretSealed !== null);
      if (!parsed.ok) return { ok: false as const, stored, errors: parsed.errors };
      const { url, generate } = parsed.input;
      const secret = generate ? `whsec_${newToken(32)}` : parsed.input.secret;
      const keys = [...(stored.webhookUrl !== url ? ['webhookUrl'] : []), ...(secret !== null ? ['webhookSecret'] : [])];
      if (keys.length > 0) {
        writeSetting(deps.db, 'webhookUrl', url, now);
        if (secret !== null) writeSetting(deps.db, 'webhookSecretSealed', seal(deps.secret, secret), now);
        auditChange(deps.db, actor(res).id, 'webhook', { keys, generated: generate }, now);
      }
      return { ok: true as const, generate, secret };
    });
    if (!outcome.ok) return show(req, res, outcome.stored, { status: 422, values, errors: outcome.errors });
    const { generate, secret } = outcome;
    if (!generate || secret === null) return redirectWith(res, PAGE, 'saved');
    // Shown once: this answer must not be kept by the browser or anything between.
    res.set('Cache-Control', 'no-store');
    res.locals.pagePath = PAGE;
    return res.status(201).render('settings/webhook-secret', { secret });
  });

  router.post(`${PAGE}/test`, async (req, res) => {
    const result = await sendTestWebhook({ db: deps.db, secret: deps.secret, clock: deps.clock });
    // Read after the test: the settings as they are now, whatever was saved meanwhile.
    show(req, res, readSettings(deps.db), { test: result });
  });

  /**
   * The page; `stored` is the settings the request read once. Without `values` the
   * form shows the stored URL.
   */
  function show(req: Request, res: Response, stored: DeskSettings, page: PageState = {}) {
    const { status = 200, values = { url: stored.webhookUrl ?? '', generate: false }, errors = {}, test = null } = page;
    renderPage(req, res, 'webhook', {
      status,
      pagePath: PAGE,
      data: {
        values,
        errors,
        test,
        hasSecret: stored.webhookSecretSealed !== null,
        savedUrl: stored.webhookUrl,
        secretMin: SECRET_LIMITS.min,
        // The latest attempts, newest first: what the receiver answered and how long it took.
        deliveries: listDeliveries(deps.db, { limit: SHOWN_DELIVERIES }).deliveries,
      },
    });
  }

  return router;
}
