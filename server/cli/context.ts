// What a command-line tool needs: the same configuration and database as the desk.
import fs from 'node:fs';
import { loadConfig, type Config } from '../config';
import { openDb, type Db } from '../db';
import { loadSecret } from '../runtime';

export interface CliContext {
  config: Readonly<Config>;
  db: Db;
  secret: string;
  close(): void;
}

/** The desk's configuration for a command-line tool: the environment, with .env loaded first when there is one. */
export function cliConfig(): Readonly<Config> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig();
}

function openCli(): CliContext {
  const config = cliConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDb(config.databaseFile);
  return { config, db, secret: loadSecret(config), close: () => db.$client.close() };
}

/** Runs `fn` with the desk's database open, and closes it after, whether fn returns or throws. */
export async function withCli<T>(fn: (cli: CliContext) => T | Promise<T>): Promise<T> {
  const cli = openCli();
  try {
    return await fn(cli);
  } finally {
    cli.close();
  }
}

/** `--name panel --scopes a,b file.csv` → { name: 'panel', scopes: 'a,b', _: ['file.csv'] } */
export function parseArgs(argv: string[]): { flags: Record<string, string | true>; positional: string[] } {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [key, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) flags[key] = inline;
    else if (next !== undefined && !next.startsWith('--')) {
      flags[key] = next;
      i++;
    } else flags[key] = true;
  }
  return { flags, positional };
}

/** Runs a command; a thrown UsageError prints its text and exits 2. */
export class UsageError extends Error {}

export async function runCli(main: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  }
}
