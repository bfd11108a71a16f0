import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiKeyHash, encodeApiKeyRecord } from '@sso/contracts';
import { startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { KeysHarness, type Database } from './keys-harness.js';

const STRAY = 'f'.repeat(64);

describe.each<[Database]>([['SQLite'], ['PostgreSQL']])('the Redis projection is rebuilt from the database on %s', (database) => {
  let keys: KeysHarness;
  let live: string;
  let deleted: string;

  beforeAll(async () => {
    keys = await KeysHarness.start(database);
    const client = keys.client();
    live = (await client.addApiKey({ acl: ['search'], indexes: ['products'] })).key;
    deleted = (await client.addApiKey({ acl: ['browse'] })).key;
    await client.deleteApiKey({ key: deleted });
  });
  afterAll(() => keys?.close());

  it('rewrites every key (tombstones too), removes fields the database does not have, and publishes each change', async () => {
    const expected = await keys.redis.hGetAll(keys.hashKey);
    await keys.redis.del(keys.hashKey);
    await keys.redis.hSet(keys.hashKey, STRAY, encodeApiKeyRecord({ id: 'ghost', appId: 'X', acl: ['search'], indexes: [], referers: [], maxHitsPerQuery: 0, maxQueriesPerIPPerHour: 0, queryParameters: '', expiresAt: null, deletedAt: null, version: Date.now() }));
    const from = keys.events.length;
    expect(await keys.rebuildProjection()).toEqual({ written: 2, removed: 1 });
    expect(await keys.redis.hGetAll(keys.hashKey)).toEqual(expected);
    expect(await keys.record(apiKeyHash(deleted))).toMatchObject({ deletedAt: expect.any(Number) });
    await keys.expectEvent(STRAY, null, from);
    await keys.expectEvent(apiKeyHash(live), await keys.record(apiKeyHash(live)), from);
    await keys.expectEvent(apiKeyHash(deleted), await keys.record(apiKeyHash(deleted)), from);
  });

  it('stays equal to the database under concurrent changes of many keys and of one key', async () => {
    const client = keys.client();
    const made = await Promise.all(Array.from({ length: 12 }, (_, index) => client.addApiKey({ acl: ['search'], description: `burst ${index}` })));
    await Promise.all([
      ...made.map(({ key }, index) => (index % 3 === 0 ? client.deleteApiKey({ key }) : client.updateApiKey({ key, apiKey: { acl: ['browse'], description: `updated ${index}` } }))),
      ...Array.from({ length: 6 }, (_, index) => client.updateApiKey({ key: live, apiKey: { acl: ['search'], indexes: ['products'], maxHitsPerQuery: index } })),
    ]);
    const projected = await keys.redis.hGetAll(keys.hashKey);
    expect(await keys.rebuildProjection()).toEqual({ written: 14, removed: 0 });
    expect(await keys.redis.hGetAll(keys.hashKey)).toEqual(projected);
    const { keys: listed } = await client.listApiKeys();
    expect(listed.filter((view) => view.description?.startsWith('updated'))).toHaveLength(8);
    await client.updateApiKey({ key: live, apiKey: { acl: ['search'], indexes: ['products'] } });
  });

  it('rebuilds at start: a restarted service puts back a hash that was flushed meanwhile', async () => {
    const expected = await keys.redis.hGetAll(keys.hashKey);
    await keys.redis.del(keys.hashKey);
    await keys.restart();
    await waitFor(async () => (await keys.redis.hLen(keys.hashKey)) === Object.keys(expected).length, 'the projection to be rebuilt', 5_000);
    expect(await keys.redis.hGetAll(keys.hashKey)).toEqual(expected);
    expect(await keys.client().getApiKey({ key: live })).toMatchObject({ acl: ['search'] });
  });
});

describe('while Redis is down', () => {
  let redis: TestRedisServer;
  let keys: KeysHarness;
  let existing: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    keys = await KeysHarness.start('SQLite', { REDIS_URL: redis.url });
    existing = (await keys.client().addApiKey({ acl: ['search'] })).key;
  });
  afterAll(async () => {
    await keys?.close();
    await redis?.stop();
  });

  it('refuses every change with 503 and a clear message, and changes nothing in the database', async () => {
    const rows = async () => JSON.stringify(await keys.rows('SELECT * FROM api_keys ORDER BY id'));
    const audit = async () => JSON.stringify(await keys.rows('SELECT * FROM audit_events ORDER BY id'));
    const [beforeKeys, beforeAudit] = [await rows(), await audit()];
    await redis.stop();
    for (const [method, path, body] of [
      ['POST', '/1/keys', { acl: ['search'] }],
      ['PUT', `/1/keys/${existing}`, { acl: ['browse'] }],
      ['DELETE', `/1/keys/${existing}`, undefined],
    ] as const) {
      const response = await keys.request(method, path, { body });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringMatching(/key store \(Redis\) is unavailable.*nothing was changed/),
        requestId: expect.any(String),
        code: 'key_store_unavailable',
      });
    }
    expect(await rows()).toBe(beforeKeys);
    expect(await audit()).toBe(beforeAudit);
    expect(await keys.client().getApiKey({ key: existing })).toMatchObject({ acl: ['search'] });
  });

  it('rebuilds the projection when Redis is back (here empty, as after a restart without persistence)', async () => {
    await redis.start();
    await waitFor(async () => keys.redis.isReady && (await keys.record(apiKeyHash(existing))) !== undefined, 'the projection in the restarted Redis', 10_000);
    expect(await keys.record(apiKeyHash(existing))).toMatchObject({ acl: ['search'], deletedAt: null });
    const { key } = await keys.client().addApiKey({ acl: ['browse'] });
    expect(await keys.record(apiKeyHash(key))).toMatchObject({ acl: ['browse'] });
  });
});
