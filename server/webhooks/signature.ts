// X-RefundDesk-Signature: "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">".
// Signing the timestamp with the body lets a receiver refuse replays of old deliveries.
import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'X-RefundDesk-Signature';

/** Hex HMAC-SHA256 of "<timestamp>.<body>" under the webhook secret. */
export function signature(secret: string, timestamp: number, body: string | Buffer): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string | Buffer): string {
  return `t=${timestamp},v1=${signature(secret, timestamp, body)}`;
}

/**
 * True when the header signs this exact body with this secret and its timestamp is
 * within `toleranceSeconds` of `nowMs` (milliseconds, like Date.now()). Several v1
 * values are accepted (one must match), so a secret can be rotated without a gap.
 */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string | Buffer,
  nowMs: number,
  toleranceSeconds = 300,
): boolean {
  if (!header) return false;
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || value === undefined) return false;
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return false;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (/^[0-9a-f]{64}$/.test(value)) candidates.push(value);
    }
  }
  if (timestamp === null || candidates.length === 0) return false;
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(secret, timestamp, body), 'hex');
  return candidates.some((c) => crypto.timingSafeEqual(Buffer.from(c, 'hex'), expected));
}
