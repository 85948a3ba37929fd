// createApp(deps): the middleware order, the routers and the error handlers.
// Listening is main.ts's business.
import cookieParser from 'cookie-parser';
import express from 'express';
import { useViews } from './web/view-options';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { apiRouter } from './api/routes';
import { auditRouter } from './audit/routes';
import { accountRouter } from './auth/account-routes';
import { loadStaff } from './auth/middleware';
import { authRouter } from './auth/routes';
import type { Config } from './config';
import type { Db } from './db';
import { queueRouter } from './desk/queue-routes';
import { deskRouter } from './desk/routes';
import { WorkService } from './desk/work';
import { workRouter } from './desk/work-routes';
import { DecisionService } from './decisions/service';
import { exportsRouter } from './exports/routes';
import { importRouter, importUpload } from './orders/import-routes';
import type { OrderSync } from './orders/sync';
import { reportsRouter } from './reports/routes';
import { csrfToken, verifyCsrf } from './security/csrf';
import { settingsRouter } from './settings/routes';
import { customerRouter } from './tickets/customer-routes';
import { intakeRouter } from './tickets/intake-routes';
import { TicketService } from './tickets/service';
import { screenshotUpload } from './uploads/middleware';
import type { FileStore } from './uploads/store';
import { errorHandler, notFound } from './web/errors';
import { locale } from './web/locale';
import { limiter } from './web/rate-limits';
import { requestLog } from './web/request-log';
import { STATIC_DIR } from './paths';

export interface AppDeps {
  config: Readonly<Config>;
  db: Db;
  log: Logger;
  store: FileStore;
  secret: string;
  sync: OrderSync;
  clock?: () => number;
}


export function createApp(deps: AppDeps): express.Express {
  const { config, db, log, store } = deps;
  const clock = deps.clock ?? Date.now;
  const app = express();
  // Compiled templates are kept except while developing (Express only looks at NODE_ENV).
  useViews(app, config.env !== 'development');
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // Pages carry per-browser CSRF tokens and live data, so a hash of each body for an
  // ETag costs CPU and never matches; static files keep their own validators.
  app.set('etag', false);

  app.use(requestLog(log));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.cookieSecure ? [] : null,
        },
      },
      strictTransportSecurity: config.cookieSecure,
    }),
  );
  app.use('/static', express.static(STATIC_DIR, { maxAge: '1h' }));
  app.use(cookieParser());
  app.use(locale({ cookieSecure: config.cookieSecure }));
  const csrfOpts = { secret: deps.secret, publicUrl: config.publicUrl, cookieSecure: config.cookieSecure };
  app.use(csrfToken(csrfOpts));
  app.use(loadStaff(db, config.sessionTtlMs, clock));

  // Bodies: forms are urlencoded, except the two that carry screenshots. Every
  // state-changing request then needs its CSRF token; a multipart body sent
  // anywhere else is never parsed, so it fails that check.
  const { windowMs } = config.rateLimit;
  const tickets = new TicketService({ db, store, clock, publicUrl: config.publicUrl });
  // The panel API authenticates by bearer token, never by cookie, so it needs no CSRF token.
  app.use(
    '/api/v1',
    apiRouter({ db, store, tickets, clock, publicUrl: config.publicUrl, log, rateLimit: { max: config.rateLimit.api, windowMs } }),
  );
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 100 }));
  app.post('/tickets', limiter(config.rateLimit.intake, windowMs), screenshotUpload);
  app.post('/t/:number/replies', screenshotUpload);
  app.post('/desk/orders/import', ...importUpload);
  app.use(verifyCsrf(csrfOpts));

  app.use(intakeRouter({ db, store, tickets, clock, publicUrl: config.publicUrl }));
  app.use(customerRouter({ db, store, tickets, publicUrl: config.publicUrl }, limiter(config.rateLimit.lookup, windowMs)));
  app.use(
    authRouter(
      { db, clock, sessionTtlMs: config.sessionTtlMs, cookieSecure: config.cookieSecure, loginLock: config.loginLock },
      limiter(config.rateLimit.login, windowMs),
    ),
  );
  app.use(accountRouter({ db, clock }));
  app.use(queueRouter({ db, clock }));
  const work = new WorkService({ db, clock, publicUrl: config.publicUrl });
  const decisions = new DecisionService({
    db,
    secret: deps.secret,
    clock,
    publicUrl: config.publicUrl,
    providerTimeoutMs: config.providerTimeoutMs,
  });
  app.use(deskRouter({ db, store, sync: deps.sync, work, clock }));
  app.use(workRouter({ db, work, decisions, clock }));
  app.use(importRouter({ db, dataDir: config.dataDir, clock }));
  // Manager and admin pages mount below, one line each.
  app.use(reportsRouter({ db, clock }));
  app.use(exportsRouter({ db, dataDir: config.dataDir, clock }));
  app.use(settingsRouter({ db, secret: deps.secret, clock, providerTimeoutMs: config.providerTimeoutMs }));
  app.use(auditRouter({ db, clock }));


  app.use(notFound);
  app.use(errorHandler(log, config.env === 'development'));
  return app;
}
