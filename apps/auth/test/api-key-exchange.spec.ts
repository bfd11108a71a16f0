import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiKeyHash } from '@sso/contracts';
import { ApiKeyWriter, waitFor } from '@sso/testing';
import { algoliasearch } from 'algoliasearch';
import { ApiKeySubjects } from '../src/api-keys/api-key-subjects.js';
import { startAuth, type AuthHarness } from './auth-harness.js';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const API_KEY = 'urn:sso:token-type:api-key';
const ENCRYPTION_SECRET = 'exchange-test-key-encryption-secret';

describe('token exchange of a legacy API key (keys projected in a real Redis)', () => {
  let auth: AuthHarness;
  let writer: ApiKeyWriter;
  const exchange = (key: string, extra: Record<string, string> = {}) => auth.post('/oauth/token', { grant_type: EXCHANGE, subject_token: key, subject_token_type: API_KEY, ...extra });
  /** A key written to Redis, once auth's projection has it (it follows the channel, so within milliseconds). */
  const created = async (settings: Parameters<ApiKeyWriter['create']>[0]) => {
    const made = await writer.create(settings);
    const { store } = auth.app.get(ApiKeySubjects);
    await waitFor(async () => store.mode === 'live' && (await store.find(apiKeyHash(made.key))) !== undefined, 'the key to arrive');
    return made;
  };

  beforeAll(async () => {
    auth = await startAuth({ API_KEYS_ENCRYPTION_SECRET: ENCRYPTION_SECRET });
    writer = await new ApiKeyWriter(auth.config.REDIS_URL, auth.config.REDIS_NAMESPACE, ENCRYPTION_SECRET).connect();
  });
  afterAll(async () => {
    await writer?.cleanUp();
    await writer?.close();
    await auth?.close();
  });

  it('issues a short-lived token for the key, with no client authentication, whose scopes follow the ACL', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 120;
    const { key, record } = await created({ acl: ['search', 'addObject', 'deleteObject', 'usage', 'logs'], expiresAt });
    const response = await exchange(key);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; issued_token_type: string; scope: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', scope: 'product:read product:write usage-tracking:read' });
    expect(body.expires_in).toBeLessThanOrEqual(120);
    const claims = await auth.verify(body.access_token, 'product');
    // Not the key's client: a token whose subject is the key acts on the key's own data only.
    expect(claims).toMatchObject({ sub: record.id, client_id: 'sso-api-key', aud: ['product', 'usage-tracking'], scope: 'product:read product:write usage-tracking:read' });
    expect(claims.sid).toBeUndefined();
    expect(claims.exp).toBeLessThanOrEqual(expiresAt);
    expect(body.access_token).not.toContain(key);
    const narrowed = (await (await exchange(key, { scope: 'product:read' })).json()) as { scope: string };
    expect(narrowed.scope).toBe('product:read');
    expect(await (await exchange(key, { audience: 'billing' })).json()).toMatchObject({ error: 'invalid_target' });
  });

  it('exchanges a secured key for what its parent allows within its own restrictions', async () => {
    const { key: parent, record } = await created({ acl: ['search'] });
    const algolia = algoliasearch('SSODEMO', 'unused');
    const validUntil = Math.floor(Date.now() / 1000) + 60;
    const secured = algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { validUntil, restrictIndices: ['products'] } });
    const body = (await (await exchange(secured)).json()) as { access_token: string };
    const claims = await auth.verify(body.access_token, 'product');
    expect(claims).toMatchObject({ sub: record.id, scope: 'product:read' });
    expect(claims.exp).toBeLessThanOrEqual(validUntil);
    const elsewhere = algolia.generateSecuredApiKey({ parentApiKey: parent, restrictions: { restrictIndices: ['movies'] } });
    expect(await (await exchange(elsewhere)).json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('never widens a key: a write scope needs both addObject and deleteObject', async () => {
    const { key } = await created({ acl: ['search', 'addObject'] });
    expect(await (await exchange(key)).json()).toMatchObject({ scope: 'product:read' });
    expect(await (await exchange(key, { scope: 'product:write' })).json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses unknown, deleted and malformed keys, and keys whose restrictions a token cannot carry', async () => {
    const { key: deleted, record } = await created({ acl: ['search'] });
    await writer.put(deleted, { ...record, deletedAt: Math.floor(Date.now() / 1000) });
    await waitFor(async () => (await exchange(deleted)).status === 400, 'the deletion to arrive');
    const refer = await created({ acl: ['search'], referers: ['https://shop.example.com/*'] });
    for (const key of ['ak_0000000000000000000000000000000000000000', 'garbage', deleted, refer.key]) {
      const response = await exchange(key);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant', error_description: 'subject_token: the API key is not valid' });
    }
    // Past its own checks (a matching referer), a key is still refused for what a token cannot carry.
    const fromShop = await auth.post('/oauth/token', { grant_type: EXCHANGE, subject_token: refer.key, subject_token_type: API_KEY }, { headers: { referer: 'https://shop.example.com/' } });
    expect(await fromShop.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('referers') });
    const limited = await created({ acl: ['search'], maxQueriesPerIPPerHour: 1, maxHitsPerQuery: 10 });
    // Refused for what it carries, however often it is tried: trying uses none of its quota.
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await (await exchange(limited.key)).json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('maxQueriesPerIPPerHour, maxHitsPerQuery') });
    }
    const logsOnly = await created({ acl: ['logs'] });
    expect(await (await exchange(logsOnly.key)).json()).toMatchObject({ error: 'invalid_scope' });
  });
});
