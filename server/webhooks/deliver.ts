// One signed POST to the panel's webhook URL, and where to send it (settings).
// The answer is a plain result, never an exception: the caller records it.
import { performance } from 'node:perf_hooks';
import type { Db } from '../db';
import { unseal } from '../security/sealed';
import { readSettings } from '../settings/store';
import { signatureHeader } from './signature';

export const USER_AGENT = 'RefundDesk-Webhook/1';
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookTarget {
  url: string;
  /** the signing secret, unsealed; never logged */
  secret: string;
}

/** Why no webhook can be sent now: no URL, or no readable signing secret. */
export type TargetProblem = 'webhook_url_missing' | 'webhook_secret_missing';

/** The configured URL and signing secret (unsealed with the desk's SECRET). */
export function webhookTarget(db: Db, deskSecret: string): WebhookTarget | { problem: TargetProblem } {
  const { webhookUrl, webhookSecretSealed } = readSettings(db);
  if (!webhookUrl) return { problem: 'webhook_url_missing' };
  // A secret sealed under another SECRET (or missing) would sign nothing a receiver can check.
  const secret = webhookSecretSealed ? unseal(deskSecret, webhookSecretSealed) : null;
  if (!secret) return { problem: 'webhook_secret_missing' };
  return { url: webhookUrl, secret };
}

export interface DeliveryResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookMessage {
  /** the payload's id: the receiver's key for ignoring a repeat */
  id: string;
  event: string;
  /** the JSON text, sent byte for byte as stored */
  body: string;
}

/** POSTs the body signed at `nowMs`; 2xx is success, anything else (or no answer) is not. */
export async function postWebhook(target: WebhookTarget, message: WebhookMessage, nowMs: number, timeoutMs: number): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
        'X-RefundDesk-Event': message.event,
        'X-RefundDesk-Delivery': message.id,
        'X-RefundDesk-Signature': signatureHeader(target.secret, Math.floor(nowMs / 1000), message.body),
      },
      body: message.body,
      // A redirect is an answer to fix at the receiver, not one to follow with a signed body.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not needed; release the connection.
    await res.body?.cancel().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: elapsed() };
  } catch (err) {
    return { ok: false, statusCode: null, error: describe(err, timeoutMs), durationMs: elapsed() };
  }
}

/** A short reason: a timeout, or the network error under fetch's generic "fetch failed". */
function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `timeout after ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const text = cause?.message ?? cause?.code ?? (err instanceof Error ? err.message : String(err));
  return text.slice(0, 500);
}
