// Provider connections (admins only): the list, the create and edit forms (the API
// key write-only) and "test connection", which asks the provider for its balance.
import express, { type Request, type Response } from 'express';
import type { Formatters } from '../i18n/format';
import { AppError, type FieldErrors } from '../domain/errors';
import { isCurrencyCode, microsToShortDecimal } from '../domain/money';
import { parseProvider, providerValues, type ProviderValues } from './provider-form';
import { REF } from '../domain/order';
import { findProvider, listProviders, storeProvider, testConnection, type ConnectionTest } from './provider-service';
import { actor, BASE, bodyOf, redirectWith, renderPage, type SettingsDeps } from './web';

const LIST = `${BASE}/providers`;

export function providersRoutes(deps: SettingsDeps) {
  const router = express.Router();

  router.get(LIST, (req, res) => showList(req, res, null));
  router.get(`${LIST}/new`, (req, res) => showForm(req, res, 200, null, { id: '', name: '', apiUrl: '', apiKey: '' }, {}));

  router.get(`${LIST}/:id/edit`, (req, res) => {
    const p = known(req);
    showForm(req, res, 200, p, { id: p.id, name: p.name, apiUrl: p.apiUrl ?? '', apiKey: '' }, {});
  });

  router.post(LIST, (req, res) => save(req, res, null));
  router.post(`${LIST}/:id`, (req, res) => save(req, res, known(req)));

  router.post(`${LIST}/:id/test`, async (req, res) => {
    const p = known(req);
    const result = await testConnection(deps.db, deps.secret, p.id, deps.providerTimeoutMs);
    showList(req, res, { id: p.id, result, balance: result.ok ? balanceText(res, result) : null });
  });

  function known(req: Request) {
    const id = String(req.params.id ?? '');
    const p = REF.test(id) ? findProvider(deps.db, id) : null;
    if (!p) throw AppError.notFound();
    return p;
  }

  function save(req: Request, res: Response, existing: ReturnType<typeof known> | null) {
    const values = providerValues(bodyOf(req));
    if (existing) values.id = existing.id;
    const parsed = parseProvider(values);
    if (!parsed.ok) return showForm(req, res, 422, existing, values, parsed.errors);
    try {
      storeProvider(deps.db, deps.secret, parsed.input, existing === null, actor(res).id, deps.clock());
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return showForm(req, res, 422, existing, values, err.fields);
      throw err;
    }
    return redirectWith(res, LIST, 'saved');
  }

  function showList(req: Request, res: Response, test: { id: string; result: ConnectionTest; balance: string | null } | null) {
    renderPage(req, res, 'providers', { pagePath: LIST, data: { providers: listProviders(deps.db), test } });
  }

  function showForm(req: Request, res: Response, status: number, existing: { id: string; hasKey: boolean } | null, values: ProviderValues, errors: FieldErrors) {
    renderPage(req, res, 'provider-edit', {
      status,
      pagePath: existing ? `${LIST}/${encodeURIComponent(existing.id)}/edit` : `${LIST}/new`,
      // The key is write-only: whatever was typed is not written back into the page.
      data: { existing, values: { ...values, apiKey: '' }, errors },
    });
  }

  return router;
}

function balanceText(res: Response, r: Extract<ConnectionTest, { ok: true }>): string {
  const fmt = res.locals.fmt as Formatters;
  if (r.currency && isCurrencyCode(r.currency)) return fmt.money(r.balanceMicros, r.currency);
  return `${microsToShortDecimal(r.balanceMicros)}${r.currency ? ` ${r.currency}` : ''}`;
}
