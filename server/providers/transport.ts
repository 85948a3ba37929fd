// One POST to an API v2 endpoint, classified instead of thrown. The API key is sent in the
// form body only, and scrubbed from every message this module builds.

export type FailureKind = 'rejected' | 'unreachable' | 'unknown';

export interface Failure {
  ok: false;
  /** rejected: the provider clearly said no (nothing happened). unreachable: the request never got there.
   *  unknown: it may or may not have been processed. */
  kind: FailureKind;
  code: string;
  message: string;
  /** true when a state-changing call's outcome is unknown: a human must check the provider before anything else. */
  needsHuman: boolean;
}

export type Result<T> = { ok: true; value: T } | Failure;

export interface Connection {
  apiUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

// Errors where the connection was never established, so the provider cannot have seen the request.
// ECONNRESET is deliberately absent: fetch cannot tell us whether the body had been sent.
const NOT_SENT = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const MAX_MESSAGE = 300;

export function failure(kind: FailureKind, code: string, message: string): Failure {
  return { ok: false, kind, code, message, needsHuman: false };
}

/**
 * The provider said no. 'provider_error' carries its own words (shown as written);
 * 'provider_error_blank' is a refusal without words, for the pages to put in theirs.
 */
export function providerRefusal(words: string, key: string): Failure {
  return words
    ? failure('rejected', 'provider_error', scrub(words, key))
    : failure('rejected', 'provider_error_blank', 'The provider refused without saying why.');
}

/** Removes the key (raw and form/URL-encoded) from text that may have come from elsewhere. */
export function scrub(text: string, key: string): string {
  let out = text;
  if (key) {
    const forms = new Set([key, encodeURIComponent(key), new URLSearchParams({ k: key }).toString().slice(2)]);
    for (const form of forms) out = out.split(form).join('[key]');
  }
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

/** POSTs key + action + params and returns the parsed JSON, or why not. Never throws. */
export async function post(conn: Connection, action: string, params: Record<string, string>): Promise<Result<unknown>> {
  if (!isHttpUrl(conn.apiUrl)) return failure('unreachable', 'invalid_url', 'The provider API URL is not a valid http(s) URL.');
  const signal = AbortSignal.timeout(conn.timeoutMs);
  let response: Response;
  try {
    response = await conn.fetch(conn.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ key: conn.apiKey, action, ...params }).toString(),
      redirect: 'manual', // never re-send the key to wherever a redirect points
      signal,
    });
  } catch (err) {
    return fetchFailure(err, signal, conn);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    if (signal.aborted) return timedOut(conn);
    return failure('unknown', 'connection_lost', `The connection broke while reading the answer (${errorCode(err) ?? 'no code'}).`);
  }
  return classify(response.status, text, conn.apiKey);
}

function classify(status: number, text: string, key: string): Result<unknown> {
  const json = parseJson(text);
  if (isRecord(json) && 'error' in json && json.error !== null && json.error !== undefined && json.error !== '') {
    return providerRefusal(errorWords(json.error), key);
  }
  if (status >= 400 && status < 500) return failure('rejected', `http_${status}`, `The provider refused the request (HTTP ${status}).`);
  if (status < 200 || status > 299) return failure('unknown', `http_${status}`, `The provider answered HTTP ${status}.`);
  if (json === undefined) return failure('unknown', 'not_json', 'The provider answered something that is not JSON.');
  return { ok: true, value: json };
}

function fetchFailure(err: unknown, signal: AbortSignal, conn: Connection): Failure {
  if (signal.aborted) return timedOut(conn);
  const code = errorCode(err);
  if (code && NOT_SENT.has(code)) return failure('unreachable', code, `The provider could not be reached (${code}).`);
  return failure('unknown', code ?? 'network_error', `The request failed after it may have been sent (${scrub(code ?? describe(err), conn.apiKey)}).`);
}

function timedOut(conn: Connection): Failure {
  return failure('unknown', 'timeout', `The provider did not answer within ${conn.timeoutMs} ms.`);
}

/** The first `code` found on the error, its causes, or the errors of an AggregateError. */
function errorCode(err: unknown, depth = 0): string | undefined {
  if (!isRecord(err) || depth > 4) return undefined;
  if (typeof err.code === 'string' && err.code) return err.code;
  const nested = [err.cause, ...(Array.isArray(err.errors) ? err.errors : [])];
  for (const inner of nested) {
    const code = errorCode(inner, depth + 1);
    if (code) return code;
  }
  return undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The words of an `error` field (a string, or an object with a message); '' when it has none. */
export function errorWords(error: unknown): string {
  const text = typeof error === 'string' ? error : isRecord(error) && typeof error.message === 'string' ? error.message : '';
  return text.trim() ? text : '';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
