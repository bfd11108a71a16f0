import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mintApiKey } from '@sso/contracts';
import { KeysHarness, type Database } from './keys-harness.js';

interface Refusal {
  statusCode: number;
  error: string;
  message: string;
  requestId: string;
  code?: string;
}

const valid = { acl: ['search'] };

describe.each<[Database]>([['SQLite'], ['PostgreSQL']])('bad input to the key API on %s is refused and changes nothing', (database) => {
  let keys: KeysHarness;
  let existing: string;

  beforeAll(async () => {
    keys = await KeysHarness.start(database);
    existing = (await keys.client().addApiKey({ acl: ['search'], description: 'kept' })).key;
  });
  afterAll(() => keys?.close());

  it.each<[string, unknown, RegExp, string?]>([
    ['an unknown ACL', { acl: ['search', 'fly'] }, /acl: unknown ACL "fly" \(known: search, browse/],
    ['admin as an ACL', { acl: ['admin'] }, /unknown ACL "admin"/],
    ['no acl', { description: 'x' }, /acl is required/],
    ['an acl that is not an array', { acl: 'search' }, /acl must be an array/],
    ['a negative validity', { ...valid, validity: -1 }, /validity must be 0 \(never expires\) or a positive number of seconds/],
    ['a validity given as text', { ...valid, validity: '60' }, /validity must be a whole number of seconds/],
    ['indexes that are not an array', { ...valid, indexes: 'products' }, /indexes must be an array/],
    ['an index pattern with * inside', { ...valid, indexes: ['pro*ducts'] }, /\* only at its start or end/],
    ['a referer that is not a string', { ...valid, referers: [42] }, /referers must contain only strings/],
    ['maxHitsPerQuery over 1000', { ...valid, maxHitsPerQuery: 5_000 }, /maxHitsPerQuery must be at most 1000/],
    ['queryParameters that are not URL-encoded', { ...valid, queryParameters: 'filters=brand:Acme Corp' }, /queryParameters must be a URL-encoded query string/],
    ['an unknown field', { ...valid, admin: true }, /property admin should not exist/],
    ['a description of 5,000 characters', { ...valid, description: 'd'.repeat(5_000) }, /description must be at most 1000 characters/],
    ['an array body', [valid], /must be a JSON object/],
    ['malformed JSON (sent as text/plain, as the client sends)', '{"acl": [', /not valid JSON/, 'invalid_json'],
  ])('%s: 400 with one readable message', async (_name, body, reason, code = 'validation_failed') => {
    const before = await keys.snapshot();
    const events = keys.events.length;
    for (const [method, path] of [['POST', '/1/keys'], ['PUT', `/1/keys/${existing}`]]) {
      const response = await keys.request(method, path, { body, headers: typeof body === 'string' ? { 'content-type': 'text/plain' } : {} });
      expect(response.status).toBe(400);
      const answer = (await response.json()) as Refusal;
      expect(answer).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String), requestId: expect.any(String), code });
      expect(answer.message).toMatch(reason);
    }
    expect(await keys.snapshot()).toBe(before);
    expect(keys.events.length).toBe(events);
  });

  it('surfaces the message in the algoliasearch client’s ApiError', async () => {
    const client = keys.client();
    await expect(client.addApiKey({ acl: ['fly' as 'search'] })).rejects.toMatchObject({ name: 'DetailedApiError', status: 400, message: expect.stringMatching(/unknown ACL "fly"/) });
    await expect(client.updateApiKey({ key: existing, apiKey: { acl: ['search'], validity: -5 } })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/validity/) });
  });

  it('refuses a body over 100 kB with 413 (the platform’s limit), JSON or text/plain alike', async () => {
    const before = await keys.snapshot();
    for (const contentType of ['application/json', 'text/plain']) {
      const response = await keys.request('POST', '/1/keys', { body: { ...valid, description: 'x'.repeat(120_000) }, headers: { 'content-type': contentType } });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.stringMatching(/too large/i), requestId: expect.any(String), code: 'entity.too.large' });
    }
    expect(await keys.snapshot()).toBe(before);
  });

  it.each([
    ['a well-formed key that was never issued', () => mintApiKey()],
    ['an unknown key id', () => randomUUID()],
    ['a malformed key', () => 'ak_123'],
    ['a key with a wrong checksum', () => `${existing.slice(0, -1)}${existing.endsWith('0') ? '1' : '0'}`],
  ])('answers %s with 404 "Key does not exist" on every route', async (_name, key) => {
    const before = await keys.snapshot();
    const path = `/1/keys/${encodeURIComponent(key())}`;
    for (const [method, suffix, body] of [['GET', ''], ['PUT', '', valid], ['DELETE', ''], ['POST', '/restore']] as const) {
      const response = await keys.request(method, `${path}${suffix}`, { body });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Key does not exist', requestId: expect.any(String), code: 'key_not_found' });
    }
    await expect(keys.client().getApiKey({ key: key() })).rejects.toMatchObject({ status: 404, message: 'Key does not exist' });
    expect(await keys.snapshot()).toBe(before);
  });

  it('refuses to restore a key that is not deleted', async () => {
    const response = await keys.request('POST', `/1/keys/${existing}/restore`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'key_not_deleted', message: expect.stringMatching(/only a deleted key can be restored/) });
  });

  it('still holds the key it started with, unchanged', async () => {
    expect(await keys.client().getApiKey({ key: existing })).toMatchObject({ acl: ['search'], description: 'kept', validity: 0 });
  });
});
