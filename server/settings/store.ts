// Desk settings kept in the database (managers edit them later); defaults here.
import { settings } from '../../db/schema';
import { prepared, type Db } from '../db';
import { PRESETS, type PolicySettings } from '../domain/policy/settings';
import type { SlaTargets } from '../domain/ticket';

export interface DeskSettings {
  maxOpenTicketsPerEmail: number;
  currency: string;
  sla: SlaTargets;
  policy: PolicySettings;
  /** Where decision and ticket events are POSTed; null: no webhook. */
  webhookUrl: string | null;
  /** The webhook signing secret, sealed with the desk's SECRET (security/sealed.ts). */
  webhookSecretSealed: string | null;
}

export const DEFAULT_SETTINGS: DeskSettings = {
  maxOpenTicketsPerEmail: 3,
  currency: 'USD',
  sla: { firstResponseHours: 2, cancellationHours: 24, investigationHours: 48 },
  policy: PRESETS.standard,
  webhookUrl: null,
  webhookSecretSealed: null,
};

export function readSettings(db: Db): DeskSettings {
  const rows = prepared(db, 'SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  return { ...DEFAULT_SETTINGS, ...stored } as DeskSettings;
}

export function writeSetting<K extends keyof DeskSettings>(db: Db, key: K, value: DeskSettings[K], now: number) {
  db.insert(settings)
    .values({ key, value: JSON.stringify(value), updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(value), updatedAt: now } })
    .run();
}
