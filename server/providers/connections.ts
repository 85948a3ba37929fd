// The desk's connections to providers: API URL and a key kept sealed, so the key
// is never stored, shown or logged in the clear.
import { providers } from '../../db/schema';
import type { Db } from '../db';
import { findProvider, isConnected } from '../orders/queries';
import { seal, unseal } from '../security/sealed';
import { ProviderClient } from './api-v2';

export interface ProviderConnection {
  id: string;
  name: string;
  apiUrl: string;
  apiKey: string;
}

export function saveProvider(
  db: Db,
  secret: string,
  p: { id: string; name?: string; apiUrl?: string | null; apiKey?: string | null },
  now: number,
): void {
  const sealed = p.apiKey ? seal(secret, p.apiKey) : undefined;
  const changes = {
    ...(p.name ? { name: p.name } : {}),
    ...(p.apiUrl !== undefined ? { apiUrl: p.apiUrl } : {}),
    ...(sealed !== undefined ? { apiKeySealed: sealed } : p.apiKey === null ? { apiKeySealed: null } : {}),
    updatedAt: now,
  };
  db.insert(providers)
    .values({ id: p.id, name: p.name ?? p.id, apiUrl: p.apiUrl ?? null, apiKeySealed: sealed ?? null, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: providers.id, set: changes })
    .run();
}

/** The connection with its key unsealed, or null when the provider has no URL or key. */
export function providerConnection(db: Db, secret: string, id: string): ProviderConnection | null {
  const row = findProvider(db, id);
  if (!isConnected(row)) return null;
  const apiKey = unseal(secret, row.apiKeySealed);
  return apiKey === null ? null : { id: row.id, name: row.name, apiUrl: row.apiUrl, apiKey };
}

export function clientFor(c: ProviderConnection, timeoutMs: number): ProviderClient {
  return new ProviderClient({ apiUrl: c.apiUrl, apiKey: c.apiKey, timeoutMs });
}
