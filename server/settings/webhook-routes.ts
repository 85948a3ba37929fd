// The panel's webhook (admins only): URL and signing secret (write-only, stored
// sealed; or generated and shown once), "send test", and the latest deliveries.
import express, { type Request, type Response } from 'express';
import { desc } from 'drizzle-orm';
import { webhookDeliveries } from '../../db/schema';
import { transaction, type Db } from '../db';
import type { FieldErrors } from '../domain/errors';
import { seal } from '../security/sealed';
import { newToken } from '../security/tokens';
import { sendTestWebhook } from '../webhooks/sender';
import { readSettings, writeSetting } from './store';
import { parseWebhook, webhookValues, SECRET_LIMITS } from './webhook-form';
import { actor, auditChange, BASE, bodyOf, redirectWith, renderPage, type SettingsDeps } from './web';

const PAGE = `${BASE}/webhook`;
const SHOWN_DELIVERIES = 20;

type TestResult = Awaited<ReturnType<typeof sendTestWebhook>>;

export function webhookRoutes(deps: SettingsDeps) {
  const router = express.Router();

  router.get(PAGE, (req, res) => show(req, res, 200, { url: readSettings(deps.db).webhookUrl ?? '', generate: false }, {}, null));

  router.post(PAGE, (req, res) => {
    const values = webhookValues(bodyOf(req));
    const parsed = parseWebhook(values, readSettings(deps.db).webhookSecretSealed !== null);
    if (!parsed.ok) return show(req, res, 422, values, parsed.errors, null);
    const { url, generate } = parsed.input;
    const secret = generate ? `whsec_${newToken(32)}` : parsed.input.secret;
    const now = deps.clock();
    transaction(deps.db, () => {
      const before = readSettings(deps.db);
      const keys = [...(before.webhookUrl !== url ? ['webhookUrl'] : []), ...(secret !== null ? ['webhookSecret'] : [])];
      if (keys.length === 0) return;
      writeSetting(deps.db, 'webhookUrl', url, now);
      if (secret !== null) writeSetting(deps.db, 'webhookSecretSealed', seal(deps.secret, secret), now);
      auditChange(deps.db, actor(res).id, 'webhook', { keys, generated: generate }, now);
    });
    if (!generate || secret === null) return redirectWith(res, PAGE, 'saved');
    // Shown once: this answer must not be kept by the browser or anything between.
    res.set('Cache-Control', 'no-store');
    res.locals.pagePath = PAGE;
    return res.status(201).render('settings/webhook-secret', { secret });
  });

  router.post(`${PAGE}/test`, async (req, res) => {
    const result = await sendTestWebhook({ db: deps.db, secret: deps.secret, clock: deps.clock });
    const current = readSettings(deps.db).webhookUrl ?? '';
    show(req, res, 200, { url: current, generate: false }, {}, result);
  });

  function show(req: Request, res: Response, status: number, values: { url: string; generate: boolean }, errors: FieldErrors, test: TestResult | null) {
    const stored = readSettings(deps.db);
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
        deliveries: latestDeliveries(deps.db, SHOWN_DELIVERIES),
      },
    });
  }

  return router;
}

/** The latest attempts, newest first: what the receiver answered and how long it took. */
export function latestDeliveries(db: Db, limit: number) {
  return db.select().from(webhookDeliveries).orderBy(desc(webhookDeliveries.id)).limit(limit).all();
}
