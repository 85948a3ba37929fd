// The only file that reads the environment and listens.
import fs from 'node:fs';
import { ConfigError, loadConfig } from './config';
import { bootDesk } from './runtime';

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
  const chores = setInterval(() => void desk.housekeeping().catch((err) => log.error({ err }, 'housekeeping')), 15 * 60_000);
  chores.unref();
  void desk.housekeeping();

  const server = desk.app.listen(config.port, config.host, () => {
    log.info({ url: config.publicUrl, dataDir: config.dataDir }, 'RefundDesk is listening');
  });
  const shutdown = () => {
    log.info('shutting down');
    server.close(() => void desk.close().then(() => process.exit(0)));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
