// npm run backup while the desk takes tickets, npm run restore into a fresh folder,
// and a desk booted on the restored folder serving a restored ticket and screenshot.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import pino from 'pino';
import request from 'supertest';
import { countRows, type Manifest } from '../../server/cli/backup-files';
import { loadConfig } from '../../server/config';
import { bootDesk } from '../../server/runtime';
import { confirmationOf, postTicket } from '../support/desk';
import { deskEnv, runScript, startDeskProcess } from '../support/desk-process';
import { png } from '../support/images';
import { freePort, until } from '../support/loopback';

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function tableCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return countRows(db);
  } finally {
    db.close();
  }
}

describe('backup and restore', function () {
  this.timeout(120_000);
  // Made when the tests run, not when the file loads (a -g filter would leave it behind).
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-backup-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('When a backup is taken while tickets with screenshots keep coming, then it restores into a fresh folder with the manifest\'s rows and files, and a desk there serves a restored ticket and its screenshot', async () => {
    const live = deskEnv(path.join(dir, 'live'), await freePort());
    const desk = await startDeskProcess(live);

    // Write load: two clients filing tickets with a screenshot each, one after another.
    const filed: { number: string; token: string }[] = [];
    let stop = false;
    let seq = 0;
    const shot = await png(320, 240, '#aa3355');
    const client = async () => {
      while (!stop) {
        const n = ++seq;
        const res = await postTicket(request.agent(desk.url), { email: `load${n}@example.com`, orderIds: String(73_000 + n) }, [{ name: `load${n}.png`, data: shot }]);
        filed.push(confirmationOf(res));
      }
    };
    const load = Promise.all([client(), client()]);
    let backupDir: string;
    try {
      await until('a few tickets', () => filed.length >= 6, 30_000);
      const backup = await runScript('backup', [], live);
      expect(backup.code, backup.stderr).to.equal(0);
      backupDir = backup.stdout.trim().split('\n').pop()!;
      expect(path.basename(backupDir)).to.match(/^refunddesk-\d{8}-\d{6}$/);
      expect(path.dirname(backupDir)).to.equal(path.join(live.DATA_DIR!, 'backups'));
      const afterBackup = filed.length;
      await until('more tickets after the backup', () => filed.length >= afterBackup + 3, 30_000);

      // While the desk runs, a restore over its data is refused and changes nothing.
      const refused = await runScript('restore', [backupDir], live);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.include('open by a running desk');
      expect(fs.readdirSync(live.DATA_DIR!).filter((f) => f.includes('before-restore'))).to.deep.equal([]);
    } finally {
      stop = true;
      await load;
      expect(await desk.stop()).to.deep.equal({ code: 0, signal: null });
    }

    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest).to.include({ format: 'refunddesk-backup/1', secretIncluded: true });
    expect(manifest.missing).to.deep.equal([]);
    for (const f of manifest.files) expect(sha256(path.join(backupDir, f.path)), f.path).to.equal(f.sha256);
    const liveCounts = tableCounts(path.join(live.DATA_DIR!, 'refunddesk.sqlite'));
    expect(manifest.tables.tickets).to.be.at.least(6);
    expect(liveCounts.tickets, 'tickets kept coming after the snapshot').to.be.greaterThan(manifest.tables.tickets!);
    // One snapshot: every ticket in it is whole.
    expect(manifest.tables.ticket_orders).to.equal(manifest.tables.tickets);
    expect(manifest.tables.ticket_access_tokens).to.equal(manifest.tables.tickets);
    const uploadsInBackup = manifest.files.filter((f) => f.path.startsWith('uploads/'));
    expect(uploadsInBackup.length).to.be.at.least(manifest.tables.attachments!);

    // A backup that was changed after it was made is not restored.
    const tampered = path.join(dir, 'tampered');
    fs.cpSync(backupDir, tampered, { recursive: true });
    fs.appendFileSync(path.join(tampered, uploadsInBackup[0]!.path), 'x');
    const fresh = deskEnv(path.join(dir, 'restored'), await freePort());
    const bad = await runScript('restore', [tampered], fresh);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('does not match its manifest').and.include(uploadsInBackup[0]!.path);
    expect(fs.existsSync(fresh.DATA_DIR!)).to.equal(false);

    const restored = await runScript('restore', [backupDir], fresh);
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stdout).to.include(`Restored ${manifest.tables.tickets} tickets`);
    const restoredDb = path.join(fresh.DATA_DIR!, 'refunddesk.sqlite');
    expect(tableCounts(restoredDb)).to.deep.equal(manifest.tables);
    expect(fs.readdirSync(fresh.UPLOAD_DIR!).sort()).to.deep.equal(uploadsInBackup.map((f) => path.basename(f.path)).sort());
    for (const f of uploadsInBackup) expect(sha256(path.join(fresh.UPLOAD_DIR!, path.basename(f.path))), f.path).to.equal(f.sha256);
    expect(fs.readFileSync(path.join(fresh.DATA_DIR!, 'secret'), 'utf8')).to.equal(fs.readFileSync(path.join(live.DATA_DIR!, 'secret'), 'utf8'));

    // A desk on the restored folder (its secret from the restored file) serves what was filed before the backup.
    const second = await bootDesk(loadConfig({ ...fresh, LOG_LEVEL: 'silent' }), { log: pino({ level: 'silent' }) });
    try {
      const numbers = new Set((second.db.$client.prepare('select number from tickets').pluck().all() as string[]));
      const ticket = filed.find((f) => numbers.has(f.number))!;
      expect(ticket).to.not.equal(undefined);
      const agent = request.agent(second.app);
      const page = await agent.get(`/t/${ticket.number}?k=${ticket.token}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include(ticket.number);
      const link = new RegExp(`/t/${ticket.number}/files/(\\d+)\\?k=`).exec(page.text);
      expect(link, 'the page links its screenshot').to.not.equal(null);
      const image = await agent.get(`/t/${ticket.number}/files/${link![1]}?k=${ticket.token}`).buffer(true);
      expect(image.status).to.equal(200);
      expect(image.headers['content-type']).to.equal('image/png');
      const name = second.db.$client.prepare('select storage_name from attachments where id = ?').pluck().get(Number(link![1])) as string;
      expect(image.body.equals(fs.readFileSync(path.join(fresh.UPLOAD_DIR!, name)))).to.equal(true);
      const thumb = await agent.get(`/t/${ticket.number}/files/${link![1]}?k=${ticket.token}&size=thumb`);
      expect(thumb.status).to.equal(200);

      // The lock check sees any open connection, not only a desk started by npm start.
      const busy = await runScript('restore', [backupDir], fresh);
      expect(busy.code).to.equal(1);
      expect(busy.stderr).to.include('open by a running desk');
    } finally {
      await second.close();
    }

    // Restoring over a folder in use sets the current database, uploads and secret aside.
    const again = await runScript('restore', [backupDir], fresh);
    expect(again.code, again.stderr).to.equal(0);
    const aside = (folder: string, prefix: string) => fs.readdirSync(folder).filter((f) => f.startsWith(`${prefix}.before-restore-`));
    expect(aside(fresh.DATA_DIR!, 'refunddesk.sqlite')).to.have.length(1);
    expect(aside(fresh.DATA_DIR!, 'secret')).to.have.length(1);
    expect(aside(path.dirname(fresh.UPLOAD_DIR!), 'uploads')).to.have.length(1);
    expect(tableCounts(path.join(fresh.DATA_DIR!, aside(fresh.DATA_DIR!, 'refunddesk.sqlite')[0]!)).tickets).to.equal(manifest.tables.tickets);
    expect(again.stdout).to.include('Set aside:');
  });
});
