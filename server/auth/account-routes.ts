// A staff member's own account: /desk/account/password, for every role.
import express, { type Request, type Response } from 'express';
import type { Db } from '../db';
import type { FieldErrors } from '../domain/errors';
import { PASSWORD_LIMITS } from '../security/passwords';
import { currentStaff, requireStaff, SESSION_COOKIE } from './middleware';
import { changePassword, passwordValues } from './password-change';

const PAGE = '/desk/account/password';

export function accountRouter(deps: { db: Db; clock: () => number }) {
  const router = express.Router();
  router.use(PAGE, requireStaff());

  const render = (res: Response, status: number, errors: FieldErrors, notice: string | null) => {
    // A page shown in answer to the POST switches language on the GET page.
    res.locals.pagePath = PAGE;
    res.status(status).render('account/password', { errors, notice, passwordMin: PASSWORD_LIMITS.min });
  };

  router.get(PAGE, (req, res) => render(res, 200, {}, req.query.notice === 'changed' ? 'changed' : null));

  router.post(PAGE, async (req: Request, res: Response) => {
    const values = passwordValues((req.body ?? {}) as Record<string, unknown>);
    // requireStaff let the request in, so both the staff member and their cookie are there.
    const token = req.cookies[SESSION_COOKIE] as string;
    const result = await changePassword(deps.db, currentStaff(res)!, values, token, deps.clock());
    if (!result.ok) return render(res, 422, result.errors, null);
    return res.redirect(303, `${PAGE}?notice=changed`);
  });

  return router;
}
