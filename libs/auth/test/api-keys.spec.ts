import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiKeyHash, apiKeysDeletedUsesKey, apiKeysLastUsedKey } from '@sso/contracts';
import { ApiKeyWriter, createTestEnv, TEST_REDIS_URL, waitFor } from '@sso/testing';
import { algoliasearch } from 'algoliasearch';
import { ApiKeyStore } from '../src/index.js';

import { startTestApp, type TestApp } from './support/test-app.js';

const APP_ID = 'SSODEMO';
const ENCRYPTION_SECRET = 'test-key-encryption-secret';
// generateSecuredApiKey is computed locally; the client never calls the (unreachable) host.
const algolia = algoliasearch(APP_ID, 'unused');

describe('API keys checked by the guard (keys projected in a real Redis)', () => {
  const { namespace } = createTestEnv();
  let writer: ApiKeyWriter;
  let service: TestApp;
  let store: ApiKeyStore;

  const call = (key: string, init: { method?: string; headers?: Record<string, string>; path?: string } = {}) =>
    fetch(`${service.url}${init.path ?? '/things/search'}`, { method: init.method ?? 'GET', headers: { 'x-algolia-api-key': key, 'x-algolia-application-id': APP_ID, ...init.headers } });
  const status = async (key: string, init: Parameters<typeof call>[1] = {}) => (await call(key, init)).status;

  beforeAll(async () => {
    writer = await new ApiKeyWriter(TEST_REDIS_URL, namespace, ENCRYPTION_SECRET).connect();
    service = await startTestApp({
      issuer: 'http://127.0.0.1:1',
      audience: 'billing',
      redisUrl: TEST_REDIS_URL,
      namespace,
      apiKeys: { applicationId: APP_ID, encryptionSecret: ENCRYPTION_SECRET, indexOf: ({ headers }) => (typeof headers['x-index'] === 'string' ? headers['x-index'] : 'products'), lastUsedFlushIntervalMs: 100, migrationGuideUrl: 'https://docs.example/migrate' },
    });
    store = service.app.get(ApiKeyStore);
    await waitFor(() => store.mode === 'live', 'the key projection to load');
  });
  afterAll(async () => {
    await service?.close();
    await writer?.cleanUp();
    await writer?.close();
  });

  it('accepts a search key as a principal of kind api-key whose subject is the key id, never the key', async () => {
    const { key, record } = await writer.create({ acl: ['search'], maxHitsPerQuery: 20, queryParameters: 'hitsPerPage=5' });
    await waitFor(async () => (await status(key)) === 200, 'the new key to arrive');
    const response = await call(key);
    const principal = (await response.json()) as { kind: string; subject: string; scopes: string[]; claims: Record<string, unknown> };
    expect(principal).toMatchObject({ kind: 'api-key', subject: record.id, scopes: ['search'] });
    expect(principal.claims).toMatchObject({ keyId: record.id, maxHitsPerQuery: 20, forcedSearchParameters: [{ hitsPerPage: '5' }], secured: false });
    expect(JSON.stringify(principal)).not.toContain(key);
    expect(response.headers.get('deprecation')).toBe('@1796083200');
    expect(response.headers.get('link')).toBe('<https://docs.example/migrate>; rel="deprecation"');
  });

  it('refuses, with one 403 that does not say why: malformed, unknown, wrong application, missing ACL, other index', async () => {
    const { key } = await writer.create({ acl: ['search'] });
    const elsewhere = await writer.create({ acl: ['search', 'addObject'], indexes: ['movies', 'dev_*'] });
    const write = await writer.create({ acl: ['addObject'] });
    await waitFor(async () => (await status(write.key, { method: 'POST' })) === 201, 'the keys to arrive');
    const refusals = [
      await call(`${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`),
      await call('ak_0000000000000000000000000000000000000000'),
      await call(key, { headers: { 'x-algolia-application-id': 'OTHERAPP' } }),
      await call(key, { method: 'POST' }),
      await call(write.key),
      await call(elsewhere.key),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ statusCode: 403, code: 'api_key_refused', message: 'the API key is not accepted for this route' });
    }
    expect(await status(key)).toBe(200);
  });

  it('honours referers and expiry', async () => {
    const { key } = await writer.create({ referers: ['https://shop.example.com/*'] });
    // Seconds are whole: at least two of them left, however late in the current one this runs.
    const expiring = await writer.create({ expiresAt: Math.floor(Date.now() / 1000) + 3 });
    await waitFor(async () => (await status(key, { headers: { referer: 'https://shop.example.com/search' } })) === 200, 'the key to arrive');
    expect(await status(key)).toBe(403);
    expect(await status(key, { headers: { referer: 'https://evil.example.net/' } })).toBe(403);
    expect(await status(expiring.key)).toBe(200);
    await waitFor(async () => (await status(expiring.key)) === 403, 'the key to expire', 5_000);
  });

  it('refuses a deleted key within milliseconds, accepts it again once restored, and reports the use after delete', async () => {
    const { key, record } = await writer.create();
    await waitFor(async () => (await status(key)) === 200, 'the key to arrive');
    const deletedAt = Math.floor(Date.now() / 1000);
    await writer.put(key, { ...record, deletedAt });
    // Polled back to back; `npm run bench:api-keys` prints how soon (about a millisecond).
    await waitFor(async () => (await status(key)) === 403, 'the deletion to arrive', 1_000, 1);
    await waitFor(async () => (await writer.redis.lRange(apiKeysDeletedUsesKey(namespace), 0, -1)).some((entry) => JSON.parse(entry).keyId === record.id), 'the use after delete to be reported');
    await writer.put(key, { ...record, deletedAt: null });
    await waitFor(async () => (await status(key)) === 200, 'the restore to arrive', 1_000, 1);
  });

  it('answers a key in steady use as its record stands now: a change shows on the next request', async () => {
    const { key, record } = await writer.create({ acl: ['search'], maxHitsPerQuery: 20 });
    const claims = async () => ((await (await call(key)).json()) as { claims: { maxHitsPerQuery: number } }).claims;
    await waitFor(async () => (await status(key)) === 200, 'the key to arrive');
    expect(await claims()).toMatchObject({ maxHitsPerQuery: 20 });
    const updated = (await writer.put(key, { ...record, maxHitsPerQuery: 5 }))!;
    await waitFor(async () => (await claims()).maxHitsPerQuery === 5, 'the update to arrive', 1_000, 1);
    await writer.put(key, { ...updated, acl: ['addObject'] });
    await waitFor(async () => (await status(key)) === 403, 'the narrowed ACL to arrive', 1_000, 1);
    expect(await status(key, { method: 'POST' })).toBe(201);
  });

  it('records the last use without a write per request', async () => {
    const { key, record } = await writer.create();
    await waitFor(async () => (await status(key)) === 200, 'the key to arrive');
    await waitFor(async () => (await writer.redis.zScore(apiKeysLastUsedKey(namespace), record.id)) !== null, 'the last use to be flushed');
    expect(await writer.redis.zScore(apiKeysLastUsedKey(namespace), record.id)).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
  });

  it('never lets 20 parallel requests exceed maxQueriesPerIPPerHour, and answers 429 with Retry-After', async () => {
    const { key } = await writer.create({ maxQueriesPerIPPerHour: 5 });
    await waitFor(async () => (await store.find(apiKeyHash(key))) !== undefined, 'the key to arrive');
    const responses = await Promise.all(Array.from({ length: 20 }, () => call(key)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((code) => code === 200)).toHaveLength(5);
    expect(statuses.filter((code) => code === 429)).toHaveLength(15);
    const limited = responses.find((response) => response.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(3_600);
    expect(await limited.json()).toMatchObject({ code: 'api_key_rate_limited' });
  });

  describe('secured keys made by the algoliasearch client', () => {
    it('accepts one wherever its parent is accepted, narrowed by its restrictions', async () => {
      const { key: parent, record } = await writer.create({ acl: ['search'] });
      await waitFor(async () => (await status(parent)) === 200, 'the parent to arrive');
      const secured = algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { validUntil: Math.floor(Date.now() / 1000) + 60, restrictIndices: ['products'], userToken: 'user-42', searchParams: { hitsPerPage: 3 } } });
      const response = await call(secured);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ kind: 'api-key', subject: record.id, claims: { secured: true, userToken: 'user-42', forcedSearchParameters: [{ hitsPerPage: '3' }] } });
    });

    it('refuses a forged, expired, widening or out-of-range one, and one whose parent cannot be a parent', async () => {
      const { key: parent } = await writer.create({ acl: ['search'], indexes: ['products'] });
      const writeOnly = await writer.create({ acl: ['addObject'] });
      await waitFor(async () => (await status(parent)) === 200, 'the parent to arrive');
      const now = Math.floor(Date.now() / 1000);
      const valid = algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { validUntil: now + 60 } });
      const decoded = Buffer.from(valid, 'base64').toString('utf8');
      const forged = Buffer.from(decoded.replace(/validUntil=\d+/, `validUntil=${now + 86_400}`)).toString('base64');
      const refused = [
        forged,
        algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { validUntil: now - 1 } }),
        algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { restrictIndices: ['movies'] } }),
        algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { restrictSources: '10.0.0.0/8' } }),
        algolia.generateSecuredApiKey({ parentApiKey: writeOnly.key, restrictions: {} }),
        algolia.generateSecuredApiKey({ parentApiKey: valid, restrictions: {} }),
      ];
      expect(await status(valid)).toBe(200);
      for (const key of refused) expect(await status(key)).toBe(403);
      expect(await status(algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { restrictSources: '127.0.0.1' } }))).toBe(200);
    });

    it('accepts the published test vector for its index (Movies) and nowhere else', async () => {
      const parent = '2640659426d5107b6e47d75db9cbaef8';
      const vector = 'NjFhZmE0OGEyMTI3OThiODc0OTlkOGM0YjcxYzljY2M2NmU2NDE5ZWY0NDZjMWJhNjA2NzBkMjAwOTI2YWQyZnJlc3RyaWN0SW5kaWNlcz1Nb3ZpZXMmdmFsaWRVbnRpbD0yNTI0NjA0NDAw';
      expect(algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { validUntil: 2524604400, restrictIndices: ['Movies'] } })).toBe(vector);
      const { record } = await writer.create({ acl: ['search'] }, parent);
      await waitFor(async () => (await status(vector, { headers: { 'x-index': 'Movies' } })) === 200, 'the parent to arrive');
      expect(await (await call(vector, { headers: { 'x-index': 'Movies' } })).json()).toMatchObject({ subject: record.id, claims: { secured: true, expiresAt: 2524604400 } });
      expect(await status(vector)).toBe(403);
    });

    it('stops, even once remembered, when its parent can no longer be a parent', async () => {
      const { key: parent, record } = await writer.create({ acl: ['search', 'addObject'] });
      await waitFor(async () => (await status(parent)) === 200, 'the parent to arrive');
      const secured = algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { userToken: 'u2' } });
      expect(await status(secured, { method: 'POST' })).toBe(201);
      // The key service drops the sealed secret with `search`.
      const { sealedSecret: _dropped, ...withoutSecret } = record;
      await writer.put(parent, { ...withoutSecret, acl: ['addObject'] });
      await waitFor(async () => (await status(secured, { method: 'POST' })) === 403, 'the change to arrive', 1_000, 1);
      expect(await status(parent, { method: 'POST' })).toBe(201);
    });

    it('dies with its parent, everywhere at once', async () => {
      const { key: parent, record } = await writer.create({ acl: ['search'] });
      await waitFor(async () => (await status(parent)) === 200, 'the parent to arrive');
      const secured = algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { userToken: 'u1' } });
      expect(await status(secured)).toBe(200);
      await writer.put(parent, { ...record, deletedAt: Math.floor(Date.now() / 1000) });
      await waitFor(async () => (await status(secured)) === 403, 'the deletion to arrive', 1_000, 1);
    });
  });
});
