import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_KEY_ACLS, apiKeysDeletedUsesKey, apiKeysLastUsedKey } from '@sso/contracts';
import { KeysHarness, logText, type Database } from './keys-harness.js';

/** The forms in which a leaked key could be found: as is, without its prefix, hex, base64 and base64url. */
function formsOf(key: string): string[] {
  const bytes = Buffer.from(key, 'utf8');
  return [key, key.replace(/^ak_/, ''), bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')];
}

describe.each<[Database]>([['SQLite'], ['PostgreSQL']])('no key in plaintext anywhere the service writes, on %s', (database) => {
  let keys: KeysHarness;
  const created: string[] = [];

  beforeAll(async () => {
    keys = await KeysHarness.start(database);
    const client = keys.client();
    const add = async (body: Parameters<typeof client.addApiKey>[0]) => {
      const { key } = await client.addApiKey(body);
      created.push(key);
      return key;
    };
    const keyIdOf = async (key: string) => ((await client.getApiKey({ key })) as unknown as { keyId: string }).keyId;

    const parent = await add({ acl: ['search'], description: 'parent of secured keys', indexes: ['products'] });
    await add({ acl: [...API_KEY_ACLS], referers: ['*.example.com'], maxHitsPerQuery: 10, maxQueriesPerIPPerHour: 50, queryParameters: 'hitsPerPage=5', validity: 3_600 });
    const promoted = await add({ acl: ['browse'] });
    await client.updateApiKey({ key: promoted, apiKey: { acl: ['browse', 'search'] } });
    const removed = await add({ acl: ['search', 'addObject'] });
    await client.deleteApiKey({ key: removed });
    const restored = await add({ acl: ['search'] });
    await client.deleteApiKey({ key: restored });
    await client.restoreApiKey({ key: restored });
    await add({ acl: ['search'], validity: 1 });
    const viaToken = await keys.request('POST', '/1/keys', { token: await keys.token(), body: { acl: ['search', 'browse'] } });
    created.push(((await viaToken.json()) as { key: string }).key);

    // What guards report: a use of the parent, and a use of the deleted key.
    await keys.redis.zAdd(apiKeysLastUsedKey(keys.namespace), { value: await keyIdOf(parent), score: Math.floor(Date.now() / 1000) });
    const removedId = (await keys.rows<{ id: string }>('SELECT id FROM api_keys WHERE "deletedAt" IS NOT NULL'))[0].id;
    await keys.redis.rPush(apiKeysDeletedUsesKey(keys.namespace), JSON.stringify({ keyId: removedId, service: 'product', at: Math.floor(Date.now() / 1000), ip: '198.51.100.1' }));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await keys.runMaintenance();
    await client.listApiKeys();
  });
  afterAll(() => keys?.close());

  it('made every kind of key, with parents sealed and the rest without a secret', async () => {
    expect(created).toHaveLength(7);
    const rows = await keys.rows<{ acl: string; sealedSecret: string | null; deletedAt: unknown }>('SELECT acl, "sealedSecret", "deletedAt" FROM api_keys');
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row.sealedSecret !== null).toBe((JSON.parse(row.acl) as string[]).includes('search'));
    expect(rows.filter((row) => row.deletedAt !== null)).toHaveLength(2);
    expect((await keys.rows('SELECT * FROM audit_events')).length).toBeGreaterThanOrEqual(13);
  });

  it('holds none of them (nor the admin key) in any value of its Redis namespace, any table row, its events or its logs', async () => {
    const redisDump: unknown[] = [];
    for await (const batch of keys.redis.scanIterator({ MATCH: `${keys.namespace}*`, COUNT: 100 })) {
      for (const name of batch) redisDump.push(name, await redisValue(keys, name));
    }
    expect(redisDump.length).toBeGreaterThanOrEqual(4);
    const tables = database === 'SQLite'
      ? await keys.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      : await keys.rows<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['api_keys', 'audit_events', 'migrations']));
    const databaseDump = await Promise.all(tables.map(async ({ name }) => [name, await keys.rows(`SELECT * FROM "${name}"`)]));
    const everything = JSON.stringify({ redisDump, databaseDump, events: keys.events, logs: logText(keys) });
    // The dump is the real thing: it holds the sealed secrets and the visible parts.
    expect(everything).toContain('sealedSecret');
    expect(everything).toContain(created[0].slice(0, 7));
    for (const secret of [...created, keys.adminKey]) {
      for (const form of formsOf(secret)) expect(everything).not.toContain(form);
    }
    if (database === 'SQLite') {
      // And the bytes of the database files, free pages and write-ahead log included.
      const files = ['api-keys.sqlite', 'api-keys.sqlite-wal'].map((name) => join(keys.testEnv.dataDir, name)).filter((file) => existsSync(file));
      const bytes = files.map((file) => readFileSync(file).toString('latin1')).join('');
      expect(bytes).toContain(created[0].slice(0, 7));
      for (const secret of [...created, keys.adminKey]) expect(bytes).not.toContain(secret);
    }
  });
});

async function redisValue(keys: KeysHarness, name: string): Promise<unknown> {
  switch (await keys.redis.type(name)) {
    case 'string':
      return keys.redis.get(name);
    case 'hash':
      return keys.redis.hGetAll(name);
    case 'list':
      return keys.redis.lRange(name, 0, -1);
    case 'set':
      return keys.redis.sMembers(name);
    case 'zset':
      return keys.redis.zRangeWithScores(name, 0, -1);
    case 'stream':
      return keys.redis.xRange(name, '-', '+');
    default:
      return null;
  }
}
