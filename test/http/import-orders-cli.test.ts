// The CSV import from the command line, run as a user would: a real process on
// its own data folder, the database then opened to see what it stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { deskEnv, runScript } from '../support/desk-process';

describe('orders: npm run import:orders', function () {
  // Each test starts the CLI once or a few times (spawnSync used to allow each one 60 s).
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const dataDir = () => path.join(dir, 'data');
  /** Runs the CLI as the desk on this folder would be set up (a CLI listens on no port, hence 0). */
  function run(...args: string[]) {
    return runScript('import-orders', args, deskEnv(dir, 0, { SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent' }));
  }
  function query(q: string) {
    const db = new Database(path.join(dataDir(), 'refunddesk.sqlite'), { readonly: true });
    try {
      return db.prepare(q).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  function csv(name: string, lines: string[]) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  }

  const file = () =>
    csv('orders.csv', [
      'Order #;Mail;URL;Qty;Price;State;Created;Notes',
      '7001;a@example.com;https://t.me/a;100;1.5;Completed;2026-11-20T10:00:00Z;x',
      '7002;b@example.com;https://t.me/b;200;2.5;Pending;2026-11-20T11:00:00Z;"y',
      'z"',
      '7003;no-email;https://t.me/c;300;3.5;Pending;2026-11-20T12:00:00Z;',
    ]);

  it('When it is run without a file or with an unknown option, then it prints the usage and exits 2', async () => {
    const none = await run();
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include('Usage:');
    const unknown = await run(file(), '--force');
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('Unknown option --force');
    const badMap = await run(file(), '--map', 'Nope=id');
    expect(badMap.code).to.equal(2);
    expect(badMap.stderr).to.include('--map names columns the file does not have: Nope');
  });

  it('When it is run with --dry-run, then it prints the mapping, the counts and each error by line, and writes no order', async () => {
    const out = await run('--dry-run', file(), '--map', 'Notes=status, Mail=customerEmail,State=ignore');
    expect(out.code, out.stderr).to.equal(1);
    expect(out.stdout).to.include('"Order #" → id').and.include('"Mail" → customerEmail').and.include('"Notes" → status').and.include('"State" → (ignored)');
    expect(out.stdout).to.include('Would create 2').and.include('1 of 3 lines with errors');
    expect(out.stdout).to.include('line 5: customerEmail: Enter a valid email address, like name@example.com.\nline 5: status: This field is required.');
    expect(query('select count(*) n from orders')).to.deep.equal([{ n: 0 }]);
    expect(query("select count(*) n from audit_events where action = 'orders.imported'")).to.deep.equal([{ n: 0 }]);
  });

  it('When it is run for real, then the good rows are stored in the currency given and an audit event is written', async () => {
    const out = await run(file(), '--currency', 'eur');
    expect(out.code, out.stderr).to.equal(1);
    expect(out.stdout).to.include('Created 2, updated 0, unchanged 0');
    expect(query('select id, currency, charge_micros, status from orders order by id')).to.deep.equal([
      { id: '7001', currency: 'EUR', charge_micros: 1_500_000, status: 'completed' },
      { id: '7002', currency: 'EUR', charge_micros: 2_500_000, status: 'pending' },
    ]);
    const [event] = query("select actor_type, data from audit_events where action = 'orders.imported'");
    expect(event!.actor_type).to.equal('system');
    expect(JSON.parse(event!.data as string)).to.include({ fileName: 'orders.csv', created: 2, errors: 1 });
  });

  it('When every row is good, then it exits 0, and running it again finds every row unchanged', async () => {
    const good = csv('good.csv', ['Order ID,Email,Link,Quantity,Charge,Status,Date', '7010,c@example.com,https://t.me/d,10,0.1,Completed,1763632800']);
    const first = await run(good);
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(first.stdout).to.include('Created 1');
    const again = await run(good);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.include('Created 0, updated 0, unchanged 1');
    expect(query("select count(*) n from orders where id = '7010'")).to.deep.equal([{ n: 1 }]);
  });

  it('When the file lacks a required column, then it says which and exits 1 without writing', async () => {
    const out = await run(csv('short.csv', ['Order ID,Email', '1,a@example.com']));
    expect(out.code).to.equal(1);
    expect(out.stderr).to.include('link, quantity, charge, status, createdAt');
    expect(query("select count(*) n from orders where id = '1'")).to.deep.equal([{ n: 0 }]);
  });
});
