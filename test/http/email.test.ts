import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { confirmationOf, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { startSmtpAt, type HeldSmtp } from '../support/loopback';

describe('email: confirmation over SMTP', () => {
  let smtp: HeldSmtp;
  let desk: TestDesk;
  before(async () => {
    smtp = await startSmtpAt(0);
    desk = await startTestDesk({ SMTP_URL: smtp.url, MAIL_FROM: 'RefundDesk <desk@desk.test>' });
  });
  after(async () => {
    await desk.cleanup();
    await smtp.close();
  });

  for (const [lng, dir, word] of [
    ['ar', 'rtl', /[\u0600-\u06FF]/],
    ['uk', 'ltr', /[\u0400-\u04FF]/],
    ['en', 'ltr', /received/],
  ] as const) {
    it(`When a ticket is filed in ${lng}, then the SMTP server receives the confirmation in ${lng} with a working link`, async () => {
      const before = smtp.messages.length;
      const { number, token } = confirmationOf(await postTicket(desk.agent(), { lng, email: `${lng}-mail@example.com`, orderIds: String(8100 + before) }));
      expect(await desk.outbox.drain()).to.equal(1);
      expect(smtp.messages).to.have.length(before + 1);
      const mail = smtp.messages[before]!;
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').to.equal(`${lng}-mail@example.com`);
      expect(mail.subject).to.match(word).and.include(number);
      expect(mail.headers.get('content-language')).to.equal(lng);
      expect(mail.html).to.include(`<html lang="${lng}" dir="${dir}">`);
      expect(mail.text).to.match(word);
      const link = `http://desk.test/t/${number}?k=${token}&lng=${lng}`;
      expect(mail.text).to.include(link);
      expect(mail.html).to.include(`href="${link.replace('&', '&amp;')}"`);
      // A fresh browser following the link sees the ticket in the ticket's language.
      const page = await desk.agent().get(link.replace('http://desk.test', '')).set('Accept-Language', 'fr');
      expect(page.status).to.equal(200);
      expect(page.text).to.include(number).and.include(`<html lang="${lng}" dir="${dir}">`);
      // After delivery the outbox keeps who and what, not the link.
      const row = desk.db.$client.prepare("select status, payload from outbox where kind = 'email' order by id desc limit 1").get() as { status: string; payload: string };
      expect(row.status).to.equal('sent');
      expect(row.payload).to.not.include(token);
    });
  }
});

describe('email: retries and the file fallback', () => {
  it('When the SMTP server is down, then the email stays queued with a later attempt, and is sent once it is back', async () => {
    const smtp = await startSmtpAt(0);
    const url = smtp.url;
    await smtp.close();
    const desk = await startTestDesk({ SMTP_URL: url });
    try {
      confirmationOf(await postTicket(desk.agent(), { orderIds: '1' }));
      expect(await desk.outbox.drain()).to.equal(0);
      const row = desk.db.$client.prepare("select * from outbox where kind = 'email'").get() as Record<string, number | string>;
      expect(row).to.include({ status: 'pending', attempts: 1 });
      expect(row.next_attempt_at as number).to.be.greaterThan(Date.now() + 20_000);
      expect(row.last_error).to.be.a('string');
    } finally {
      await desk.cleanup();
    }
  });

  it('When no SMTP_URL is set, then each email is written as an .eml file under the data folder', async () => {
    const desk = await startTestDesk();
    try {
      const { number } = confirmationOf(await postTicket(desk.agent(), { orderIds: '2' }));
      expect(await desk.outbox.drain()).to.equal(1);
      const dir = path.join(desk.dir, 'data', 'mail');
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
      expect(files).to.have.length(1);
      const eml = fs.readFileSync(path.join(dir, files[0]!), 'utf8');
      expect(eml).to.include(`Ticket ${number} received`).and.include('To: buyer@example.com');
    } finally {
      await desk.cleanup();
    }
  });
});
