import { startServiceHarness, type DatabaseKind, type ServiceHarness } from '@sso/service-testing';
import { settingsService } from '../src/service.js';

export interface SettingsHarness extends ServiceHarness {
  /** Rows in settings_documents, straight from the database. */
  rows(): Promise<number>;
  /** Every stored document as text, to show that a refused request changed nothing. */
  snapshot(): Promise<string>;
}

/** The settings service as main.ts builds it, trusting a stand-in issuer; SQLite or a fresh PostgreSQL database. */
export async function startSettings(database: DatabaseKind): Promise<SettingsHarness> {
  const harness = await startServiceHarness(settingsService, { database, audience: ['settings'], scope: 'settings:read settings:write' });
  return {
    ...harness,
    rows: () => harness.count('settings_documents'),
    snapshot: async () => JSON.stringify(await harness.dataSource.query('SELECT subject, namespace, document, revision FROM settings_documents ORDER BY subject, namespace')),
  };
}
