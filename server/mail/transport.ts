// Sends over SMTP_URL with nodemailer; with no SMTP_URL, writes each message as an
// .eml file under the data folder and logs where.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
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
  // nodemailer is loaded with the first email, not at start (start time and idle memory).
  let transport: Promise<Transporter> | null = null;
  const connect = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      opts.smtpUrl
        ? nodemailer.createTransport(opts.smtpUrl)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
    ));
  if (opts.smtpUrl) {
    return {
      async send(e) {
        await (await connect()).sendMail(message(e));
      },
    };
  }
  return {
    async send(e) {
      const info = (await (await connect()).sendMail(message(e))) as { message: Buffer };
      await fs.mkdir(opts.mailDir, { recursive: true });
      const file = path.join(opts.mailDir, `${Date.now()}-${newToken(6)}.eml`);
      await fs.writeFile(file, info.message);
      opts.log.info({ file }, 'email written to file (no SMTP_URL set)');
    },
  };
}
