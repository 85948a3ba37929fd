// Panel API tokens (admins only): the list, a new token (shown once, on the page
// that answers the form, never again) and revoking one.
import express, { type Request, type Response } from 'express';
import { createApiToken, listApiTokens, parseScopes, revokeApiToken, SCOPES } from '../api/tokens';
import { transaction } from '../db';
import { AppError, type FieldErrors } from '../domain/errors';
import { parseToken, tokenValues, type TokenValues } from './token-form';
import { actor, auditChange, BASE, bodyOf, idParam, redirectWith, renderPage, type SettingsDeps } from './web';

const LIST = `${BASE}/tokens`;

export function tokensRoutes(deps: SettingsDeps) {
  const router = express.Router();

  router.get(LIST, (req, res) => show(req, res, 200, { name: '', scopes: [] }, {}));

  router.post(LIST, (req, res) => {
    const values = tokenValues(bodyOf(req));
    const parsed = parseToken(values);
    if (!parsed.ok) return show(req, res, 422, values, parsed.errors);
    const now = deps.clock();
    const { name, scopes } = parsed.input;
    const created = transaction(deps.db, () => {
      const made = createApiToken(deps.db, name, scopes, now);
      auditChange(deps.db, actor(res).id, 'token.created', { tokenId: made.id, name, scopes }, now);
      return made;
    });
    // Shown once: this answer must not be kept by the browser or anything between.
    res.set('Cache-Control', 'no-store');
    res.locals.pagePath = LIST;
    return res.status(201).render('settings/token-created', { name, scopes, token: created.token });
  });

  router.post(`${LIST}/:id/revoke`, (req, res) => {
    const id = idParam(req);
    const now = deps.clock();
    transaction(deps.db, () => {
      const token = listApiTokens(deps.db).find((t) => t.id === id);
      if (!token) throw AppError.notFound();
      if (revokeApiToken(deps.db, id, now)) auditChange(deps.db, actor(res).id, 'token.revoked', { tokenId: id, name: token.name }, now);
    });
    redirectWith(res, LIST, 'revoked');
  });

  function show(req: Request, res: Response, status: number, values: TokenValues, errors: FieldErrors) {
    const tokens = listApiTokens(deps.db).map((t) => ({ ...t, scopes: parseScopes(t.scopes) ?? [] }));
    renderPage(req, res, 'tokens', { status, pagePath: LIST, data: { tokens, values, errors, scopes: SCOPES } });
  }

  return router;
}
