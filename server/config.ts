// Settings from the environment, parsed and validated once, then frozen.
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => (v === '' ? undefined : v === 'true' || v === '1'));
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optional.pipe(z.url().optional()),
  DATA_DIR: z.string().default('./data'),
  UPLOAD_DIR: z.string().default('./uploads'),
  BACKUP_DIR: optional,
  SECRET: optional.pipe(z.string().min(32).optional()),
  SMTP_URL: optional.pipe(z.url().optional()),
  MAIL_FROM: z.string().default('RefundDesk <desk@localhost>'),
  ADMIN_EMAIL: optional.pipe(z.email().optional()),
  ADMIN_PASSWORD: optional.pipe(z.string().min(10).optional()),
  COOKIE_SECURE: bool.optional(),
  TRUST_PROXY: z.string().default('loopback'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  RATE_LIMIT_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  RATE_LIMIT_INTAKE: z.coerce.number().int().positive().default(10),
  RATE_LIMIT_LOOKUP: z.coerce.number().int().positive().default(10),
  RATE_LIMIT_LOGIN: z.coerce.number().int().positive().default(10),
  RATE_LIMIT_API: z.coerce.number().int().positive().default(20000),
  LOGIN_LOCK_THRESHOLD: z.coerce.number().int().positive().default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
  PROVIDER_TIMEOUT_SECONDS: z.coerce.number().positive().default(10),
  PROVIDER_SYNC_MINUTES: z.coerce.number().min(0).default(10),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(2000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.input<typeof schema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  uploadDir: string;
  databaseFile: string;
  mailDir: string;
  /** where `npm run backup` writes its dated folders */
  backupDir: string;
  secret?: string;
  smtpUrl?: string;
  mailFrom: string;
  adminEmail?: string;
  adminPassword?: string;
  cookieSecure: boolean;
  trustProxy: string;
  sessionTtlMs: number;
  rateLimit: { windowMs: number; intake: number; lookup: number; login: number; api: number };
  /** failed logins within lockMs that lock an account (twice as many lock a client address) for lockMs */
  loginLock: { threshold: number; lockMs: number };
  providerTimeoutMs: number;
  /** 0 turns the periodic sync of open tickets' orders off. */
  providerSyncMs: number;
  outboxPollMs: number;
  logLevel: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir,
    uploadDir: path.resolve(e.UPLOAD_DIR),
    databaseFile: path.join(dataDir, 'refunddesk.sqlite'),
    mailDir: path.join(dataDir, 'mail'),
    backupDir: path.resolve(e.BACKUP_DIR ?? path.join(dataDir, 'backups')),
    secret: e.SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.startsWith('https://'),
    trustProxy: e.TRUST_PROXY,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    rateLimit: Object.freeze({
      windowMs: e.RATE_LIMIT_WINDOW_MINUTES * 60_000,
      intake: e.RATE_LIMIT_INTAKE,
      lookup: e.RATE_LIMIT_LOOKUP,
      login: e.RATE_LIMIT_LOGIN,
      api: e.RATE_LIMIT_API,
    }),
    loginLock: Object.freeze({ threshold: e.LOGIN_LOCK_THRESHOLD, lockMs: e.LOGIN_LOCK_MINUTES * 60_000 }),
    providerTimeoutMs: e.PROVIDER_TIMEOUT_SECONDS * 1000,
    providerSyncMs: e.PROVIDER_SYNC_MINUTES * 60_000,
    outboxPollMs: e.OUTBOX_POLL_MS,
    logLevel: e.LOG_LEVEL,
  });
}
