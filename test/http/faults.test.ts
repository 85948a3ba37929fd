// Faults with real parts on loopback: a mail server and a webhook receiver that are
// down and come back, a second connection holding the write lock, and the desk
// process killed with SIGKILL while tickets with screenshots are being filed.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import pino from 'pino';
import sharp from 'sharp';
import request from 'supertest';
import { createApiToken } from '../../server/api/tokens';
import { seal } from '../../server/security/sealed';
import { writeSetting } from '../../server/settings/store';
import { sweepOrphanFiles } from '../../server/uploads/sweep';
import { enqueueWebhook } from '../../server/webhooks/outbox';
import { WebhookSender } from '../../server/webhooks/sender';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { deskEnv, ROOT, startDeskProcess } from '../support/desk-process';
import { png } from '../support/images';
import { freePort, startReceiver, startSmtpAt } from '../support/loopback';

const SECOND = 1000;
const HOUR = 3_600_000;

/** A screenshot that takes sharp a while: noise does not compress. */
function noisePng(width: number, height: number): Promise<Buffer> {
  return sharp(crypto.randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
}

describe('faults: the mail server is down for a while', () => {
  it('When SMTP is unreachable, then the email stays queued with growing backoff, and once the server is back and the time comes it is delivered exactly once', async () => {
    const port = await freePort();
    let now = Date.now();
    // A desk whose clock the test moves.
    const desk = await startTestDesk({ SMTP_URL: `smtp://127.0.0.1:${port}` }, { clock: () => now });
    let smtp: Awaited<ReturnType<typeof startSmtpAt>> | undefined;
    try {
      const { number } = confirmationOf(await postTicket(desk.agent(), { email: 'down@example.com', orderIds: '61001' }));
      const row = () => desk.db.$client.prepare("select * from outbox where kind = 'email'").get() as Record<string, number | string | null>;

      expect(await desk.outbox.drain()).to.equal(0);
      expect(row()).to.include({ status: 'pending', attempts: 1, next_attempt_at: now + 30 * SECOND });
      expect(row().last_error).to.match(/ECONNREFUSED/);
      // Not due yet: no new attempt.
      expect(await desk.outbox.drain()).to.equal(0);
      expect(row().attempts).to.equal(1);

      now += 31 * SECOND;
      expect(await desk.outbox.drain()).to.equal(0);
      expect(row()).to.include({ status: 'pending', attempts: 2, next_attempt_at: now + 60 * SECOND });

      smtp = await startSmtpAt(port);
      expect(await desk.outbox.drain(), 'still waiting for its time').to.equal(0);
      expect(smtp.messages).to.have.length(0);

      now += 61 * SECOND;
      expect(await desk.outbox.drain()).to.equal(1);
      expect(smtp.messages).to.have.length(1);
      expect(smtp.messages[0]!.subject).to.include(number);
      expect(row()).to.include({ status: 'sent', attempts: 3, last_error: null, sent_at: now });

      now += 5 * HOUR;
      expect(await desk.outbox.drain()).to.equal(0);
      expect(smtp.messages).to.have.length(1);
    } finally {
      await desk.cleanup();
      await smtp?.close();
    }
  });
});

describe('faults: the webhook receiver is down, then slow', () => {
  const SIGNING = 'whsec_faults-receiver';
  let desk: TestDesk;
  let now = Date.now();
  const clock = () => now;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());
  beforeEach(() => {
    now = Date.now();
    desk.db.$client.prepare("update outbox set status = 'failed' where kind = 'webhook' and status = 'pending'").run();
  });

  function point(port: number) {
    writeSetting(desk.db, 'webhookUrl', `http://127.0.0.1:${port}/hooks`, Date.now());
    writeSetting(desk.db, 'webhookSecretSealed', seal(desk.secret, SIGNING), Date.now());
    return new WebhookSender({ db: desk.db, secret: desk.secret, log: pino({ level: 'silent' }), clock, timeoutMs: 300 });
  }
  const row = (id: unknown) => desk.db.$client.prepare('select status, attempts, next_attempt_at, last_error from outbox where id = ?').get(id) as Record<string, unknown>;
  const lastId = () => desk.db.$client.prepare("select max(id) id from outbox where kind = 'webhook'").get() as { id: number };

  it('When nothing listens, then the event is retried with backoff and, once the receiver is back, delivered once and never again', async () => {
    const port = await freePort();
    const sender = point(port);
    enqueueWebhook(desk.db, 'ticket.resolved', { ticket: 'RD-DOWN-0001' }, now);
    const { id } = lastId();

    expect(await sender.drain()).to.equal(0);
    expect(row(id)).to.include({ status: 'pending', attempts: 1 });
    expect(row(id).last_error).to.match(/ECONNREFUSED/);
    now += 34 * SECOND;
    expect(await sender.drain()).to.equal(0);
    expect(row(id)).to.include({ status: 'pending', attempts: 2 });

    const receiver = await startReceiver({ port });
    try {
      now += 70 * SECOND;
      expect(await sender.drain()).to.equal(1);
      expect(row(id)).to.include({ status: 'sent', attempts: 3, last_error: null });
      now += 3 * HOUR;
      expect(await sender.drain()).to.equal(0);
      expect(receiver.received).to.have.length(1);
      expect(JSON.parse(receiver.received[0]!.body).data).to.deep.equal({ ticket: 'RD-DOWN-0001' });
    } finally {
      await receiver.close();
    }
  });

  it('When the receiver answers after the timeout, then the attempt counts as failed and the retry carries the same delivery id; after a 2xx nothing more is sent', async () => {
    const port = await freePort();
    const receiver = await startReceiver({ port });
    receiver.behaviour.delayMs = 1000;
    try {
      const sender = point(port);
      enqueueWebhook(desk.db, 'ticket.resolved', { ticket: 'RD-SLOW-0001' }, now);
      const { id } = lastId();
      expect(await sender.drain()).to.equal(0);
      expect(row(id)).to.include({ status: 'pending', attempts: 1, last_error: 'timeout after 300 ms' });

      receiver.behaviour.delayMs = 0;
      now += 35 * SECOND;
      expect(await sender.drain()).to.equal(1);
      now += 3 * HOUR;
      expect(await sender.drain()).to.equal(0);
      // The receiver saw it twice (the first answer came too late); the id lets it drop the repeat.
      expect(receiver.received).to.have.length(2);
      const delivery = (i: number) => receiver.received[i]!.headers['x-refunddesk-delivery'];
      expect(delivery(0)).to.be.a('string');
      expect(delivery(1)).to.equal(delivery(0));
      expect(row(id)).to.include({ status: 'sent', attempts: 2 });
    } finally {
      await receiver.close();
    }
  });
});

describe('faults: another connection holds the write lock', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());

  /**
   * A separate process (so this one's busy wait does not stall it) that holds BEGIN IMMEDIATE for `ms`.
   * `released` resolves, once the holder is gone, with the moment (Date.now() in the holder) it
   * began to let go, taken just before its COMMIT: no write of the desk can end before that.
   */
  function holdWriteLock(ms: number): Promise<{ released: Promise<number> }> {
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      setTimeout(() => { process.stdout.write('releasing ' + Date.now() + '\\n'); db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
    const child = spawn(process.execPath, ['-e', script, path.join(desk.dir, 'data', 'refunddesk.sqlite'), String(ms)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let said = '';
    child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
    // 'close', not 'exit': by then all it wrote has been read.
    const done = new Promise<number>((resolve, reject) =>
      child.on('close', () => {
        const at = /releasing (\d+)/.exec(said);
        if (at) resolve(Number(at[1]));
        else reject(new Error(`lock holder never let go: ${said}`));
      }),
    );
    done.catch(() => undefined);
    return new Promise((resolve, reject) => {
      child.stdout.on('data', () => {
        // Wrapped: resolving with the promise itself would wait for the release.
        if (said.includes('locked')) resolve({ released: done });
      });
      child.on('exit', (code) => reject(new Error(`lock holder exited with ${code} before locking`)));
    });
  }

  it('When a ticket with a screenshot is filed while the lock is held for a second, then the request waits for it and succeeds', async () => {
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, '/tickets/new');
    const shot = await png();
    const { released } = await holdWriteLock(1000);
    const res = await postTicket(agent, { email: 'busy@example.com', orderIds: '62001' }, [{ name: 'shot.png', data: shot }], { csrf });
    const answeredAt = Date.now();
    const releasedAt = await released;
    const { number } = confirmationOf(res);
    expect(answeredAt, 'it waited for the lock: the answer came only after the holder let go').to.be.at.least(releasedAt);
    const ticket = desk.db.$client.prepare('select id from tickets where number = ?').get(number) as { id: number };
    expect(desk.db.$client.prepare('select count(*) n from attachments where ticket_id = ?').get(ticket.id)).to.deep.equal({ n: 1 });
    expect(desk.db.$client.prepare('select count(*) n from ticket_orders where ticket_id = ?').get(ticket.id)).to.deep.equal({ n: 1 });
  });

  it('When the panel API files a ticket while the lock is held, then it answers 201 once the lock is released', async () => {
    const token = createApiToken(desk.db, 'panel', ['tickets:write'], Date.now()).token;
    const { released } = await holdWriteLock(1000);
    const res = await desk
      .agent()
      .post('/api/v1/tickets')
      .set('Authorization', `Bearer ${token}`)
      .send({ email: 'busy-api@example.com', orderIds: ['62002'], link: 'https://instagram.com/p/busy', reason: 'not_started', details: 'Never started.', preferredResolution: 'balance', language: 'en' });
    const answeredAt = Date.now();
    const releasedAt = await released;
    expect(res.status, res.text).to.equal(201);
    expect(answeredAt, 'it waited for the lock: the answer came only after the holder let go').to.be.at.least(releasedAt);
    expect(desk.db.$client.prepare('select count(*) n from tickets where email = ?').get('busy-api@example.com')).to.deep.equal({ n: 1 });
  });
});

describe('faults: the start-up sweep of upload files', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());

  it('When it runs, then old files no row names and temp files go; images with rows, their thumbnails, staged screenshots, young files and foreign files stay', async () => {
    const agent = desk.agent();
    const { number, token } = confirmationOf(await postTicket(agent, { email: 'sweep@example.com', orderIds: '63001' }, [{ name: 'a.png', data: await png() }]));
    const attached = desk.db.$client.prepare('select a.id, a.storage_name, a.thumb_name from attachments a join tickets t on t.id = a.ticket_id where t.number = ?').get(number) as Record<string, string>;
    expect((await agent.get(`/t/${number}/files/${attached.id}?k=${token}&size=thumb`)).status).to.equal(200);
    // A form sent back with an error keeps its screenshot staged.
    expect((await postTicket(desk.agent(), { email: 'not-an-email', orderIds: '63002' }, [{ name: 'b.png', data: await png(20, 20) }])).status).to.equal(422);
    const staged = desk.db.$client.prepare('select storage_name from attachments where ticket_id is null').get() as { storage_name: string };

    const dir = desk.store.dir;
    const old = new Date(Date.now() - HOUR);
    const plant = (name: string, age: Date | null = old) => {
      fs.writeFileSync(path.join(dir, name), 'x');
      if (age) fs.utimesSync(path.join(dir, name), age, age);
      return name;
    };
    const id = () => crypto.randomBytes(18).toString('base64url');
    const orphanId = id();
    const gone = [plant(`${orphanId}.png`), plant(`${orphanId}-thumb.webp`), plant(`${id()}.gif.part`), plant(`${id()}.tmp`)];
    const young = plant(`${id()}.jpg`, null);
    const foreign = plant('notes.txt');
    for (const name of [attached.storage_name!, attached.thumb_name!, staged.storage_name]) fs.utimesSync(path.join(dir, name), old, old);

    const removed = await sweepOrphanFiles(desk.db, desk.store, Date.now(), 10 * 60_000);
    expect(removed.sort()).to.deep.equal([...gone].sort());
    expect(fs.readdirSync(dir).sort()).to.deep.equal([attached.storage_name, attached.thumb_name, staged.storage_name, young, foreign].sort());
  });
});

describe('faults: the desk killed with SIGKILL in the middle of intakes', function () {
  this.timeout(120_000);
  // Made when the tests run, not when the file loads (a -g filter would leave it behind).
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-kill-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('When the process is killed while tickets with screenshots are being filed, then after a restart every ticket is whole and no upload file is left without its row', async () => {
    const env = deskEnv(dir, await freePort());
    const uploads = env.UPLOAD_DIR!;
    const first = await startDeskProcess(env);
    const shots = await Promise.all([0, 1, 2, 3].map(() => noisePng(800, 600)));
    const N = 12;
    const agents = Array.from({ length: N }, () => request.agent(first.url));
    const tokens = await Promise.all(agents.map((a) => csrfFrom(a, '/tickets/new')));
    let through = 0;
    const answers = await Promise.all(
      agents.map((agent, i) =>
        postTicket(agent, { email: `kill${i}@example.com`, orderIds: String(64_000 + i) }, shots.map((data, j) => ({ name: `s${j}.png`, data })), { csrf: tokens[i] }).then(
          (res) => {
            // A few tickets through: the rest are somewhere between upload, encoding, files and rows.
            if (++through === 3) first.child.kill('SIGKILL');
            return confirmationOf(res);
          },
          (err: Error) => err,
        ),
      ),
    );
    if (through < 3) first.child.kill('SIGKILL');
    expect(await first.exited).to.deep.equal({ code: null, signal: 'SIGKILL' });
    const filed = answers.filter((a): a is { number: string; token: string } => !(a instanceof Error));
    expect(filed.length, 'some requests were cut off').to.be.within(1, N - 1);

    // The restart comes a minute later; a file written just now (by some other writer) is left alone.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    const leftBehind = fs.readdirSync(uploads);
    for (const name of leftBehind) fs.utimesSync(path.join(uploads, name), aMinuteAgo, aMinuteAgo);
    const planted = [`${crypto.randomBytes(18).toString('base64url')}.png`, `${crypto.randomBytes(18).toString('base64url')}.webp.part`];
    for (const name of planted) {
      fs.writeFileSync(path.join(uploads, name), 'half');
      fs.utimesSync(path.join(uploads, name), aMinuteAgo, aMinuteAgo);
    }
    const young = `${crypto.randomBytes(18).toString('base64url')}.gif`;
    fs.writeFileSync(path.join(uploads, young), 'being written');

    const second = await startDeskProcess(env);
    expect(await second.stop()).to.deep.equal({ code: 0, signal: null });

    const db = new Database(path.join(env.DATA_DIR!, 'refunddesk.sqlite'), { readonly: true });
    try {
      const all = <T>(q: string, ...args: unknown[]) => db.prepare(q).all(...args) as T[];
      const count = (q: string, ...args: unknown[]) => (db.prepare(q).pluck().get(...args) as number);
      expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      const tickets = all<{ id: number; number: string; email: string }>("select id, number, email from tickets where email like 'kill%'");
      expect(tickets.map((t) => t.number)).to.include.members(filed.map((f) => f.number));
      for (const t of tickets) {
        const i = Number(/^kill(\d+)@/.exec(t.email)![1]);
        expect(all('select order_id from ticket_orders where ticket_id = ?', t.id), t.number).to.deep.equal([{ order_id: String(64_000 + i) }]);
        expect(count('select count(*) from ticket_access_tokens where ticket_id = ?', t.id), t.number).to.equal(1);
        expect(count("select count(*) from audit_events where ticket_id = ? and action = 'ticket.created'", t.id), t.number).to.equal(1);
        expect(count("select count(*) from outbox where kind = 'email' and payload like ?", `%${t.number}%`), t.number).to.equal(1);
        expect(count("select count(*) from outbox where kind = 'webhook' and payload like ?", `%${t.number}%`), t.number).to.equal(1);
        expect(count('select count(*) from attachments where ticket_id = ?', t.id), t.number).to.equal(4);
      }
      // A form whose ticket never came keeps all its screenshots staged, or none.
      for (const n of all<{ n: number }>('select count(*) n from attachments where ticket_id is null group by stage_key_hash')) expect(n.n).to.equal(4);

      const named = all<{ storage_name: string }>('select storage_name from attachments').map((r) => r.storage_name);
      const onDisk = fs.readdirSync(uploads);
      // Exactly the named files and the young one: every file the kill left behind that no row names is gone.
      expect(onDisk.sort()).to.deep.equal([...named, young].sort());
    } finally {
      db.close();
    }
    expect(second.output()).to.include('removed upload files no attachment refers to');
  });
});
