// Loopback pieces for fault tests: free ports, and an SMTP server on a chosen port
// (started after the desk, to play a mail server that comes back) that can hold
// each message before accepting it (to catch a send in the middle).
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A port nothing listens on (until someone does). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once a TCP connection to the port is refused (nothing listens any more). */
export async function refused(port: number, withinMs = 5000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!open) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

export interface HeldSmtp {
  url: string;
  messages: ParsedMail[];
  /** how many messages have started arriving (DATA begun) */
  arriving: number;
  /** resolves when the next message starts arriving */
  nextArrival(): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server on `port`; with `hold`, each message is answered only when that promise settles. */
export async function startSmtpAt(port: number, hold?: () => Promise<void>): Promise<HeldSmtp> {
  const waiting: (() => void)[] = [];
  const state = { messages: [] as ParsedMail[], arriving: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      state.arriving += 1;
      waiting.splice(0).forEach((w) => w());
      simpleParser(stream)
        .then(async (mail) => {
          await hold?.();
          state.messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    nextArrival: () => new Promise<void>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
