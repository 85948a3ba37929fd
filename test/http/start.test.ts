// `npm start` for real: the bundle `npm run build` makes (what prestart runs), as a
// child process on a fresh data folder, as a new install would.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { freePort } from '../support/loopback';

const root = path.join(import.meta.dirname, '..', '..');

/** Starts dist/main.js the way `npm start` does and resolves with its output once it listens. */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (out.includes('RefundDesk is listening')) resolve({ child, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('npm start on a fresh data folder', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-start-'));
  before(() => {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
    expect(fs.statSync(path.join(root, 'dist', 'main.js')).size).to.be.greaterThan(0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('When started twice, then it migrates, serves the form, prints a generated admin password only the first time, and logs no secret', async () => {
    const port = await freePort();
    const env = { DATA_DIR: path.join(dir, 'data'), UPLOAD_DIR: path.join(dir, 'uploads'), PORT: String(port), HOST: '127.0.0.1' };

    const first = await start(env);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).to.equal(200);
      expect(await res.text()).to.include('action="/tickets"');
    } finally {
      await stop(first.child);
    }
    const printed = /First admin created: admin@localhost \/ (\S+)/.exec(first.output());
    expect(printed, first.output()).to.not.equal(null);
    expect(fs.existsSync(path.join(dir, 'data', 'refunddesk.sqlite'))).to.equal(true);
    const secret = fs.readFileSync(path.join(dir, 'data', 'secret'), 'utf8');

    const second = await start(env);
    await stop(second.child);
    expect(second.output()).to.not.include('First admin created').and.not.include(printed![1]!);
    expect(first.output() + second.output()).to.not.include(secret);
  });
});
