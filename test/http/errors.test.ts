import { Writable } from 'node:stream';
import { expect } from 'chai';
import pino from 'pino';
import { confirmationOf, csrfFrom, postTicket, startTestDesk, type TestDesk } from '../support/desk';

describe('error pages and request logs', () => {
  let desk: TestDesk;
  const lines: string[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    desk = await startTestDesk({}, { log: pino({ level: 'info' }, sink) });
  });
  after(() => desk.cleanup());

  it('When a page does not exist, then the 404 page is in the visitor\'s language, right-to-left for Arabic', async () => {
    const res = await desk.agent().get('/nowhere').set('Accept-Language', 'ar,en;q=0.5');
    expect(res.status).to.equal(404);
    expect(res.text).to.include('<html lang="ar" dir="rtl">');
    expect(res.text).to.not.include('Not found');
  });

  it('When the language comes from ?lng, then it wins over Accept-Language and is remembered in a cookie', async () => {
    const agent = desk.agent();
    const first = await agent.get('/tickets/new?lng=uk').set('Accept-Language', 'ar');
    expect(first.text).to.include('<html lang="uk" dir="ltr">');
    const second = await agent.get('/tickets/new').set('Accept-Language', 'ar');
    expect(second.text).to.include('<html lang="uk" dir="ltr">');
    const unknown = await desk.agent().get('/tickets/new?lng=xx').set('Accept-Language', 'fr');
    expect(unknown.text).to.include('<html lang="en" dir="ltr">');
  });

  it('When every page is served, then it has a CSP without inline scripts and a language switcher', async () => {
    const res = await desk.agent().get('/tickets/new');
    expect(res.headers['content-security-policy']).to.include("script-src 'self'").and.not.include('unsafe-inline');
    for (const lng of ['en', 'ar', 'uk']) expect(res.text).to.include(`hreflang="${lng}"`);
  });

  it('When a form body is too large, then the 413 page answers', async () => {
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, '/tickets/lookup');
    const res = await agent.post('/tickets/lookup').type('form').send({ _csrf: csrf, email: 'x'.repeat(200_000), number: '1' });
    expect(res.status).to.equal(413);
    expect(res.text).to.include('Too large');
  });

  it('When the server fails, then the 500 page shows no stack trace and the log has the error', async () => {
    const brokenLines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        brokenLines.push(String(chunk));
        done();
      },
    });
    const broken = await startTestDesk({}, { log: pino({ level: 'info' }, sink) });
    try {
      broken.db.$client.close();
      const res = await broken.agent().get('/t/RD-2222-2222?k=abc');
      expect(res.status).to.equal(500);
      expect(res.text).to.include('Something went wrong').and.not.include('at ').and.not.include('.ts:');
      expect(brokenLines.join('')).to.include('request failed').and.include('database connection is not open');
    } finally {
      await broken.cleanup().catch(() => undefined);
    }
  });

  it('When requests carry private tokens and passwords, then the request log has neither', async () => {
    const { number, token } = confirmationOf(await postTicket(desk.agent(), { orderIds: '42' }));
    await desk.agent().get(`/t/${number}?k=${token}`);
    const agent = desk.agent();
    const csrf = await csrfFrom(agent, '/login');
    await agent.post('/login').type('form').send({ _csrf: csrf, email: 'admin@desk.test', password: 'admin-password-123' });
    const log = lines.join('');
    expect(log).to.include(`"path":"/t/${number}"`);
    expect(log).to.not.include(token).and.not.include('admin-password-123').and.not.include(csrf);
  });
});
