// Canned responses per language: the overview with the missing languages marked,
// the edit form (create or update) and delete.
import express, { type Request, type Response } from 'express';
import { AppError, type FieldErrors } from '../domain/errors';
import { LANGUAGES } from '../domain/ticket';
import { cannedValues, parseCanned, CANNED_LIMITS, PLACEHOLDERS, type CannedValues } from './canned-form';
import { cannedOverview, deleteCanned, findCanned, saveCanned } from './canned-service';
import { actor, BASE, bodyOf, idParam, redirectWith, renderPage, type SettingsDeps } from './web';

const LIST = `${BASE}/canned`;

export function cannedRoutes(deps: SettingsDeps) {
  const router = express.Router();

  router.get(LIST, (req, res) => {
    renderPage(req, res, 'canned', { pagePath: LIST, data: { rows: cannedOverview(deps.db), languages: LANGUAGES } });
  });

  router.get(`${LIST}/new`, (req, res) => {
    const values = cannedValues(req.query as Record<string, unknown>);
    showForm(req, res, 200, null, { ...values, language: values.language || (LANGUAGES as readonly string[]).find((l) => l === res.locals.lng) || 'en' }, {});
  });

  router.get(`${LIST}/:id`, (req, res) => {
    const found = findCanned(deps.db, idParam(req));
    if (!found) throw AppError.notFound();
    showForm(req, res, 200, found.id, found, {});
  });

  router.post(LIST, (req, res) => save(req, res, null));
  router.post(`${LIST}/:id`, (req, res) => save(req, res, idParam(req)));

  router.post(`${LIST}/:id/delete`, (req, res) => {
    deleteCanned(deps.db, idParam(req), actor(res).id, deps.clock());
    redirectWith(res, LIST, 'deleted');
  });

  function save(req: Request, res: Response, id: number | null) {
    const values = cannedValues(bodyOf(req));
    const parsed = parseCanned(values);
    if (!parsed.ok) return showForm(req, res, 422, id, values, parsed.errors);
    try {
      saveCanned(deps.db, id, parsed.input, actor(res).id, deps.clock());
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return showForm(req, res, 422, id, values, err.fields);
      throw err;
    }
    return redirectWith(res, LIST, 'saved');
  }

  function showForm(req: Request, res: Response, status: number, id: number | null, values: CannedValues, errors: FieldErrors) {
    renderPage(req, res, 'canned-edit', {
      status,
      pagePath: id === null ? `${LIST}/new` : `${LIST}/${id}`,
      data: { id, values, errors, languages: LANGUAGES, placeholders: PLACEHOLDERS, limits: CANNED_LIMITS },
    });
  }

  return router;
}
