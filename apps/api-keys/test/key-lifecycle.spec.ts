import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiKeyHash, apiKeysDeletedUsesKey, apiKeysLastUsedKey } from '@sso/contracts';
import { expectPagedCollection, waitFor } from '@sso/testing';
import { KeysHarness, type Database, type SearchClient } from './keys-harness.js';

interface AuditPage {
  items: Array<{ id: number; type: string; keyId: string; actor: string; at: string; details: Record<string, unknown> }>;
  total: number;
  offset: number;
  limit: number;
}

/** 0.001 h = 3.6 s of restore period; maintenance every 100 ms. */
const SHORT = { API_KEYS_RESTORE_HOURS: '0.001', API_KEYS_MAINTENANCE_INTERVAL_MS: '100' };

describe.each<[Database]>([['SQLite'], ['PostgreSQL']])('expiry, purge, restore and guard reports on %s', (database) => {
  let keys: KeysHarness;
  let client: SearchClient;
  const keyIdOf = async (key: string) => ((await client.getApiKey({ key })) as unknown as { keyId: string }).keyId;
  const audit = async (query: string) => (await (await keys.request('GET', `/admin/audit-events?${query}`)).json()) as AuditPage;

  beforeAll(async () => {
    keys = await KeysHarness.start(database, SHORT);
    client = keys.client();
  });
  afterAll(() => keys?.close());

  it('turns a key past its validity into a tombstone (audit expired) and purges it after the restore period (HDEL, null event)', async () => {
    const from = keys.events.length;
    const { key } = await client.addApiKey({ acl: ['search'], validity: 1 });
    const hash = apiKeyHash(key);
    const keyId = await keyIdOf(key);
    await waitFor(async () => (await keys.record(hash))?.deletedAt !== null, 'the key to expire', 5_000);
    await expect(client.getApiKey({ key })).rejects.toMatchObject({ status: 404 });
    expect((await audit(`keyId=${keyId}&type=expired`)).items).toEqual([expect.objectContaining({ type: 'expired', actor: 'system', keyId })]);

    await waitFor(async () => (await keys.redis.hExists(keys.hashKey, hash)) === 0, 'the tombstone to be purged', 10_000);
    const events = await keys.eventsAfter(from, 3, hash);
    const states = events.map(({ record }) => (record === null ? 'removed' : record.deletedAt === null ? 'live' : 'tombstone'));
    expect(states).toEqual(['live', 'tombstone', 'removed']);
    // Expiry is a change like any other: the tombstone is a later version than the live record.
    expect(events[1].record!.version).toBeGreaterThan(events[0].record!.version);
    expect(await keys.keyRow(keyId)).toBeUndefined();
    await expect(client.restoreApiKey({ key })).rejects.toMatchObject({ status: 404, message: 'Key does not exist' });
    expect((await audit(`keyId=${keyId}`)).items.map((event) => event.type)).toEqual(['purged', 'expired', 'created']);
  });

  it('restores a deleted key within the restore period, after which it is no longer purged', async () => {
    const { key } = await client.addApiKey({ acl: ['browse'], validity: 3_600 });
    await client.deleteApiKey({ key });
    await client.restoreApiKey({ key });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await client.getApiKey({ key })).toMatchObject({ acl: ['browse'], validity: 0 });
    expect(await keys.record(apiKeyHash(key))).toMatchObject({ deletedAt: null, expiresAt: null });
  });

  it('folds the guards’ last-used times into lastUsedAt, only ever forward', async () => {
    const { key } = await client.addApiKey({ acl: ['search'] });
    const keyId = await keyIdOf(key);
    const lastUsed = apiKeysLastUsedKey(keys.namespace);
    const lastUsedAt = async () => ((await client.getApiKey({ key })) as unknown as { lastUsedAt: number | null }).lastUsedAt;
    expect(await lastUsedAt()).toBeNull();
    const usedAt = Math.floor(Date.now() / 1000) - 5;
    await keys.redis.zAdd(lastUsed, { value: keyId, score: usedAt }, { GT: true });
    await waitFor(async () => (await lastUsedAt()) === usedAt, 'lastUsedAt to be folded in', 5_000);
    // A lower score (a guard with a slow clock) never moves the stored time back.
    await keys.redis.zAdd(lastUsed, { value: keyId, score: usedAt - 3 });
    await keys.runMaintenance();
    expect(await lastUsedAt()).toBe(usedAt);
    const listed = (await client.listApiKeys()).keys.find((view) => (view as unknown as { keyId: string }).keyId === keyId);
    expect(listed).toMatchObject({ lastUsedAt: usedAt });
  });

  it('records uses of deleted keys reported by guards as used_after_delete, drains the list, and drops malformed reports', async () => {
    const { key } = await client.addApiKey({ acl: ['search'] });
    const keyId = await keyIdOf(key);
    await client.deleteApiKey({ key });
    const at = Math.floor(Date.now() / 1000);
    const list = apiKeysDeletedUsesKey(keys.namespace);
    await keys.redis.rPush(list, [JSON.stringify({ keyId, service: 'product', at, ip: '203.0.113.7' }), 'not json', JSON.stringify({ keyId: key, service: 'product', at })]);
    await waitFor(async () => (await keys.redis.lLen(list)) === 0 && (await audit(`type=used_after_delete&keyId=${keyId}`)).total === 1, 'the reports to be drained', 5_000);
    const [event] = (await audit(`type=used_after_delete&keyId=${keyId}`)).items;
    expect(event).toEqual({ id: expect.any(Number), type: 'used_after_delete', keyId, actor: 'product', at: new Date(at * 1000).toISOString(), details: { service: 'product', ip: '203.0.113.7' } });
    expect(JSON.stringify(await audit('limit=200'))).not.toContain(key);
  });

  it('pages the audit trail newest first and refuses bad filters', async () => {
    const first = await audit('limit=2');
    expect(first).toEqual({ items: [expect.any(Object), expect.any(Object)], total: expect.any(Number), offset: 0, limit: 2 });
    const second = await audit('offset=2&limit=2');
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    expect(first.items[0].id).toBeGreaterThan(first.items[1].id);
    for (const query of ['type=stolen', 'keyId=ak_123', 'limit=1000', 'offset=-1', 'extra=1']) {
      const response = await keys.request('GET', `/admin/audit-events?${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    }
    await expectPagedCollection(keys.url, '/admin/audit-events', { authorization: `Bearer ${await keys.token()}` });
  });
});
