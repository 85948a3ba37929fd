// The desk as a real process (`node --import tsx server/main.ts`, or the bundle
// `npm start` runs), for what only a process shows: being killed, being asked to
// stop, running beside a CLI, starting as an install would.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../server/paths';

export { ROOT };

export interface DeskProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** settles when the process has exited */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of a desk on its own folders and port, quiet except for what tests read. */
export function deskEnv(dir: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATA_DIR: path.join(dir, 'data'),
    UPLOAD_DIR: path.join(dir, 'uploads'),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_EMAIL: 'admin@desk.test',
    ADMIN_PASSWORD: 'admin-password-123',
    RATE_LIMIT_INTAKE: '10000',
    RATE_LIMIT_LOOKUP: '10000',
    RATE_LIMIT_LOGIN: '10000',
    PROVIDER_SYNC_MINUTES: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export interface DeskProcessOptions {
  /**
   * The script to run, relative to the repository root: a .ts file runs under tsx
   * (the default, server/main.ts); anything else, such as the bundle 'dist/main.js',
   * runs the way `npm start` runs it, with `--enable-source-maps`.
   */
  entry?: string;
}

/** Node's arguments for running `entry`: a .ts file under tsx, anything else with `--enable-source-maps`. */
export function nodeArgs(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--import', 'tsx', entry] : ['--enable-source-maps', entry];
}

/**
 * SIGTERM, then settles when the process has exited. A child that exited, or was killed
 * by a signal (exitCode null, signalCode set), is not signalled again.
 */
export function stopChild(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.kill('SIGTERM');
  });
}

/**
 * Starts the desk (server/main.ts unless `opts.entry` says otherwise) with exactly `env`
 * and resolves once it listens on `env.PORT`.
 */
export function startDeskProcess(env: Record<string, string>, opts: DeskProcessOptions = {}): Promise<DeskProcess> {
  const child = spawn(process.execPath, nodeArgs(opts.entry ?? 'server/main.ts'), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = Number(env.PORT);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (out.includes('RefundDesk is listening')) {
        resolve({
          child,
          port,
          url: `http://127.0.0.1:${port}`,
          output: () => out,
          exited,
          stop: () => stopChild(child),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`desk exited (${code ?? signal}) before listening:\n${out}`)));
  });
}

/** Runs a CLI script (`server/cli/<name>.ts`) to its end; never rejects on a non-zero exit. */
export function runScript(name: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', `server/cli/${name}.ts`, ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
