// A real SMTP server on loopback that keeps every message it receives, parsed.
import type { ParsedMail } from 'mailparser';
import { startSmtpAt } from './loopback';

export interface TestSmtp {
  url: string;
  messages: ParsedMail[];
  close(): Promise<void>;
}

/** An SMTP server on a free loopback port that accepts every message at once. */
export function startSmtp(): Promise<TestSmtp> {
  return startSmtpAt(0);
}
