import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_ID, KeysHarness, logText, type Database } from './keys-harness.js';

const contractBody = (statusCode: number, code: string) => ({ statusCode, error: expect.any(String), message: expect.any(String), requestId: expect.any(String), code });

describe.each<[Database]>([['SQLite'], ['PostgreSQL']])('who may manage keys, on %s', (database) => {
  let keys: KeysHarness;
  let managedKey: string;
  let tokenMadeKey: string;

  beforeAll(async () => {
    keys = await KeysHarness.start(database);
    managedKey = (await keys.client().addApiKey({ acl: ['search', 'browse', 'addObject', 'deleteObject', 'listIndexes', 'settings', 'editSettings'] })).key;
  });
  afterAll(() => keys?.close());

  it.each([
    ['a wrong application id', () => keys.client(keys.adminKey, 'OTHERAPP')],
    ['a wrong admin key', () => keys.client('0123456789abcdef0123456789abcdef')],
    ['a managed key, even one with every index ACL', () => keys.client(managedKey)],
  ])('refuses %s with 403 and Algolia’s message, through the algoliasearch client', async (_name, client) => {
    const before = await keys.snapshot();
    await expect(client().listApiKeys()).rejects.toMatchObject({ status: 403, message: 'Invalid Application-ID or API key' });
    await expect(client().addApiKey({ acl: ['search'] })).rejects.toMatchObject({ status: 403 });
    await expect(client().getApiKey({ key: managedKey })).rejects.toMatchObject({ status: 403 });
    await expect(client().deleteApiKey({ key: managedKey })).rejects.toMatchObject({ status: 403 });
    expect(await keys.snapshot()).toBe(before);
  });

  it.each<[string, () => Record<string, string>, number, string]>([
    ['no credentials', () => ({}), 401, 'missing_token'],
    ['the admin key without an application id', () => ({ 'x-algolia-api-key': keys.adminKey }), 403, 'api_key_refused'],
    ['a managed key', () => ({ 'x-algolia-application-id': APP_ID, 'x-algolia-api-key': managedKey }), 403, 'api_key_refused'],
    ['a malformed bearer token', () => ({ authorization: 'Bearer not-a-token' }), 401, 'malformed'],
  ])('answers %s with the contract error body', async (_name, headers, status, code) => {
    for (const [method, path] of [['GET', '/1/keys'], ['POST', '/1/keys'], ['GET', '/admin/audit-events']]) {
      const response = await keys.request(method, path, { anonymous: true, headers: headers(), body: method === 'POST' ? { acl: ['search'] } : undefined });
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(contractBody(status, code));
      if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });

  it('accepts a bearer token with api-keys:admin, and records its subject as the actor', async () => {
    const token = await keys.token('api-keys:admin');
    const created = await keys.request('POST', '/1/keys', { token, body: { acl: ['search'] } });
    expect(created.status).toBe(200);
    const { key } = (await created.json()) as { key: string };
    tokenMadeKey = key;
    const view = (await (await keys.request('GET', `/1/keys/${key}`, { token })).json()) as { keyId: string };
    const trail = await keys.request('GET', `/admin/audit-events?keyId=${view.keyId}`, { token });
    expect(((await trail.json()) as { items: unknown[] }).items).toEqual([expect.objectContaining({ type: 'created', actor: 'ops-1' })]);
  });

  it('refuses a token without api-keys:admin (403 insufficient_scope) or for another audience (401)', async () => {
    const reader = await keys.request('GET', '/1/keys', { token: await keys.token('api-keys:read') });
    expect(reader.status).toBe(403);
    expect(await reader.json()).toEqual(contractBody(403, 'insufficient_scope'));
    expect(reader.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
    const foreign = await keys.request('GET', '/1/keys', { token: await keys.token('api-keys:admin', { aud: ['billing'] }) });
    expect(foreign.status).toBe(401);
    expect(await foreign.json()).toEqual(contractBody(401, 'wrong_audience'));
  });

  it('never writes the admin key or a managed key to its log, not even from a path that carried one', () => {
    const logs = logText(keys);
    expect(logs).toMatch(/"path":"\/1\/keys\/[0-9a-f]{64}"/);
    expect(logs).not.toContain(keys.adminKey);
    expect(logs).not.toContain(managedKey);
    expect(logs).not.toContain(tokenMadeKey);
  });
});
