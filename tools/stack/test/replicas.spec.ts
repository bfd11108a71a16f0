import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, createTestEnv, sparePort, TEST_REDIS_URL, waitFor, type TestDatabase, type TestEnv } from '@sso/testing';
import { decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { launchService, type Launched } from './stack-process.js';

const REPLICAS = 3;
const BILLING_SECRET = 'billing-client-secret-of-at-least-32-characters';

/**
 * Replicas of auth started at the same moment on one empty PostgreSQL database, as
 * `docker compose up --scale auth=3` would: migrations, the first signing keys and the declared
 * clients are each done once, and every replica serves.
 */
describe('auth replicas starting at once on an empty database', () => {
  let database: TestDatabase;
  let testEnv: TestEnv;
  let ports: number[];
  let replicas: Launched[];

  beforeAll(async () => {
    database = await createTestDatabase('sso_replicas');
    testEnv = createTestEnv({}, { projectionsWhole: false });
    ports = await Promise.all(Array.from({ length: REPLICAS }, () => sparePort()));
    const env = (port: number) => ({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_NAMESPACE: testEnv.namespace,
      AUTH_ISSUER: 'http://auth.example.test',
      AUTH_ADMIN_PASSWORD: 'replica-admin-password',
      AUTH_KEY_ENCRYPTION_SECRET: 'replica-key-encryption-secret',
      API_KEYS_ENCRYPTION_SECRET: 'replica-api-keys-secret',
      AUTH_CLIENTS: JSON.stringify([{ client_id: 'billing', scope: 'usage-tracking:read', client_secret: BILLING_SECRET }]),
      LOG_LEVEL: 'warn',
    });
    replicas = ports.map((port) => launchService('auth', env(port)));
    await Promise.all(
      replicas.map((replica, index) =>
        waitFor(
          async () => {
            if (replica.child.exitCode !== null) throw new Error(`replica ${index} exited:\n${replica.output()}`);
            return fetch(`http://127.0.0.1:${ports[index]}/health/ready`).then((response) => response.status === 200, () => false);
          },
          `auth replica ${index} to be ready`,
          60_000,
        ),
      ),
    );
  });

  afterAll(async () => {
    for (const replica of replicas ?? []) replica.child.kill('SIGTERM');
    await Promise.all((replicas ?? []).map((replica) => replica.exited));
    await database?.drop();
    testEnv?.cleanup();
  });

  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  it('creates one active signing key and one next key, not one per replica', async () => {
    const rows = await query(`SELECT state, count(*)::int AS n FROM signing_keys GROUP BY state ORDER BY state`);
    expect(rows).toEqual([
      { state: 'active', n: 1 },
      { state: 'next', n: 1 },
    ]);
  });

  it('runs each migration once', async () => {
    const rows = await query(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every(({ n }) => n === 1)).toBe(true);
    expect(await query(`SELECT count(*)::int AS n FROM projection_source`)).toEqual([{ n: 1 }]);
  });

  it('creates the first administrator once', async () => {
    expect(await query(`SELECT username FROM users`)).toEqual([{ username: 'admin' }]);
    expect(await query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'user.created'`)).toEqual([{ n: 1 }]);
  });

  it('provisions the declared client once, and every replica issues it tokens with the same key', async () => {
    expect(await query(`SELECT id, scopes FROM clients`)).toEqual([{ id: 'billing', scopes: JSON.stringify(['usage-tracking:read']) }]);
    expect(await query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'client.created'`)).toEqual([{ n: 1 }]);
    const kids = new Set<string>();
    for (const port of ports) {
      const response = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'billing', client_secret: BILLING_SECRET }),
      });
      expect(response.status).toBe(200);
      const { access_token: token } = (await response.json()) as { access_token: string };
      kids.add(decodeProtectedHeader(token).kid!);
    }
    expect(kids.size).toBe(1);
  });
});
