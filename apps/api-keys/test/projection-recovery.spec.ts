import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiKeyHash, apiKeysDeletedUsesKey, apiKeysLastUsedKey, encodeApiKeyRecord, encodeProjectionGeneration, projectionGenerationKey, revocationKey, type ApiKeyRecord } from '@sso/contracts';
import { apiKeyRecord, startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { KeysHarness, logText, type Database, type SearchClient } from './keys-harness.js';

/** The marker check interval of these tests (API_KEYS_PROJECTION_CHECK_INTERVAL_MS). */
const CHECK_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A record of another database's key: what a Redis used by another environment would hold. */
function foreignRecord(overrides: Partial<Omit<ApiKeyRecord, 'v'>> = {}): Omit<ApiKeyRecord, 'v'> {
  return apiKeyRecord({ id: '0f0f0f0f-0000-4000-8000-000000000001', appId: 'OTHERAPP', acl: ['search', 'addObject', 'deleteObject'], version: Date.now() + 60_000, ...overrides });
}

/**
 * Redis forgets (a restart without persistence, a flush, a failover) or holds another
 * database's projection; the service, never restarted, puts back exactly what its database
 * holds, under a new generation marker, with Redis of the test's own.
 */
describe.each<[Database]>([['SQLite'], ['PostgreSQL']])('the projection comes back from the database when Redis forgets it, on %s', (database) => {
  let redis: TestRedisServer;
  let keys: KeysHarness;
  let client: SearchClient;
  let source: string;
  let expected: Record<string, string>;
  const made: Record<'live' | 'deleted' | 'changed', string> = { live: '', deleted: '', changed: '' };

  /** Everything the projection should hold, compared field by field with what Redis holds. */
  const expectProjectionRestored = async () => {
    expect(await keys.redis.hGetAll(keys.hashKey)).toEqual(expected);
    const tombstone = (await keys.record(apiKeyHash(made.deleted)))!;
    expect(await keys.redis.zScore(revocationKey(keys.namespace, 'sub'), tombstone.id)).toBe(tombstone.deletedAt);
  };
  const newMarker = (previous: string) => async () => {
    const marker = keys.redis.isReady ? await keys.marker() : undefined;
    return marker !== undefined && marker.generation !== previous;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    keys = await KeysHarness.start(database, { REDIS_URL: redis.url, API_KEYS_PROJECTION_CHECK_INTERVAL_MS: String(CHECK_MS) });
    client = keys.client();
    source = await keys.sourceId();
    await waitFor(async () => (await keys.marker()) !== undefined, 'the first generation marker', 5_000);
    made.live = (await client.addApiKey({ acl: ['search'], indexes: ['products'] })).key;
    made.deleted = (await client.addApiKey({ acl: ['search', 'browse'] })).key;
    await client.deleteApiKey({ key: made.deleted });
    made.changed = (await client.addApiKey({ acl: ['browse'] })).key;
    await client.updateApiKey({ key: made.changed, apiKey: { acl: ['browse', 'addObject'], description: 'changed' } });
    expected = await keys.redis.hGetAll(keys.hashKey);
  });
  afterAll(async () => {
    await keys?.close();
    await redis?.stop();
  });

  it('starts with a marker naming its database, and the three states in the hash', async () => {
    expect(await keys.marker()).toEqual({ v: 1, generation: expect.any(String), source, builtAt: expect.any(Number) });
    expect(source).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.keys(expected).sort()).toEqual(Object.values(made).map(apiKeyHash).sort());
    expect(await keys.record(apiKeyHash(made.live))).toMatchObject({ acl: ['search'], deletedAt: null, sealedSecret: expect.any(String) });
    expect(await keys.record(apiKeyHash(made.deleted))).toMatchObject({ deletedAt: expect.any(Number) });
    expect(await keys.record(apiKeyHash(made.changed))).toMatchObject({ acl: ['browse', 'addObject'], deletedAt: null });
  });

  it('does not rebuild while the marker is there and its own', async () => {
    const before = await keys.marker();
    await sleep(CHECK_MS * 4);
    expect(await keys.marker()).toEqual(before);
  });

  it('puts back the created, deleted and changed keys after a Redis restart (empty), with a new generation, without a service restart', async () => {
    const before = (await keys.marker())!;
    await redis.stop();
    await redis.start();
    await waitFor(newMarker(before.generation), 'a new generation after the Redis restart', 10_000);
    await expectProjectionRestored();
    expect(await keys.marker()).toMatchObject({ source });
    await expect(client.getApiKey({ key: made.deleted })).rejects.toMatchObject({ status: 404 });
    expect(await client.getApiKey({ key: made.changed })).toMatchObject({ acl: ['browse', 'addObject'], description: 'changed' });
    const { key } = await client.addApiKey({ acl: ['usage'] });
    expect(await keys.record(apiKeyHash(key))).toMatchObject({ acl: ['usage'] });
    expected = await keys.redis.hGetAll(keys.hashKey);
    expect(Object.keys(expected)).toHaveLength(4);
  });

  it('rebuilds within about the check interval after a FLUSHALL while connected', async () => {
    const before = (await keys.marker())!;
    const flushedAt = Date.now();
    await keys.redis.flushAll();
    await waitFor(newMarker(before.generation), 'a new generation after FLUSHALL', CHECK_MS * 5 + 1_000, 20);
    const seconds = (Date.now() - flushedAt) / 1000;
    await expectProjectionRestored();
    expect(await keys.marker()).toMatchObject({ source, builtAt: expect.any(Number) });
    expect(seconds).toBeLessThan((CHECK_MS * 5 + 1_000) / 1000);
  });

  it('removes another database’s projection (marker, fields, reports) and never mixes it with its own', async () => {
    const stray = 'e'.repeat(64);
    const from = keys.events.length;
    const lastUsed = apiKeysLastUsedKey(keys.namespace);
    const deletedUses = apiKeysDeletedUsesKey(keys.namespace);
    await keys.redis
      .multi()
      .set(projectionGenerationKey(keys.namespace, 'api-keys'), encodeProjectionGeneration({ generation: 'theirs', source: 'another-database', builtAt: Date.now() }))
      .hSet(keys.hashKey, stray, encodeApiKeyRecord(foreignRecord()))
      // Another database's record under one of our hashes, later in version than ours.
      .hSet(keys.hashKey, apiKeyHash(made.changed), encodeApiKeyRecord(foreignRecord({ id: '0f0f0f0f-0000-4000-8000-000000000002', acl: ['search', 'deleteIndex'] })))
      .zAdd(lastUsed, { value: '0f0f0f0f-0000-4000-8000-000000000001', score: Math.floor(Date.now() / 1000) })
      .rPush(deletedUses, JSON.stringify({ keyId: '0f0f0f0f-0000-4000-8000-000000000003', service: 'product', at: Math.floor(Date.now() / 1000) }))
      .exec();
    await waitFor(async () => (await keys.marker())?.source === source, 'our marker again', CHECK_MS * 5 + 1_000, 20);
    await expectProjectionRestored();
    expect(await keys.redis.exists([lastUsed, deletedUses])).toBe(0);
    await keys.expectEvent(stray, null, from);
    await keys.expectEvent(apiKeyHash(made.changed), await keys.record(apiKeyHash(made.changed)), from);
    expect(logText(keys)).toMatch(/held another database.s projection, removed/);
  });

  it('leaves a later version in the hash alone: a change another replica committed while a rebuild read its page', async () => {
    const hash = apiKeyHash(made.live);
    const original = (await keys.redis.hGet(keys.hashKey, hash))!;
    const current = (await keys.record(hash))!;
    const later = { ...current, acl: ['addObject'], version: current.version + 1_000 };
    await keys.redis.hSet(keys.hashKey, hash, encodeApiKeyRecord(later));
    try {
      await keys.rebuildProjection();
      expect(await keys.record(hash)).toMatchObject({ acl: ['addObject'], version: later.version });
    } finally {
      // As the other replica's next change would: the hash holds what the database holds again.
      await keys.redis.hSet(keys.hashKey, hash, original);
    }
  });

  it('undoes a write that timed out and ran in Redis later, once Redis answers again', async () => {
    const before = (await keys.marker())!;
    const from = keys.events.length;
    redis.pause();
    try {
      const response = await keys.request('POST', '/1/keys', { body: { acl: ['search'], description: 'timed out' } });
      expect(response.status).toBe(503);
      // Long enough for the rebuild asked for at once to fail on the frozen marker too.
      await sleep(2_500);
    } finally {
      redis.resume();
    }
    await waitFor(newMarker(before.generation), 'a rebuild after the unknown outcome', 10_000);
    await expectProjectionRestored();
    expect(await keys.rows("SELECT id FROM api_keys WHERE description = 'timed out'")).toEqual([]);
    // The MULTI did run once Redis thawed (its event arrived); the rebuild then removed the record.
    const late = keys.events.slice(from).find((event) => event.record !== null && !(event.hash in expected));
    expect(late).toBeDefined();
    await keys.expectEvent(late!.hash, null, from);
  });
});

/**
 * Two databases (two installations of the service) used the same Redis namespace one after the
 * other: each takes the namespace over whole, deleting the other's keys before writing its own.
 */
describe('a second service with its own database on the same Redis namespace', () => {
  let first: KeysHarness;
  let second: KeysHarness | undefined;

  beforeAll(async () => {
    first = await KeysHarness.start('SQLite', { API_KEYS_PROJECTION_CHECK_INTERVAL_MS: String(CHECK_MS) });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('never shows the keys of one next to the other’s', async () => {
    const kept = (await first.client().addApiKey({ acl: ['search'] })).key;
    const tombstone = (await first.client().addApiKey({ acl: ['browse'] })).key;
    await first.client().deleteApiKey({ key: tombstone });
    await waitFor(async () => (await first.marker()) !== undefined, 'the first service’s marker', 5_000);
    const ours = await first.redis.hGetAll(first.hashKey);
    const firstSource = await first.sourceId();
    await first.stopService();

    second = await KeysHarness.start('PostgreSQL', { REDIS_NAMESPACE: first.namespace, API_KEYS_PROJECTION_CHECK_INTERVAL_MS: String(CHECK_MS) });
    const secondSource = await second.sourceId();
    expect(secondSource).not.toBe(firstSource);
    await waitFor(async () => (await first.marker())?.source === secondSource, 'the second service’s marker', 5_000);
    expect(await first.redis.hLen(first.hashKey)).toBe(0);
    const theirs = (await second.client().addApiKey({ acl: ['search'] })).key;
    expect(await first.redis.hKeys(first.hashKey)).toEqual([apiKeyHash(theirs)]);
    await second.stopService();

    await first.startService();
    await waitFor(async () => (await first.marker())?.source === firstSource, 'the first service’s marker again', 5_000);
    expect(await first.redis.hGetAll(first.hashKey)).toEqual(ours);
    expect(await first.record(apiKeyHash(theirs))).toBeUndefined();
    expect(await first.client().getApiKey({ key: kept })).toMatchObject({ acl: ['search'] });
  });
});
