// Real-browser tests: a system Chromium driven by playwright-core, and a desk
// served on loopback so the browser talks to it over real HTTP.
//
// Without Chromium the e2e suites are skipped with a notice on stderr, except
// under CI=true, where a missing browser fails the run instead of hiding it.
import fs from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import type { Env } from '../../server/config';
import { startTestDesk, type TestDesk } from './desk';
import { freePort } from './loopback';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const INSTALL_HINT =
  'Install it with `apt-get install -y chromium` (Debian/Ubuntu) or point CHROMIUM_PATH at a Chromium/Chrome binary.';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** CHROMIUM_PATH if set (it must exist then), else the first Debian/Ubuntu location that exists. */
function findChromium(env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    return isExecutable(fromEnv) ? { path: fromEnv } : { missing: `CHROMIUM_PATH=${fromEnv} is not an executable file.` };
  }
  const found = CHROMIUM_CANDIDATES.find(isExecutable);
  return found ? { path: found } : { missing: `Chromium was not found (looked at ${CHROMIUM_CANDIDATES.join(', ')}).` };
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * For a suite's `before` hook: launches Chromium, or skips the suite (with a
 * notice on stderr) when there is none, or throws when there is none under CI=true.
 */
export async function browserOrSkip(ctx: Mocha.Context): Promise<Browser> {
  const found = findChromium();
  if ('missing' in found) {
    const message = `${found.missing} ${INSTALL_HINT}`;
    if (process.env.CI === 'true') {
      throw new Error(`Browser tests cannot run under CI=true: ${message}`);
    }
    console.warn(`\n  !! Browser (e2e) tests SKIPPED: ${message}\n`);
    ctx.skip();
  }
  return launchChromium(found.path);
}


export interface ServedDesk {
  desk: TestDesk;
  /** http://127.0.0.1:<port>, which is also the desk's PUBLIC_URL. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A fresh test desk listening on loopback, with PUBLIC_URL set to the address the
 * browser uses (private links and the CSRF origin check depend on it).
 */
export async function serveTestDesk(env: Partial<Record<keyof Env, string>> = {}): Promise<ServedDesk> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const desk = await startTestDesk({ PUBLIC_URL: baseUrl, ...env });
    try {
      const server = await listen(desk, port);
      return {
        desk,
        baseUrl,
        async close() {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
          await desk.cleanup();
        },
      };
    } catch (err) {
      await desk.cleanup();
      // Someone took the port between the probe and the listen: try another one.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    }
  }
}

function listen(desk: TestDesk, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = desk.app.listen(port, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
