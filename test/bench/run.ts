// npm run bench [-- --tickets 1000000] [--duration 10] [--out bench-results.json] [--reuse]
// Seeds a database, starts the desk and the floor in their own processes, drives
// both on loopback with autocannon and prints endpoint, requests/s, p50, p99 and
// the ratio to the floor, then the budgets as pass / fall-short lines.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { nodeArgs, stopChild } from '../support/desk-process';
import { freePort } from '../support/loopback';
import { seedBench, type BenchFixture } from './seed';
import { phoneScreenshot, multipartTicket } from './bodies';
import { budgets, printTable, type Row } from './report';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] && !args[i + 1]!.startsWith('--') ? args[i + 1]! : fallback;
};
const tickets = Number(flag('tickets', '100000'));
const duration = Number(flag('duration', '10'));
const out = flag('out', 'bench-results.json');
const reuse = args.includes('--reuse');
const root = path.join(import.meta.dirname, '..', '..');
const dir = path.join(os.tmpdir(), `refunddesk-bench-${tickets}`);
const dataDir = path.join(dir, 'data');
const uploadDir = path.join(dir, 'uploads');

/** A TypeScript file run through tsx, or (a .js file) plain JavaScript, in its own process. */
function startProcess(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, nodeArgs(script), {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

interface Load {
  name: string;
  url: string;
  connections?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** builds each request's body (unique order IDs and emails) */
  body?: (n: number) => Buffer | string;
  /** the status a successful request answers with */
  ok?: number;
  /** seconds (default: --duration) */
  seconds?: number;
}

/** Drives one endpoint; latencies are collected from every response to compute p50/p95/p99 exactly. */
async function drive(load: Load) {
  const latencies: number[] = [];
  let n = 0;
  let good = 0;
  // The tracker is an EventEmitter that is also awaitable (its types only say the latter).
  const instance = autocannon({
    url: load.url,
    connections: load.connections ?? 10,
    duration: load.seconds ?? duration,
    method: load.method ?? 'GET',
    headers: load.headers,
    requests: load.body ? [{ setupRequest: (req) => ({ ...req, body: load.body!(n++) }) }] : undefined,
  }) as unknown as EventEmitter & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    if (status === (load.ok ?? 200)) good++;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const seconds = result.duration;
  return { name: load.name, rps: good / seconds, total: latencies.length, good, p50: pct(50), p95: pct(95), p99: pct(99), errors: result.errors + result.timeouts };
}

async function main() {
  let fixture: BenchFixture;
  const fixtureFile = path.join(dir, 'fixture.json');
  if (reuse && fs.existsSync(fixtureFile)) {
    fixture = JSON.parse(fs.readFileSync(fixtureFile, 'utf8')) as BenchFixture;
    console.log(`Reusing ${tickets.toLocaleString('en')} seeded tickets in ${dir}`);
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`Seeding ${tickets.toLocaleString('en')} tickets into ${dir} …`);
    const t0 = performance.now();
    fixture = await seedBench(dataDir, uploadDir, tickets);
    fs.writeFileSync(fixtureFile, JSON.stringify(fixture));
    console.log(`Seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  const [appPort, floorPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${appPort}`;
  const env = {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    UPLOAD_DIR: uploadDir,
    PORT: String(appPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    SECRET: 'bench-secret-bench-secret-bench-secret-01',
    ADMIN_EMAIL: 'admin@bench.test',
    ADMIN_PASSWORD: 'bench-admin-password',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_INTAKE: '100000000',
    RATE_LIMIT_LOOKUP: '100000000',
    RATE_LIMIT_LOGIN: '100000000',
    RATE_LIMIT_API: '100000000',
    PROVIDER_SYNC_MINUTES: '0',
  };
  // The desk as `npm start` runs it: the bundle prestart builds.
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  // The first start of a fresh database creates the first admin (a deliberately slow
  // password hash); a desk that holds a million tickets restarts, so that is what is timed.
  if (!fs.existsSync(path.join(dir, 'started'))) {
    const first = startProcess('dist/main.js', env);
    await waitFor(`${base}/tickets/new`);
    await stopChild(first);
    fs.writeFileSync(path.join(dir, 'started'), '');
  }
  const app = startProcess('dist/main.js', env);
  const coldStartMs = await waitFor(`${base}/tickets/new`);
  const floor = startProcess('test/bench/floor.ts', { DATA_DIR: dataDir, PORT: String(floorPort) });
  await waitFor(`http://127.0.0.1:${floorPort}/queue`);
  await new Promise((r) => setTimeout(r, 1000));
  const idleRssMb = rssMb(app.pid!);

  try {
    // The public form's CSRF token belongs to the browser cookie it was issued with;
    // an agent's browser sends that cookie back too, like any browser.
    const form = await fetch(`${base}/tickets/new`);
    const browserCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const staff = { Cookie: `rd_session=${fixture.session}; ${browserCookie}` };
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const shot = await phoneScreenshot();
    // Order IDs of this run's new tickets: unique across runs on a reused database (an
    // order already on an open ticket is refused as a duplicate).
    const stamp = Date.now();

    const floorLoad = { name: 'floor: queue', url: `http://127.0.0.1:${floorPort}/queue` };
    await drive({ ...floorLoad, seconds: 2 });
    const floorResult = await drive(floorLoad);
    const results: Row[] = [];
    const add = async (load: Load, ratio = false) => {
      // A page's first requests compile its code paths (V8's JIT) and fill caches: two seconds
      // unmeasured first, as any long-running desk is warm.
      if (!load.body) await drive({ ...load, seconds: 2 });
      const r = await drive(load);
      results.push({ ...r, ratio: ratio ? r.rps / floorResult.rps : null });
      console.log(`  ${r.name}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms`);
    };
    await add({ name: 'queue (default)', url: `${base}/desk`, headers: staff }, true);
    await add({ name: 'queue filtered + order ID search', url: `${base}/desk?reason=${'not_started'}&q=${fixture.ticket.orderId}`, headers: staff }, true);
    await add({ name: 'queue free-text search', url: `${base}/desk?q=${fixture.rareWord}`, headers: staff }, true);
    await add({ name: 'queue status-count tabs (filtered)', url: `${base}/desk?status=closed&language=ar`, headers: staff }, true);
    await add({ name: 'ticket workspace', url: `${base}/desk/tickets/${fixture.ticket.number}`, headers: staff }, true);
    await add({ name: 'public form GET', url: `${base}/tickets/new` });
    await add({ name: 'customer ticket page', url: `${base}/t/${fixture.ticket.number}?k=${fixture.ticket.token}`, headers: { Cookie: browserCookie } });
    await add({
      name: 'intake via panel API (text only)',
      url: `${base}/api/v1/tickets`,
      method: 'POST',
      ok: 201,
      headers: { Authorization: `Bearer ${fixture.apiToken}`, 'Content-Type': 'application/json' },
      body: (n) =>
        JSON.stringify({ email: `api${stamp}-${n}@example.com`, orderIds: [`9${stamp}${String(n).padStart(6, '0')}`], link: 'https://t.me/bench', reason: 'not_started', details: 'bench', language: 'en' }),
    });
    const boundary = 'benchboundary7MA4YWxkTrZu0gW';
    await add({
      name: 'intake via form, 2 phone screenshots (4 conn.)',
      url: `${base}/tickets`,
      method: 'POST',
      connections: 4,
      ok: 303,
      headers: { Cookie: browserCookie, Origin: base, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: (n) => multipartTicket(boundary, csrf, { email: `form${stamp}-${n}@example.com`, orderIds: `8${stamp}${String(n).padStart(6, '0')}` }, [shot, shot]),
    });

    const exportRun = await exportDecisions();
    const report = { machine: machine(), tickets, duration, coldStartMs, idleRssMb, floor: floorResult, results, export: exportRun };
    fs.writeFileSync(out, JSON.stringify(report, null, 2));
    printTable(report);
    for (const line of budgets(report)) console.log(line);
    console.log(`\nWrote ${out}`);
  } finally {
    await Promise.all([stopChild(app), stopChild(floor)]);
    clearQueuedEmails();
  }
}

/**
 * The intake runs queue confirmation emails to made-up addresses faster than the
 * mail folder takes them; a reused database starts without them, as an idle desk
 * would, so the next run's start and idle memory are not spent sending them.
 */
function clearQueuedEmails(): void {
  const sqlite = new Database(path.join(dataDir, 'refunddesk.sqlite'));
  sqlite.prepare("DELETE FROM outbox WHERE kind = 'email' AND status = 'pending'").run();
  sqlite.close();
}

/** Streams every issued decision to CSV in a child process; time and RSS growth. */
async function exportDecisions(): Promise<{ ms: number; rows: number; rssGrowthMb: number } | null> {
  const child = startProcess(path.join(root, 'test', 'bench', 'export-child.ts'), { DATA_DIR: dataDir });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  try {
    return JSON.parse(text.trim().split('\n').pop()!) as { ms: number; rows: number; rssGrowthMb: number };
  } catch {
    return null;
  }
}

function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
