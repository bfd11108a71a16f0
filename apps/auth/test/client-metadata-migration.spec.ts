import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { dataSourceOptions } from '@sso/platform';
import { createTestDatabase, type TestDatabase } from '@sso/testing';
import { DataSource } from 'typeorm';
import { migrations } from '../src/database/migrations.js';

/** Runs the schema up to (not including) the client metadata, adds a client as it was stored, then the rest. */
describe.each(['SQLite', 'PostgreSQL'] as const)('upgrading clients to RFC 7591 metadata, on %s', (database) => {
  let dataDir: string | undefined;
  let postgres: TestDatabase | undefined;
  afterEach(async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await postgres?.drop();
  });

  it('keeps every client with what it could do before: a secret, client credentials and token exchange', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'auth-migration-'));
    postgres = database === 'PostgreSQL' ? await createTestDatabase('auth_migration') : undefined;
    const open = async (upTo: number) => {
      const source = new DataSource(dataSourceOptions({ service: 'auth', dataDir: dataDir!, DATABASE_URL: postgres?.url }, { migrations: migrations.slice(0, upTo) }));
      await source.initialize();
      await source.runMigrations({ transaction: 'each' });
      return source;
    };
    const before = await open(migrations.length - 1);
    await before.query(`INSERT INTO clients (id, name, "secretHash", scopes, "createdAt") VALUES ('billing', 'billing', '${'ab'.repeat(32)}', '["usage-tracking:read"]', CURRENT_TIMESTAMP)`);
    await before.destroy();

    const after = await open(migrations.length);
    const [row] = (await after.query(`SELECT * FROM clients WHERE id = 'billing'`)) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({
      name: 'billing',
      secretHash: 'ab'.repeat(32),
      scopes: '["usage-tracking:read"]',
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: '["client_credentials","urn:ietf:params:oauth:grant-type:token-exchange"]',
      redirectUris: '[]',
      postLogoutRedirectUris: '[]',
    });
    // A public client's row has no secret.
    await after.query(`INSERT INTO clients (id, name, "secretHash", scopes, "tokenEndpointAuthMethod", "grantTypes", "redirectUris", "postLogoutRedirectUris", "createdAt") VALUES ('app', 'app', NULL, '["billing:read"]', 'none', '["authorization_code"]', '["https://app.example.com/cb"]', '[]', CURRENT_TIMESTAMP)`);
    expect(await after.query(`SELECT id FROM clients WHERE "secretHash" IS NULL`)).toEqual([{ id: 'app' }]);
    await after.destroy();
  });
});
