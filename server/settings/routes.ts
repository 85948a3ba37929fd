// The settings area at /desk/settings: a landing page and one page per section.
// Managers and admins edit the policy, the desk's targets and canned responses;
// staff accounts, providers, API tokens and the webhook are for admins only.
import express from 'express';
import { requireStaff } from '../auth/middleware';
import { cannedRoutes } from './canned-routes';
import { generalRoutes } from './general-routes';
import { policyRoutes } from './policy-routes';
import { providersRoutes } from './providers-routes';
import { staffRoutes } from './staff-routes';
import { tokensRoutes } from './tokens-routes';
import { BASE, renderPage, type SettingsDeps } from './web';
import { webhookRoutes } from './webhook-routes';

export const MANAGER_SECTIONS = ['policy', 'general', 'canned'] as const;
export const ADMIN_SECTIONS = ['staff', 'providers', 'tokens', 'webhook'] as const;

export function settingsRouter(deps: SettingsDeps) {
  const router = express.Router();
  router.use(BASE, requireStaff('manager', 'admin'));
  for (const section of ADMIN_SECTIONS) router.use(`${BASE}/${section}`, requireStaff('admin'));

  router.get(BASE, (req, res) => {
    renderPage(req, res, 'index', { pagePath: BASE, data: { managerSections: MANAGER_SECTIONS, adminSections: ADMIN_SECTIONS } });
  });
  router.use(policyRoutes(deps));
  router.use(generalRoutes(deps));
  router.use(cannedRoutes(deps));
  router.use(staffRoutes(deps));
  router.use(providersRoutes(deps));
  router.use(tokensRoutes(deps));
  router.use(webhookRoutes(deps));
  return router;
}
