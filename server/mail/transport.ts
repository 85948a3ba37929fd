// Sends over SMTP_URL with nodemailer; with no SMTP_URL, writes each message as an
// .eml file under the data folder and logs where.
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { newToken } from '../security/tokens';

export interface OutgoingEmail {
  to: string;
  lang: string;
  subject: string;
  html: string;
  text: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
}

export function createMailer(opts: { smtpUrl?: string; from: string; mailDir: string; log: Logger }): Mailer {
  const message = (e: OutgoingEmail) => ({
    from: opts.from,
    to: e.to,
    subject: e.subject,
    html: e.html,
    text: e.text,
    headers: { 'Content-Language': e.lang },
  });
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return {
      async send(e) {
        await transport.sendMail(message(e));
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(e) {
      const info = await transport.sendMail(message(e));
      await fs.mkdir(opts.mailDir, { recursive: true });
      const file = path.join(opts.mailDir, `${Date.now()}-${newToken(6)}.eml`);
      await fs.writeFile(file, info.message as Buffer);
      opts.log.info({ file }, 'email written to file (no SMTP_URL set)');
    },
  };
}
