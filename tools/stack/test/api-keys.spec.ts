import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { algoliasearch, type Algoliasearch } from 'algoliasearch';
import pg from 'pg';
import { createClient } from 'redis';
import { startEcosystem, type Ecosystem } from './ecosystem.js';

const APP_ID = 'SSODEMO';

/**
 * The key path across processes: keys managed with the real algoliasearch client at the key
 * service, checked by product from Redis, exchanged for tokens at auth, billed at
 * usage-tracking. The stack runs on a redis-server of its own, so the test can stop it.
 */
describe('legacy API keys across the ecosystem', () => {
  let redis: TestRedisServer;
  let eco: Ecosystem;
  let algolia: Algoliasearch;
  let adminKey: string;
  /** Every key this test was shown, to prove none is stored in plaintext. */
  const shown: string[] = [];

  const product = (key: string, path = '/products', init: { method?: string; body?: unknown; appId?: string } = {}) =>
    fetch(`${eco.urls.product}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', 'x-algolia-api-key': key, 'x-algolia-application-id': init.appId ?? APP_ID },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const lamp = { name: 'Lamp', description: 'A desk lamp', price: 2_500, currency: 'EUR' };
  const addKey = async (settings: Parameters<Algoliasearch['addApiKey']>[0]) => {
    const { key } = await algolia.addApiKey(settings);
    shown.push(key);
    return key;
  };
  /**
   * Waits until product answers `status` for the key, polling back to back, 2 s at most (how
   * soon is a benchmark's figure, not a test's: `npm run bench:api-keys` in libs/auth).
   */
  const untilProductAnswers = (key: string, status: number, { path = '/products', ...init }: Parameters<typeof product>[2] & { path?: string } = {}) =>
    waitFor(async () => (await product(key, path, init)).status === status, `product to answer ${status}`, 2_000, 1);

  beforeAll(async () => {
    redis = await startRedisServer();
    eco = await startEcosystem({ REDIS_URL: redis.url, API_KEYS_MAINTENANCE_INTERVAL_MS: '200' });
    adminKey = (JSON.parse(readFileSync(join(eco.testEnv.dataDir, 'secrets.json'), 'utf8')) as { API_KEYS_ADMIN_KEY: string }).API_KEYS_ADMIN_KEY;
    const { host } = new URL(eco.urls['api-keys']);
    algolia = algoliasearch(APP_ID, adminKey, { hosts: [{ url: host, accept: 'readWrite', protocol: 'http' }] });
  }, 120_000);
  afterAll(async () => {
    await eco?.close();
    await redis?.stop();
  }, 60_000);

  it('lets a search key read the catalog and nothing else, announcing that keys are deprecated', async () => {
    const search = await addKey({ acl: ['search'], indexes: ['products'], description: 'storefront' });
    const read = await product(search);
    expect(read.status).toBe(200);
    expect(read.headers.get('deprecation')).toBe('@1796083200');
    expect(read.headers.get('link')).toMatch(/rel="deprecation"/);
    expect((await product(search, '/products', { method: 'POST', body: lamp })).status).toBe(403);
    expect((await product(search, '/products', { appId: 'OTHERAPP' })).status).toBe(403);
    const manage = await fetch(`${eco.urls['api-keys']}/1/keys`, { headers: { 'x-algolia-api-key': search, 'x-algolia-application-id': APP_ID } });
    expect(manage.status).toBe(403);
    const movies = await addKey({ acl: ['search'], indexes: ['movies'] });
    expect((await product(movies)).status).toBe(403);
    const writer = await addKey({ acl: ['addObject'] });
    expect((await product(writer)).status).toBe(403);
    expect((await product(writer, '/products', { method: 'POST', body: lamp })).status).toBe(201);
  });

  it('refuses a deleted key at product at once, accepts it again once restored, and applies a changed ACL as fast', async () => {
    const key = await addKey({ acl: ['search'] });
    expect((await product(key)).status).toBe(200);
    await algolia.deleteApiKey({ key });
    await untilProductAnswers(key, 403);
    await algolia.restoreApiKey({ key });
    await untilProductAnswers(key, 200);
    const notFound = { path: '/products/00000000-0000-4000-8000-000000000000', method: 'PUT', body: lamp };
    // Replacing a product that does not exist: 403 while the key may not write, 404 once it may; nothing written.
    expect((await product(key, notFound.path, notFound)).status).toBe(403);
    await algolia.updateApiKey({ key, apiKey: { acl: ['search', 'addObject'] } });
    await untilProductAnswers(key, 404, notFound);
  });

  it('never lets 20 parallel requests exceed maxQueriesPerIPPerHour', async () => {
    const key = await addKey({ acl: ['search'], maxQueriesPerIPPerHour: 7 });
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => product(key)))).map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(7);
    expect(statuses.filter((status) => status === 429)).toHaveLength(13);
  });

  it('accepts a secured key made from a search key, and kills it with its parent', async () => {
    const parent = await addKey({ acl: ['search'] });
    const secured = algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { restrictIndices: ['products'], validUntil: Math.floor(Date.now() / 1000) + 600 } });
    expect((await product(secured)).status).toBe(200);
    expect((await product(algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { restrictIndices: ['movies'] } }))).status).toBe(403);
    await algolia.deleteApiKey({ key: parent });
    await untilProductAnswers(secured, 403);
  });

  it('exchanges a key at auth for a token that works at product until the key is deleted, and bills the key under its id', async () => {
    const key = await addKey({ acl: ['search', 'usage'] });
    const response = await fetch(`${eco.urls.auth}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: key, subject_token_type: 'urn:sso:token-type:api-key' }),
    });
    expect(response.status).toBe(200);
    const { access_token, scope } = (await response.json()) as { access_token: string; scope: string };
    expect(scope).toBe('product:read usage-tracking:read');
    const withToken = await fetch(`${eco.urls.product}/products`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('deprecation')).toBeNull();

    const keyId = ((await algolia.getApiKey({ key })) as unknown as { keyId: string }).keyId;
    for (let index = 0; index < 3; index++) expect((await product(key)).status).toBe(200);
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    await waitFor(
      async () => {
        const summary = await fetch(`${eco.urls['usage-tracking']}/usage/summary?subject=${keyId}&from=${from}&to=${to}`, { headers: { authorization: `Bearer ${access_token}` } });
        return ((await summary.json()) as { metrics?: Record<string, number> }).metrics?.['product.requests'] === 4;
      },
      'the key’s requests (3 with the key, 1 with its token) to be counted under its id',
      20_000,
      200,
    );
    // Deleting the key ends the tokens exchanged for it too.
    await algolia.deleteApiKey({ key });
    await waitFor(async () => (await fetch(`${eco.urls.product}/products`, { headers: { authorization: `Bearer ${access_token}` } })).status === 401, 'the exchanged token to be refused', 2_000, 5);
  });

  it('answers 503 for keys while Redis is down, never a stale accept, and works again when Redis is back, without a restart', async () => {
    const key = await addKey({ acl: ['search'] });
    expect((await product(key)).status).toBe(200);
    await redis.stop();
    await waitFor(async () => (await product(key)).status === 503, 'product to answer 503', 10_000, 50);
    const during = await product(key);
    expect(await during.json()).toMatchObject({ code: 'api_key_unavailable' });
    await redis.start();
    // The restarted Redis is empty: the key service rebuilds the projection from its database.
    await waitFor(async () => (await product(key)).status === 200, 'keys to work again', 30_000, 100);
  });

  it('leaves no API key in plaintext in Redis or in the key service’s database', async () => {
    const client = createClient({ url: redis.url, RESP: 2 });
    await client.connect();
    const values: string[] = [];
    for (const name of await client.keys('*')) {
      const type = await client.type(name);
      if (type === 'string') values.push(String(await client.get(name)));
      if (type === 'hash') values.push(JSON.stringify(await client.hGetAll(name)));
      if (type === 'list') values.push(...(await client.lRange(name, 0, -1)));
      if (type === 'zset') values.push(JSON.stringify(await client.zRangeWithScores(name, 0, -1)));
      if (type === 'set') values.push(...(await client.sMembers(name)));
      values.push(name);
    }
    await client.close();
    const database = new pg.Client({ connectionString: eco.databaseUrls['api-keys'] });
    await database.connect();
    const tables = await database.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    for (const { table_name } of tables.rows) values.push(JSON.stringify((await database.query(`SELECT * FROM "${table_name}"`)).rows));
    await database.end();
    const dump = values.join('\n');
    expect(shown.length).toBeGreaterThan(5);
    expect(dump).toContain('storefront');
    for (const key of [...shown, adminKey]) expect(dump).not.toContain(key);
  });
});
