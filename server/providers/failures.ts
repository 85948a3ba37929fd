// Why a cancel or refill did not plainly succeed, as one of a few words the staff
// pages translate (desk:work.providerFailure.*). The provider's own reason, when it
// gave one, is shown as it wrote it instead.
export type ProviderFailure = 'noConnection' | 'timeout' | 'network' | 'refused' | 'serverError' | 'unreadable' | 'notMentioned' | 'badRequest';

/** A transport or client failure code (transport.ts, api-v2.ts) → the word shown. */
export function failureOf(code: string): ProviderFailure {
  if (code === 'timeout') return 'timeout';
  if (code === 'not_mentioned') return 'notMentioned';
  if (code === 'provider_error_blank' || /^http_4\d\d$/.test(code)) return 'refused';
  if (/^http_\d+$/.test(code)) return 'serverError';
  if (code === 'not_json' || code === 'bad_shape') return 'unreadable';
  if (code === 'invalid_url' || code === 'invalid_id' || code === 'too_many_orders') return 'badRequest';
  return 'network';
}

/** What a failed call shows: the provider's own words when it gave some ('provider_error'), else a failure word. */
export function describeFailure(code: string, message: string): { message: string | null; failure: ProviderFailure | null } {
  return code === 'provider_error' ? { message, failure: null } : { message: null, failure: failureOf(code) };
}
