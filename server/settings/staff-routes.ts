// Staff accounts (admins only): the list with a role and an on/off switch per
// account, and the form for a new one.
import express, { type Request, type Response } from 'express';
import type { Role } from '../auth/staff';
import { AppError, type FieldErrors } from '../domain/errors';
import { LANGUAGES } from '../domain/ticket';
import { PASSWORD_LIMITS } from '../security/passwords';
import { parseRole, parseStaff, staffValues, ROLES, type StaffValues } from './staff-form';
import { changeRole, createStaff, listStaff, setActive } from './staff-service';
import { actor, BASE, bodyOf, idParam, redirectWith, renderPage, type SettingsDeps } from './web';

const LIST = `${BASE}/staff`;

export function staffRoutes(deps: SettingsDeps) {
  const router = express.Router();

  router.get(LIST, (req, res) => showList(req, res, 200, null));
  router.get(`${LIST}/new`, (req, res) => showForm(req, res, 200, { email: '', name: '', role: 'agent', language: 'en', password: '' }, {}));

  router.post(LIST, async (req, res) => {
    const values = staffValues(bodyOf(req));
    const parsed = parseStaff(values);
    if (!parsed.ok) return showForm(req, res, 422, values, parsed.errors);
    try {
      await createStaff(deps.db, parsed.input, actor(res).id, deps.clock());
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return showForm(req, res, 422, values, err.fields);
      throw err;
    }
    return redirectWith(res, LIST, 'created');
  });

  router.post(`${LIST}/:id/role`, (req, res) => {
    const id = idParam(req);
    const role = parseRole(typeof bodyOf(req).role === 'string' ? (bodyOf(req).role as string) : '');
    if (!role.ok) return showList(req, res, 422, { id, errors: { role: role.error } });
    // A refused change (the last admin) shows the role that was chosen, beside the error.
    return guarded(req, res, { id, role: role.value }, () => changeRole(deps.db, id, role.value, actor(res).id, deps.clock()), 'saved');
  });

  router.post(`${LIST}/:id/disable`, (req, res) => {
    const id = idParam(req);
    guarded(req, res, { id }, () => setActive(deps.db, id, false, actor(res).id, deps.clock()), 'disabled');
  });

  router.post(`${LIST}/:id/enable`, (req, res) => {
    const id = idParam(req);
    guarded(req, res, { id }, () => setActive(deps.db, id, true, actor(res).id, deps.clock()), 'enabled');
  });

  /** Runs a change; a refused one (the last admin) shows the list again with the error beside that account. */
  function guarded(req: Request, res: Response, row: { id: number; role?: Role }, change: () => void, notice: 'saved' | 'disabled' | 'enabled') {
    try {
      change();
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return showList(req, res, 422, { ...row, errors: err.fields });
      throw err;
    }
    return redirectWith(res, LIST, notice);
  }

  /** `rowError.role`: the role that was chosen for that account, shown selected instead of the stored one. */
  function showList(req: Request, res: Response, status: number, rowError: { id: number; errors: FieldErrors; role?: Role } | null) {
    renderPage(req, res, 'staff', {
      status,
      pagePath: LIST,
      data: { users: listStaff(deps.db), roles: ROLES, rowError, me: actor(res).id },
    });
  }

  function showForm(req: Request, res: Response, status: number, values: StaffValues, errors: FieldErrors) {
    // The password is never written back into the page.
    renderPage(req, res, 'staff-new', {
      status,
      pagePath: `${LIST}/new`,
      data: { values: { ...values, password: '' }, errors, roles: ROLES, languages: LANGUAGES, passwordMin: PASSWORD_LIMITS.min },
    });
  }

  return router;
}
