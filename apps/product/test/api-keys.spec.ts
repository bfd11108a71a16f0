import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeyStore } from '@sso/auth';
import { apiKeyHash } from '@sso/contracts';
import { startServiceHarness, type ServiceHarness, type UsageStandIn } from '@sso/service-testing';
import { ApiKeyWriter, waitFor, type StandIn } from '@sso/testing';
import { algoliasearch } from 'algoliasearch';
import { productService } from '../src/service.js';

const APP_ID = 'SSODEMO';
const ENCRYPTION_SECRET = 'product-test-key-encryption-secret';
// generateSecuredApiKey is computed locally; this client never calls its host.
const algolia = algoliasearch(APP_ID, 'unused');

describe('the product catalog with legacy API keys', () => {
  let product: ServiceHarness;
  let auth: StandIn;
  let usage: UsageStandIn;
  let writer: ApiKeyWriter;
  let url: string;
  let editor: string;

  const withKey = (key: string, path = '/products', init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', 'x-algolia-api-key': key, 'x-algolia-application-id': APP_ID, ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const lamp = { name: 'Lamp', description: 'A desk lamp', price: 2_500, currency: 'EUR' };
  /** A key that works at product (the projection follows the channel, so it arrives within milliseconds). */
  const newKey = async (settings: Parameters<ApiKeyWriter['create']>[0]) => {
    const created = await writer.create(settings);
    await waitFor(async () => (await product.app.get(ApiKeyStore).find(apiKeyHash(created.key))) !== undefined, 'the key to arrive');
    return created;
  };

  beforeAll(async () => {
    product = await startServiceHarness(productService, {
      audience: ['product'],
      scope: 'product:read',
      peers: { auth: {}, usage: {} },
      env: { AUTH_CLIENT_ID: 'product-client', AUTH_CLIENT_SECRET: 'product-client-secret', API_KEYS_ENCRYPTION_SECRET: ENCRYPTION_SECRET },
    });
    ({ url, auth, usage } = product as Required<ServiceHarness>);
    writer = await new ApiKeyWriter(product.testEnv.env.REDIS_URL, product.testEnv.namespace, ENCRYPTION_SECRET).connect();
    await waitFor(() => product.app.get(ApiKeyStore).mode === 'live', 'the key projection to load');
    editor = await product.userToken('editor-1', 'product:read product:write');
    for (let index = 0; index < 5; index++) {
      await fetch(`${url}/products`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` }, body: JSON.stringify({ ...lamp, name: `Lamp ${index}` }) });
    }
  });
  afterAll(async () => {
    await product?.close();
    await writer?.cleanUp();
    await writer?.close();
  });

  it('reads the catalog with a search key, announcing the deprecation of keys', async () => {
    const { key } = await newKey({ acl: ['search'], indexes: ['products'] });
    const response = await withKey(key, '/products?limit=3');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ total: 5, limit: 3 });
    expect(response.headers.get('deprecation')).toBe('@1796083200');
    expect(response.headers.get('link')).toBe(`<${auth.url}/docs>; rel="deprecation"`);
  });

  it('does not let a search key write, nor a key without search read, nor a key for another index reach the catalog', async () => {
    const search = await newKey({ acl: ['search'] });
    const writeOnly = await newKey({ acl: ['addObject', 'deleteObject'] });
    const movies = await newKey({ acl: ['search', 'addObject'], indexes: ['movies*'] });
    expect((await withKey(search.key, '/products', { method: 'POST', body: lamp })).status).toBe(403);
    expect((await withKey(writeOnly.key)).status).toBe(403);
    expect((await withKey(movies.key)).status).toBe(403);
    expect((await withKey(movies.key, '/products', { method: 'POST', body: lamp })).status).toBe(403);
    const created = await withKey(writeOnly.key, '/products', { method: 'POST', body: { ...lamp, name: 'Keyed lamp' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await withKey(writeOnly.key, `/products/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('caps the page size at maxHitsPerQuery and a forced hitsPerPage, and refuses forced filters it cannot apply', async () => {
    const capped = await newKey({ acl: ['search'], maxHitsPerQuery: 2 });
    expect(await (await withKey(capped.key, '/products?limit=50')).json()).toMatchObject({ limit: 2, total: 5 });
    // page counts in the capped page size, as Algolia's hitsPerPage does.
    expect(await (await withKey(capped.key, '/products?limit=50&page=2')).json()).toMatchObject({ offset: 4, limit: 2, items: [expect.any(Object)] });
    const parent = await newKey({ acl: ['search'] });
    const hits = algolia.generateSecuredApiKey({ parentApiKey: parent.key, restrictions: { restrictIndices: ['products'], searchParams: { hitsPerPage: 1 } } });
    expect(await (await withKey(hits, '/products?limit=50')).json()).toMatchObject({ limit: 1 });
    const filtered = algolia.generateSecuredApiKey({ parentApiKey: parent.key, restrictions: { filters: 'price < 100' } });
    expect((await withKey(filtered)).status).toBe(403);
  });

  it('accepts secured keys of the published scheme for its index only', async () => {
    const parentKey = '2640659426d5107b6e47d75db9cbaef8';
    await writer.create({ acl: ['search'] }, parentKey);
    const vector = 'NjFhZmE0OGEyMTI3OThiODc0OTlkOGM0YjcxYzljY2M2NmU2NDE5ZWY0NDZjMWJhNjA2NzBkMjAwOTI2YWQyZnJlc3RyaWN0SW5kaWNlcz1Nb3ZpZXMmdmFsaWRVbnRpbD0yNTI0NjA0NDAw';
    const forProducts = algolia.generateSecuredApiKey({ parentApiKey: parentKey, restrictions: { validUntil: 2524604400, restrictIndices: ['products'] } });
    await waitFor(async () => (await withKey(forProducts)).status === 200, 'the parent to arrive');
    // The published key is restricted to the index Movies.
    expect((await withKey(vector)).status).toBe(403);
  });

  it('answers CORS for browsers on the read routes only, and honours referers', async () => {
    const { key } = await newKey({ acl: ['search'], referers: ['https://shop.example.com/*'] });
    const preflight = await fetch(`${url}/products`, { method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-algolia-api-key,x-algolia-application-id' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-algolia-api-key');
    const read = await withKey(key, '/products', { headers: { origin: 'https://shop.example.com', referer: 'https://shop.example.com/' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    expect((await withKey(key, '/products', { headers: { referer: 'https://elsewhere.example.net/' } })).status).toBe(403);
    const writePreflight = await fetch(`${url}/products`, { method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' } });
    expect(writePreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a deleted key at once, and reports a key’s requests under its id, never the key', async () => {
    const { key, record } = await newKey({ acl: ['search'] });
    expect((await withKey(key)).status).toBe(200);
    await waitFor(() => usage.events.some((event) => event.subject === record.id), 'the key’s request to reach usage-tracking');
    expect(JSON.stringify(usage.events)).not.toContain(key);
    await writer.put(key, { ...record, deletedAt: Math.floor(Date.now() / 1000) });
    // Polled back to back; the end-to-end suite and `npm run bench:api-keys` in libs/auth measure how soon.
    await waitFor(async () => (await withKey(key)).status === 403, 'the deletion to reach product', 1_000, 1);
  });
});
