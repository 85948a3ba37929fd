// Loopback pieces for fault tests: free ports, waiting for a condition, an SMTP
// server on a chosen port (started after the desk, to play a mail server that comes
// back) that can hold each message before accepting it (to catch a send in the
// middle), and a webhook receiver that answers as told.
import http from 'node:http';
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A TCP port that was free a moment ago on 127.0.0.1: nothing listens on it (until someone does). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not read the probe port'))));
    });
  });
}

/** Polls `check` every 20 ms until it holds; throws naming `what` after `withinMs`. */
export async function until(what: string, check: () => boolean, withinMs = 10_000): Promise<void> {
  const end = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves once a TCP connection to the port is refused (nothing listens any more). */
export async function refused(port: number, withinMs = 5000): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
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
  close(): Promise<void>;
}

/**
 * A real SMTP server on `port` (0: a free one, read back into `url`); with `hold`, each
 * message is answered only when that promise settles.
 */
export async function startSmtpAt(port: number, hold?: () => Promise<void>): Promise<HeldSmtp> {
  const state = { messages: [] as ParsedMail[], arriving: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      state.arriving += 1;
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
  const address = server.server.address() as net.AddressInfo;
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** what `verify` said (true when there is no `verify`) */
  verified: boolean;
}

export interface Receiver {
  port: number;
  /** http://127.0.0.1:<port><path> */
  url: string;
  received: ReceivedRequest[];
  /** change at any time: the status of the next answers, and how long each waits */
  behaviour: { status: number; delayMs: number };
  close(): Promise<void>;
}

/**
 * A webhook endpoint on loopback, on `port` (a free one if not given), that records
 * each request and answers `behaviour.status` after `behaviour.delayMs`; with
 * `verify`, a request it rejects is answered 401.
 */
export async function startReceiver(
  opts: { port?: number; path?: string; verify?: (headers: http.IncomingHttpHeaders, body: string) => boolean } = {},
): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const behaviour = { status: 200, delayMs: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = opts.verify ? opts.verify(req.headers, body) : true;
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body, verified });
      const answer = () => res.writeHead(verified ? behaviour.status : 401).end();
      if (behaviour.delayMs > 0) setTimeout(answer, behaviour.delayMs).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}${opts.path ?? '/'}`,
    received,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
