// `npm start` for real: the bundle `npm run build` makes (what prestart runs), as a
// child process on a fresh data folder, as a new install would.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, startDeskProcess, type DeskProcess } from '../support/desk-process';
import { freePort } from '../support/loopback';

/** Starts dist/main.js the way `npm start` does, with PATH and `env` only, and resolves once it listens. */
function start(env: Record<string, string>): Promise<DeskProcess> {
  return startDeskProcess({ PATH: process.env.PATH ?? '', ...env }, { entry: 'dist/main.js' });
}

describe('npm start on a fresh data folder', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-start-'));
  before(() => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
    expect(fs.statSync(path.join(ROOT, 'dist', 'main.js')).size).to.be.greaterThan(0);
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
      await first.stop();
    }
    const printed = /First admin created: admin@localhost \/ (\S+)/.exec(first.output());
    expect(printed, first.output()).to.not.equal(null);
    expect(fs.existsSync(path.join(dir, 'data', 'refunddesk.sqlite'))).to.equal(true);
    const secret = fs.readFileSync(path.join(dir, 'data', 'secret'), 'utf8');

    const second = await start(env);
    await second.stop();
    expect(second.output()).to.not.include('First admin created').and.not.include(printed![1]!);
    expect(first.output() + second.output()).to.not.include(secret);
  });
});
