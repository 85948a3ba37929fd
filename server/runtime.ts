// Everything the desk needs around the app: database, file store, secret, mailer,
// outbox worker and housekeeping. main.ts, the demo and the tests all boot this way.
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { createApp } from './app';
import { deleteExpiredSessions } from './auth/sessions';
import { ensureCannedResponses } from './desk/canned';
import { ensureFirstAdmin } from './auth/staff';
import { exportsDir, failInterruptedJobs, purgeOldExports } from './exports/jobs';
import type { Config } from './config';
import { openDb, type Db } from './db';
import { OutboxWorker } from './mail/outbox';
import { importsDir, purgeStaleImports } from './orders/csv-files';
import { OrderSync } from './orders/sync';
import { createMailer } from './mail/transport';
import { newToken } from './security/tokens';
import { closeAllResolvedTickets } from './tickets/auto-close';
import { purgeExpiredStaged } from './tickets/screenshots';
import { FileStore } from './uploads/store';
import { BOOT_ORPHAN_GRACE_MS, sweepOrphanFiles } from './uploads/sweep';
import { WebhookSender } from './webhooks/sender';

export interface Desk {
  app: ReturnType<typeof createApp>;
  db: Db;
  store: FileStore;
  outbox: OutboxWorker;
  webhooks: WebhookSender;
  sync: OrderSync;
  log: Logger;
  /** the desk's SECRET (sealing provider keys, CSRF) */
  secret: string;
  firstAdmin: Awaited<ReturnType<typeof ensureFirstAdmin>>;
  housekeeping(): Promise<void>;
  /** Stops the workers' timers and waits for the pass each is in (a send under way finishes). */
  stopWorkers(): Promise<void>;
  /** stopWorkers, waits for a housekeeping round under way, then closes the database. */
  close(): Promise<void>;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'req.headers.cookie'], remove: true },
  });
}

/** Where the generated SECRET is kept when the environment gives none (backup and restore copy it). */
export function secretFile(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'secret');
}

/** SECRET from the environment, else one generated once and kept in the data folder. */
export function loadSecret(config: Config): string {
  if (config.secret) return config.secret;
  const file = secretFile(config);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = newToken(48);
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function bootDesk(config: Readonly<Config>, opts: { log?: Logger; clock?: () => number } = {}): Promise<Desk> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? Date.now;
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDb(config.databaseFile);
  const store = new FileStore(config.uploadDir);
  await store.ensureDir();
  // What a killed process left half-written: files whose row never committed, temp files.
  // Only a killed process leaves them, so this sweep at start-up is the only one.
  // Tidying up; a folder it cannot clean (permissions) does not keep the desk from starting.
  try {
    const swept = await sweepOrphanFiles(db, store, clock(), BOOT_ORPHAN_GRACE_MS);
    if (swept.length > 0) log.warn({ files: swept.length }, 'removed upload files no attachment refers to');
  } catch (err) {
    log.error({ err }, 'upload folder sweep failed');
  }
  const secret = loadSecret(config);
  ensureCannedResponses(db, clock());
  failInterruptedJobs(db, clock());
  const firstAdmin = await ensureFirstAdmin(db, { email: config.adminEmail, password: config.adminPassword }, clock());
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, mailDir: config.mailDir, log });
  const outbox = new OutboxWorker(db, mailer, log, clock);
  const webhooks = new WebhookSender({ db, secret, log, clock });
  const sync = new OrderSync({ db, secret, log, clock, timeoutMs: config.providerTimeoutMs });
  const app = createApp({ config, db, log, store, secret, clock, sync });
  let chores: Promise<void> | undefined;
  const stopWorkers = async () => {
    // Each stop clears its timer and awaits the pass under way; one failing does not keep the others running.
    const stops = await Promise.allSettled([sync.stop(), outbox.stop(), webhooks.stop()]);
    for (const s of stops) if (s.status === 'rejected') log.error({ err: s.reason }, 'worker failed while stopping');
  };
  return {
    app,
    db,
    store,
    outbox,
    webhooks,
    sync,
    log,
    secret,
    firstAdmin,
    housekeeping() {
      chores ??= (async () => {
        // Each chore runs whatever another one does: one that fails (a folder it cannot read) is logged, not in the others' way.
        const steps: [string, () => unknown][] = [
          ['staged screenshots', () => purgeExpiredStaged(db, store, clock())],
          ['stale imports', () => purgeStaleImports(importsDir(config.dataDir), clock())],
          ['old exports', () => purgeOldExports(exportsDir(config.dataDir), clock())],
          ['expired sessions', () => deleteExpiredSessions(db, clock())],
          ['resolved tickets', () => closeAllResolvedTickets(db, clock)],
        ];
        const done = await Promise.allSettled(steps.map(async ([, step]) => step()));
        done.forEach((d, i) => {
          if (d.status === 'rejected') log.error({ err: d.reason, step: steps[i]![0] }, 'housekeeping step failed');
        });
      })().finally(() => {
        chores = undefined;
      });
      return chores;
    },
    stopWorkers,
    async close() {
      await stopWorkers();
      await chores?.catch(() => undefined);
      db.$client.close();
    },
  };
}
