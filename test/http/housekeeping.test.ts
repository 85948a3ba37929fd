import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startTestDesk, type TestDesk } from '../support/desk';
import { captureLog } from '../support/log';

describe('housekeeping', () => {
  let desk: TestDesk;
  const { log, records: logged } = captureLog('warn');
  before(async () => {
    desk = await startTestDesk({}, { log });
  });
  after(() => desk.cleanup());

  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];

  it('When one chore fails, then the others still run and the failure is logged with its name', async () => {
    // The imports folder cannot be read (a file stands where it should be).
    const imports = path.join(desk.dir, 'data', 'imports');
    fs.rmSync(imports, { recursive: true, force: true });
    fs.writeFileSync(imports, 'not a folder');
    const adminId = sql("select id from staff_users where email = 'admin@desk.test'")[0]!.id;
    desk.db.$client.prepare('insert into sessions (token_hash, user_id, created_at, expires_at) values (?, ?, ?, ?)').run('h'.repeat(64), adminId, 1, 2);

    await desk.housekeeping();

    expect(sql('select count(*) n from sessions where token_hash = ?', 'h'.repeat(64))[0]!.n, 'expired sessions were deleted').to.equal(0);
    const failures = logged.filter((l) => l.msg === 'housekeeping step failed');
    expect(failures.map((l) => l.step)).to.deep.equal(['stale imports']);
    expect((failures[0]!.err as { code?: string }).code).to.equal('ENOTDIR');
    fs.rmSync(imports);
  });

  it('When it runs, then it leaves the upload folder alone: orphans are swept at start-up only', async () => {
    const orphan = `${crypto.randomBytes(18).toString('base64url')}.png`;
    const file = path.join(desk.store.dir, orphan);
    fs.writeFileSync(file, 'x');
    const old = new Date(Date.now() - 24 * 3_600_000);
    fs.utimesSync(file, old, old);
    await desk.housekeeping();
    expect(fs.existsSync(file)).to.equal(true);
    fs.rmSync(file);
  });
});
