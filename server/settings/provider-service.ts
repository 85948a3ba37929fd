// Provider connections for admins: the list (whether a key is stored, never the
// key), saving through saveProvider (the key sealed), and "test connection".
import { asc, eq } from 'drizzle-orm';
import { providers } from '../../db/schema';
import { transaction, type Db } from '../db';
import { AppError } from '../domain/errors';
import { clientFor, providerConnection, saveProvider } from '../providers/connections';
import { describeFailure, type ProviderFailure } from '../providers/failures';
import type { ProviderInput } from './provider-form';
import { auditChange } from './web';

export function listProviders(db: Db) {
  return db
    .select({ id: providers.id, name: providers.name, apiUrl: providers.apiUrl, apiKeySealed: providers.apiKeySealed, updatedAt: providers.updatedAt })
    .from(providers)
    .orderBy(asc(providers.id))
    .all()
    .map(({ apiKeySealed, ...p }) => ({ ...p, hasKey: apiKeySealed !== null }));
}

export function findProvider(db: Db, id: string) {
  return listProviders(db).find((p) => p.id === id) ?? null;
}

/** Creates (`create`) or updates a provider; audited with the changed keys ("apiKey" when a new key was given, never the key). */
export function storeProvider(db: Db, secret: string, input: ProviderInput, create: boolean, actorId: number, now: number): void {
  transaction(db, () => {
    const before = db.select().from(providers).where(eq(providers.id, input.id)).get();
    if (create && before) throw AppError.invalid({ id: { key: 'settings:errors.providerTaken' } });
    if (!create && !before) throw AppError.notFound();
    saveProvider(db, secret, { id: input.id, name: input.name, apiUrl: input.apiUrl, apiKey: input.apiKey ?? undefined }, now);
    const keys = [
      ...(!before || before.name !== input.name ? ['name'] : []),
      ...(!before || before.apiUrl !== input.apiUrl ? ['apiUrl'] : []),
      ...(input.apiKey !== null ? ['apiKey'] : []),
    ];
    if (keys.length > 0) auditChange(db, actorId, create ? 'provider.created' : 'provider.updated', { providerId: input.id, keys }, now);
  });
}

/** A failed test says why in the provider's own words (`message`, scrubbed of the key by the
 *  client) or, when it gave none, as a failure word the page translates. */
export type ConnectionTest =
  | { ok: true; balanceMicros: number; currency: string | null }
  | { ok: false; kind: 'notConfigured'; code: 'not_configured'; message: ''; failure: null }
  | { ok: false; kind: 'rejected' | 'unreachable' | 'unknown'; code: string; message: string; failure: ProviderFailure | null };

/** Asks the provider for its balance. */
export async function testConnection(db: Db, secret: string, id: string, timeoutMs: number): Promise<ConnectionTest> {
  const connection = providerConnection(db, secret, id);
  if (!connection) return { ok: false, kind: 'notConfigured', code: 'not_configured', message: '', failure: null };
  const answer = await clientFor(connection, timeoutMs).balance();
  if (!answer.ok) {
    const shown = describeFailure(answer.code, answer.message);
    return { ok: false, kind: answer.kind, code: answer.code, message: shown.message ?? '', failure: shown.failure };
  }
  return { ok: true, balanceMicros: answer.value.balanceMicros, currency: answer.value.currency };
}
