import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_KEY_PATTERN, API_KEY_SECRET_PURPOSE, apiKeyHash, maskedApiKey, SecretBox } from '@sso/contracts';
import { APP_ID, KeysHarness, type Database, type SearchClient } from './keys-harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const storefront = {
  acl: ['search', 'browse'] as const,
  description: 'storefront',
  indexes: ['products', 'dev_*'],
  referers: ['https://shop.example.com/*', '*.example.org'],
  maxHitsPerQuery: 20,
  maxQueriesPerIPPerHour: 100,
  queryParameters: 'hitsPerPage=20&filters=brand%3AAcme',
  validity: 3_600,
};

describe.each<[Database]>([['SQLite'], ['PostgreSQL']])('key management through the algoliasearch client on %s', (database) => {
  let keys: KeysHarness;
  let client: SearchClient;
  let open: (sealed: string) => string;

  beforeAll(async () => {
    keys = await KeysHarness.start(database);
    client = keys.client();
    const box = new SecretBox(keys.config.API_KEYS_ENCRYPTION_SECRET, API_KEY_SECRET_PURPOSE);
    open = (sealed) => box.open(sealed).toString('utf8');
  });
  afterAll(() => keys?.close());

  it('creates a key: shown once (RFC 3339 createdAt), projected to Redis with its sealed secret, and published', async () => {
    const from = keys.events.length;
    const before = Date.now();
    const created = await client.addApiKey({ ...storefront, acl: [...storefront.acl] });
    expect(created).toEqual({ key: expect.stringMatching(API_KEY_PATTERN), createdAt: expect.any(String) });
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
    const hash = apiKeyHash(created.key);
    const record = await keys.record(hash);
    expect(record).toEqual({
      v: 1,
      id: expect.stringMatching(UUID),
      appId: APP_ID,
      acl: ['search', 'browse'],
      indexes: storefront.indexes,
      referers: storefront.referers,
      maxHitsPerQuery: 20,
      maxQueriesPerIPPerHour: 100,
      queryParameters: storefront.queryParameters,
      expiresAt: expect.any(Number),
      deletedAt: null,
      sealedSecret: expect.stringMatching(/^v1\./),
      version: Date.parse(created.createdAt),
    });
    expect(record!.expiresAt! - Math.floor(before / 1000)).toBeGreaterThanOrEqual(3_599);
    expect(open(record!.sealedSecret!)).toBe(created.key);
    await keys.expectEvent(hash, record, from);
    expect(await keys.keyRow(record!.id)).toMatchObject({ hash, visiblePart: created.key.slice(0, 7), sealedSecret: record!.sealedSecret, deletedAt: null });
  });

  it('reads a key by the key or by its id: Algolia’s fields, masked value, createdAt in Unix seconds, keyId and lastUsedAt', async () => {
    const created = await client.addApiKey({ acl: ['search'], description: 'read me' });
    const view = await client.getApiKey({ key: created.key });
    expect(view).toEqual({
      value: maskedApiKey(created.key.slice(0, 7)),
      createdAt: Math.floor(Date.parse(created.createdAt) / 1000),
      acl: ['search'],
      description: 'read me',
      indexes: [],
      referers: [],
      maxHitsPerQuery: 0,
      maxQueriesPerIPPerHour: 0,
      queryParameters: '',
      validity: 0,
      keyId: expect.stringMatching(UUID),
      lastUsedAt: null,
    });
    const byId = await client.getApiKey({ key: (view as unknown as { keyId: string }).keyId });
    expect(byId).toEqual(view);
    const { keys: listed } = await client.listApiKeys();
    expect(listed).toContainEqual(view);
    expect(listed[0]).toEqual(view);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    await expect(client.waitForApiKey({ operation: 'add', key: created.key })).resolves.toEqual(view);
  });

  it('replaces every setting on PUT (unset ones reset to defaults), drops the sealed secret with search, and waitForApiKey sees it', async () => {
    const created = await client.addApiKey({ ...storefront, acl: [...storefront.acl] });
    const hash = apiKeyHash(created.key);
    const { keyId } = (await client.getApiKey({ key: created.key })) as unknown as { keyId: string };
    const from = keys.events.length;
    const updated = await client.updateApiKey({ key: created.key, apiKey: { acl: ['browse'], description: 'narrowed' } });
    expect(updated).toEqual({ key: keyId, updatedAt: expect.any(String) });
    expect(new Date(updated.updatedAt).toISOString()).toBe(updated.updatedAt);
    const expected = { acl: ['browse'], description: 'narrowed', indexes: [], referers: [], maxHitsPerQuery: 0, maxQueriesPerIPPerHour: 0, queryParameters: '', validity: 0 };
    expect(await client.getApiKey({ key: created.key })).toMatchObject(expected);
    await expect(client.waitForApiKey({ operation: 'update', key: created.key, apiKey: { acl: ['browse'], description: 'narrowed' } })).resolves.toMatchObject(expected);
    const record = await keys.record(hash);
    expect(record).toMatchObject({ id: keyId, acl: ['browse'], indexes: [], expiresAt: null, deletedAt: null, version: Date.parse(updated.updatedAt) });
    expect(record).not.toHaveProperty('sealedSecret');
    await keys.expectEvent(hash, record, from);
  });

  it('adds the sealed secret when search is added through the key itself, and cannot when the key is addressed by id', async () => {
    const byKey = await client.addApiKey({ acl: ['browse'] });
    expect(await keys.record(apiKeyHash(byKey.key))).not.toHaveProperty('sealedSecret');
    await client.updateApiKey({ key: byKey.key, apiKey: { acl: ['browse', 'search'] } });
    expect(open((await keys.record(apiKeyHash(byKey.key)))!.sealedSecret!)).toBe(byKey.key);

    const byId = await client.addApiKey({ acl: ['browse'] });
    const { keyId } = (await client.getApiKey({ key: byId.key })) as unknown as { keyId: string };
    await client.updateApiKey({ key: keyId, apiKey: { acl: ['search'] } });
    const record = await keys.record(apiKeyHash(byId.key));
    expect(record).toMatchObject({ acl: ['search'] });
    expect(record).not.toHaveProperty('sealedSecret');
  });

  it('deletes a key as a tombstone (404 to reads), and restores it with its validity reset to 0', async () => {
    const created = await client.addApiKey({ acl: ['search'], validity: 600 });
    const hash = apiKeyHash(created.key);
    const { keyId } = (await client.getApiKey({ key: created.key })) as unknown as { keyId: string };

    let from = keys.events.length;
    const deleted = await client.deleteApiKey({ key: created.key });
    expect(deleted).toEqual({ deletedAt: expect.any(String) });
    const tombstone = await keys.record(hash);
    expect(tombstone).toMatchObject({ id: keyId, deletedAt: Math.floor(Date.parse(deleted.deletedAt) / 1000), sealedSecret: expect.any(String) });
    expect(tombstone!.version).toBeGreaterThan(Date.parse(created.createdAt));
    await keys.expectEvent(hash, tombstone, from);
    await expect(client.getApiKey({ key: created.key })).rejects.toMatchObject({ status: 404, message: 'Key does not exist' });
    await expect(client.waitForApiKey({ operation: 'delete', key: created.key })).resolves.toBeUndefined();
    expect((await client.listApiKeys()).keys.map((key) => (key as unknown as { keyId: string }).keyId)).not.toContain(keyId);
    await expect(client.deleteApiKey({ key: created.key })).rejects.toMatchObject({ status: 404 });
    await expect(client.updateApiKey({ key: keyId, apiKey: { acl: ['browse'] } })).rejects.toMatchObject({ status: 404 });

    from = keys.events.length;
    const restored = await client.restoreApiKey({ key: created.key });
    expect(restored).toEqual({ key: keyId, createdAt: created.createdAt });
    expect(await client.getApiKey({ key: created.key })).toMatchObject({ acl: ['search'], validity: 0, keyId });
    const record = await keys.record(hash);
    expect(record).toMatchObject({ deletedAt: null, expiresAt: null, sealedSecret: tombstone!.sealedSecret });
    expect(record!.version).toBeGreaterThan(tombstone!.version);
    await keys.expectEvent(hash, record, from);
    await expect(client.restoreApiKey({ key: keyId })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/not deleted/) });

    const trail = await keys.request('GET', `/admin/audit-events?keyId=${keyId}`);
    expect(((await trail.json()) as { items: Array<{ type: string }> }).items.map((event) => event.type)).toEqual(['restored', 'deleted', 'created']);
  });
});
