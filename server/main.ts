// The only file that reads the environment and listens.
import fs from 'node:fs';
import type http from 'node:http';
import { ConfigError, loadConfig } from './config';
import { bootDesk, type Desk } from './runtime';

/** A shutdown that takes longer (a hung send, a stuck client) is cut short. */
const SHUTDOWN_LIMIT_MS = 10_000;

async function main() {
  // A .env file beside package.json is read when present; the environment wins.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const desk = await bootDesk(config);
  const { log } = desk;
  if (desk.firstAdmin) {
    const { email, generatedPassword } = desk.firstAdmin;
    // Printed once, to the console only, so the first admin can log in.
    if (generatedPassword) console.log(`\nFirst admin created: ${email} / ${generatedPassword}\n(change it after logging in)\n`);
    else log.info({ email }, 'first admin created from ADMIN_EMAIL');
  }
  desk.outbox.start(config.outboxPollMs);
  desk.webhooks.start(config.outboxPollMs);
  desk.sync.start(config.providerSyncMs);
  const housekeeping = () => void desk.housekeeping().catch((err: unknown) => log.error({ err }, 'housekeeping'));
  const chores = setInterval(housekeeping, 15 * 60_000);
  chores.unref();
  housekeeping();

  const server = desk.app.listen(config.port, config.host, () => {
    log.info({ url: config.publicUrl, dataDir: config.dataDir }, 'RefundDesk is listening');
  });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      return forceExit(desk);
    }
    stopping = true;
    clearInterval(chores);
    log.info({ signal }, 'shutting down: finishing requests and sends');
    setTimeout(() => {
      log.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long: exiting without waiting');
      forceExit(desk);
    }, SHUTDOWN_LIMIT_MS).unref();
    shutdown(server, desk).then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Stops listening at once, lets the requests under way finish (their keep-alive
 * connections are closed once idle, and answers given meanwhile say Connection:
 * close), lets each worker finish its pass, then closes the database, which
 * checkpoints the WAL into the database file.
 */
async function shutdown(server: http.Server, desk: Desk): Promise<void> {
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  try {
    await Promise.all([closed, desk.stopWorkers()]);
  } finally {
    clearInterval(idle);
  }
  await desk.close();
}

function forceExit(desk: Desk): never {
  try {
    // Committed transactions are in the WAL either way; closing only tidies it up.
    desk.db.$client.close();
  } catch {
    // a statement still open: the WAL is recovered at the next start
  }
  process.exit(1);
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
