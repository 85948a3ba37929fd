// Long exports run as jobs, in this process, one at a time: the export_jobs row
// tells the progress page how far it got, and the file is written under
// <DATA_DIR>/exports/<key>.<ext> (as <key>.<ext>.part until complete, so a half
// file is never served). The queue lives in memory, with each job's request, so
// jobs a restart interrupted are marked failed at boot; files are deleted after 7 days.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Logger } from 'pino';
import { exportJobs } from '../../db/schema';
import { openReader, type Db } from '../db';
import { newToken } from '../security/tokens';
import { writeExport } from './export';
import { exportFileName, type ExportRequest } from './form';
import { purgeOldFiles } from '../web/old-files';

export type ExportJob = typeof exportJobs.$inferSelect;

export const EXPORT_TTL_MS = 7 * 24 * 3_600_000;
/** newToken()'s shape: 32 random bytes in base64url. */
const KEY = /^[\w-]{43}$/;
const FILE = /^[\w-]{43}\.(?:csv|xlsx)(?:\.part)?$/;

export function exportsDir(dataDir: string): string {
  return path.resolve(dataDir, 'exports');
}

export function isJobKey(value: unknown): value is string {
  return typeof value === 'string' && KEY.test(value);
}

/** At boot: a job that was queued or running when the process stopped will never finish. */
export function failInterruptedJobs(db: Db, now = Date.now()): number {
  return db
    .update(exportJobs)
    .set({ status: 'failed', error: 'interrupted', finishedAt: now })
    .where(inArray(exportJobs.status, ['queued', 'running']))
    .run().changes;
}

/** A finished job whose file housekeeping deletes (or has deleted) by now: its download is gone. */
export function isExpired(job: Pick<ExportJob, 'status' | 'finishedAt'>, now: number): boolean {
  return job.status === 'done' && job.finishedAt !== null && job.finishedAt + EXPORT_TTL_MS < now;
}

/** Deletes export files (and leftover partial files) older than 7 days; returns how many. */
export function purgeOldExports(dir: string, now: number): Promise<number> {
  return purgeOldFiles(dir, FILE, EXPORT_TTL_MS, now).then((names) => names.length);
}

export interface JobDeps {
  db: Db;
  dataDir: string;
  clock: () => number;
  /** rows between two progress updates of the job's row */
  progressEvery?: number;
  /** where a failed job's error goes (the job's row only says that it failed) */
  log?: Pick<Logger, 'error'>;
}

export class ExportJobs {
  private readonly queue: { key: string; request: ExportRequest }[] = [];
  private running: Promise<void> | null = null;
  readonly dir: string;

  constructor(private readonly deps: JobDeps) {
    this.dir = exportsDir(deps.dataDir);
  }

  /** Records the job and queues it; the work starts after the current request has its answer. */
  start(req: ExportRequest, staffId: number, rowsTotal: number): ExportJob {
    const job = this.deps.db
      .insert(exportJobs)
      .values({
        key: newToken(),
        kind: req.kind,
        format: req.format,
        filters: JSON.stringify(req.filters),
        language: req.language,
        status: 'queued',
        rowsTotal,
        fileName: exportFileName(req.kind, req.format, req.filters),
        createdBy: staffId,
        createdAt: this.deps.clock(),
      })
      .returning()
      .get();
    this.queue.push({ key: job.key, request: req });
    this.running ??= this.drain();
    return job;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  find(key: string): ExportJob | null {
    return this.deps.db.select().from(exportJobs).where(eq(exportJobs.key, key)).get() ?? null;
  }

  recent(staffId: number, limit = 10): ExportJob[] {
    return this.deps.db.select().from(exportJobs).where(eq(exportJobs.createdBy, staffId)).orderBy(desc(exportJobs.id)).limit(limit).all();
  }

  fileOf(job: Pick<ExportJob, 'key' | 'format'>): string {
    if (!isJobKey(job.key)) throw new Error('bad export job key');
    return path.join(this.dir, `${job.key}.${job.format}`);
  }

  private async drain(): Promise<void> {
    await setImmediate();
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) await this.run(next.key, next.request);
    } finally {
      this.running = null;
    }
  }

  private async run(key: string, req: ExportRequest): Promise<void> {
    const { db, clock } = this.deps;
    const every = this.deps.progressEvery ?? 5000;
    let part: string | null = null;
    let out: fs.WriteStream | null = null;
    try {
      const job = db
        .update(exportJobs)
        .set({ status: 'running' })
        .where(and(eq(exportJobs.key, key), eq(exportJobs.status, 'queued')))
        .returning()
        .get();
      if (!job) throw new Error('export job is no longer queued');
      const file = this.fileOf(job);
      part = `${file}.part`;
      await fsp.mkdir(this.dir, { recursive: true });
      out = fs.createWriteStream(part, { flags: 'wx', mode: 0o600 });
      let saved = 0;
      // Its own connection: a million-row walk neither fills nor flushes the desk's page cache.
      const reader = openReader(db.$client.name);
      const rows = await writeExport(reader, req, out, {
        onBatch: (soFar) => {
          if (soFar - saved < every) return;
          saved = soFar;
          db.update(exportJobs).set({ rowsDone: soFar }).where(eq(exportJobs.key, key)).run();
        },
      }).finally(() => reader.$client.close());
      await fsp.rename(part, file);
      db.update(exportJobs)
        .set({ status: 'done', rowsDone: rows, rowsTotal: rows, finishedAt: clock() })
        .where(eq(exportJobs.key, key))
        .run();
    } catch (err) {
      this.deps.log?.error({ err, job: key }, 'export job failed');
      out?.destroy();
      if (part) await fsp.rm(part, { force: true }).catch(() => {});
      try {
        db.update(exportJobs).set({ status: 'failed', error: 'failed', finishedAt: clock() }).where(eq(exportJobs.key, key)).run();
      } catch {
        // The database is already closed (the desk is shutting down): the next boot marks the job failed.
      }
    }
  }
}
