import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeyStore } from '@sso/auth';
import { apiKeyHash } from '@sso/contracts';
import { startServiceHarness, type ServiceHarness, type UsageStandIn } from '@sso/service-testing';
import { ApiKeyWriter, waitFor } from '@sso/testing';
import { algoliasearch, type SearchResponse } from 'algoliasearch';
import { productService } from '../src/service.js';
import { algoliaClient, APP_ID, browserLiteClient, CATALOG, namesOf } from './algolia-client.js';

const ENCRYPTION_SECRET = 'product-test-key-encryption-secret';
// generateSecuredApiKey is computed locally; this client never calls its host.
const generator = algoliasearch(APP_ID, 'unused');
const ALL_NAMES = [...CATALOG.map((record) => record.name)].sort();

describe('API keys on the Algolia routes', () => {
  let product: ServiceHarness;
  let usage: UsageStandIn;
  let writer: ApiKeyWriter;
  let url: string;
  let lampId: string;
  let shirtId: string;

  const newKey = async (settings: Parameters<ApiKeyWriter['create']>[0]) => {
    const created = await writer.create(settings);
    await waitFor(async () => (await product.app.get(ApiKeyStore).find(apiKeyHash(created.key))) !== undefined, 'the key to arrive');
    return created.key;
  };
  const secured = (parent: string, restrictions: Parameters<typeof generator.generateSecuredApiKey>[0]['restrictions']) => generator.generateSecuredApiKey({ parentApiKey: parent, restrictions });
  const names = async (key: string, searchParams: Record<string, unknown> = {}) => namesOf((await algoliaClient(url, key).searchSingleIndex<{ name: string }>({ indexName: 'products', searchParams: { hitsPerPage: 50, ...searchParams } })).hits);
  const status = (promise: Promise<unknown>) => promise.then(() => 200, (error: { status?: number }) => error.status);

  beforeAll(async () => {
    product = await startServiceHarness(productService, {
      audience: ['product'],
      scope: 'product:read',
      peers: { auth: {}, usage: {} },
      env: { AUTH_CLIENT_ID: 'product-client', AUTH_CLIENT_SECRET: 'product-client-secret', API_KEYS_ENCRYPTION_SECRET: ENCRYPTION_SECRET, OUTBOX_INTERVAL_MS: '50' },
    });
    url = product.url;
    usage = product.usage as UsageStandIn;
    writer = await new ApiKeyWriter(product.testEnv.env.REDIS_URL, product.testEnv.namespace, ENCRYPTION_SECRET).connect();
    await waitFor(() => product.app.get(ApiKeyStore).mode === 'live', 'the key projection to load');
    const indexer = algoliaClient(url, await newKey({ acl: ['addObject'], indexes: ['products'] }));
    const [{ objectIDs }] = await indexer.saveObjects({ indexName: 'products', objects: CATALOG, waitForTasks: true });
    lampId = objectIDs[CATALOG.findIndex((record) => record.name === 'Desk Lamp')];
    shirtId = objectIDs[CATALOG.findIndex((record) => record.name === 'Organic Cotton Shirt')];
  });
  afterAll(async () => {
    await product?.close();
    await writer?.cleanUp();
    await writer?.close();
  });

  it('gives each route its ACL: search reads, addObject writes and waits, deleteObject deletes', async () => {
    const search = algoliaClient(url, await newKey({ acl: ['search'], indexes: ['products'] }));
    const add = algoliaClient(url, await newKey({ acl: ['addObject'] }));
    const remove = algoliaClient(url, await newKey({ acl: ['deleteObject'] }));
    const body = { name: 'Keyed lamp', price: 100, currency: 'EUR' };
    expect(await status(search.searchSingleIndex({ indexName: 'products', searchParams: {} }))).toBe(200);
    expect(await status(search.search({ requests: [{ indexName: 'products' }] }))).toBe(200);
    expect(await status(search.getObject({ indexName: 'products', objectID: lampId }))).toBe(200);
    expect(await status(search.saveObject({ indexName: 'products', body }))).toBe(403);
    expect(await status(add.searchSingleIndex({ indexName: 'products', searchParams: {} }))).toBe(403);
    expect(await status(add.getObject({ indexName: 'products', objectID: lampId }))).toBe(403);
    const { objectID, taskID } = await add.saveObject({ indexName: 'products', body });
    await expect(add.waitForTask({ indexName: 'products', taskID })).resolves.toEqual({ status: 'published' });
    expect(await status(add.partialUpdateObject({ indexName: 'products', objectID: objectID as string, attributesToUpdate: { price: 90 } }))).toBe(200);
    expect(await status(add.deleteObject({ indexName: 'products', objectID: objectID as string }))).toBe(403);
    const deleteInBatch = add.batch({ indexName: 'products', batchWriteParams: { requests: [{ action: 'deleteObject', body: { objectID } }] } });
    await expect(deleteInBatch).rejects.toMatchObject({ status: 403, message: 'Method not allowed with this API key (needs the deleteObject ACL)' });
    expect(await status(remove.waitForTask({ indexName: 'products', taskID }))).toBe(403);
    expect(await status(remove.deleteObject({ indexName: 'products', objectID: objectID as string }))).toBe(200);
    await expect(search.getObject({ indexName: 'products', objectID: objectID as string })).rejects.toMatchObject({ status: 404 });
  });

  it('holds keys to their indexes: the path’s, and every index of a multi-query', async () => {
    const movies = await newKey({ acl: ['search'], indexes: ['movies*'] });
    expect(await status(algoliaClient(url, movies).searchSingleIndex({ indexName: 'products', searchParams: {} }))).toBe(403);
    const productsOnly = await newKey({ acl: ['search'], indexes: ['prod*'] });
    expect(await status(algoliaClient(url, productsOnly).searchSingleIndex({ indexName: 'movies', searchParams: {} }))).toBe(403);
    const restricted = secured(await newKey({ acl: ['search'] }), { restrictIndices: ['products'] });
    const client = algoliaClient(url, restricted);
    expect(await status(client.search({ requests: [{ indexName: 'products' }] }))).toBe(200);
    await expect(client.search({ requests: [{ indexName: 'products' }, { indexName: 'movies' }] })).rejects.toMatchObject({ status: 403, message: 'Index not allowed with this API key' });
    const unrestricted = algoliaClient(url, await newKey({ acl: ['search'] }));
    await expect(unrestricted.search({ requests: [{ indexName: 'movies' }] })).rejects.toMatchObject({ status: 404 });
    const elsewhere = secured(await newKey({ acl: ['search'] }), { restrictIndices: ['movies'] });
    expect(await status(algoliaClient(url, elsewhere).searchSingleIndex({ indexName: 'products', searchParams: {} }))).toBe(403);
  });

  it('caps hitsPerPage at maxHitsPerQuery', async () => {
    const client = algoliaClient(url, await newKey({ acl: ['search'], maxHitsPerQuery: 2 }));
    expect(await client.searchSingleIndex({ indexName: 'products', searchParams: { hitsPerPage: 50 } })).toMatchObject({ hitsPerPage: 2, nbHits: CATALOG.length, nbPages: 4, hits: [{}, {}] });
    const { results } = await client.search({ requests: [{ indexName: 'products', hitsPerPage: 1_000 }] });
    expect(results[0]).toMatchObject({ hitsPerPage: 2 });
  });

  it("forces a key's queryParameters onto every query, its filters ANDed with the request's", async () => {
    const key = await newKey({ acl: ['search'], queryParameters: new URLSearchParams({ filters: 'brand:Acme', hitsPerPage: '1', attributesToRetrieve: '["name"]' }).toString() });
    const client = algoliaClient(url, key);
    const answer = await client.searchSingleIndex<Record<string, unknown>>({ indexName: 'products', searchParams: { hitsPerPage: 20, attributesToRetrieve: ['*'] } });
    expect(answer).toMatchObject({ nbHits: 2, hitsPerPage: 1 });
    expect(Object.keys(answer.hits[0]).sort()).toEqual(['_highlightResult', 'name', 'objectID']);
    expect((await client.searchSingleIndex({ indexName: 'products', searchParams: { filters: 'brand:Zenith' } })).nbHits).toBe(0);
    expect((await client.searchSingleIndex({ indexName: 'products', searchParams: { filters: 'brand:Acme OR brand:Zenith', facets: ['brand'] } })).facets).toEqual({ brand: { Acme: 2 } });
  });

  it("keeps a secured key's filters whatever the request says, on every route that reads", async () => {
    const parent = await newKey({ acl: ['search'] });
    const lighting = secured(parent, { filters: 'category:Lighting', restrictIndices: ['products'] });
    const lightingNames = ['Desk Lamp', 'Floor Lamp', 'Lamp Shade'];
    expect(await names(lighting)).toEqual(lightingNames);
    for (const widening of [{ filters: 'category:Clothing OR price > 0' }, { filters: 'price >= 0' }, { numericFilters: ['price>0'] }, { params: 'filters=NOT%20category%3AKitchen' }]) {
      expect(await names(lighting, widening)).toEqual(lightingNames);
    }
    for (const elsewhere of [{ filters: 'NOT category:Lighting' }, { facetFilters: ['category:Clothing'] }, { params: 'filters=category%3AClothing' }, { query: 'shirt' }]) {
      expect(await names(lighting, elsewhere)).toEqual([]);
    }
    expect(await names(lighting, { filters: 'category:Clothing OR brand:Zenith' })).toEqual(['Lamp Shade']);
    const { results } = await algoliaClient(url, lighting).search<{ name: string }>({ requests: [{ indexName: 'products', filters: 'price > 0', hitsPerPage: 50 }] });
    expect(namesOf((results[0] as SearchResponse<{ name: string }>).hits)).toEqual(lightingNames);
    const get = await fetch(`${url}/1/indexes/products?filters=${encodeURIComponent('category:Clothing')}`, { headers: { 'x-algolia-api-key': lighting, 'x-algolia-application-id': APP_ID } });
    expect(((await get.json()) as SearchResponse).nbHits).toBe(0);
    await expect(algoliaClient(url, lighting).getObject({ indexName: 'products', objectID: shirtId })).rejects.toMatchObject({ status: 404 });
    expect(await algoliaClient(url, lighting).getObject({ indexName: 'products', objectID: lampId })).toMatchObject({ name: 'Desk Lamp' });
    const capped = secured(parent, { searchParams: { hitsPerPage: 2, filters: 'price < 5000' } } as never);
    expect(await algoliaClient(url, capped).searchSingleIndex({ indexName: 'products', searchParams: { hitsPerPage: 50 } })).toMatchObject({ hitsPerPage: 2, nbHits: 5 });
    const geo = secured(parent, { searchParams: { aroundLatLng: '48.85, 2.35' } } as never);
    expect(await status(algoliaClient(url, geo).searchSingleIndex({ indexName: 'products', searchParams: {} }))).toBe(403);
  });

  it('lets the lite client search as a browser does, credentials in the query string, and never takes a token from a URL', async () => {
    const key = await newKey({ acl: ['search'], indexes: ['products'], referers: ['https://shop.example.com/*'] });
    const lite = browserLiteClient(url, key);
    lite.transporter.baseHeaders.referer = 'https://shop.example.com/search';
    const { results } = await lite.search<{ name: string }>({ requests: [{ indexName: 'products', query: 'lamp', facets: ['brand'] }] });
    expect(results[0]).toMatchObject({ nbHits: 3, facets: { brand: { Acme: 2, Zenith: 1 } } });
    const inUrl = (path: string, init: RequestInit = {}) => fetch(`${url}${path}${path.includes('?') ? '&' : '?'}x-algolia-api-key=${key}&x-algolia-application-id=${APP_ID}`, init);
    const byGet = await inUrl('/1/indexes/products?query=lamp', { headers: { referer: 'https://shop.example.com/' } });
    expect(byGet.status).toBe(200);
    const body = (await byGet.json()) as SearchResponse;
    expect(body.params).toBe('query=lamp');
    expect(JSON.stringify(body)).not.toContain(key);
    const elsewhere = await inUrl('/1/indexes/products/query', { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain', referer: 'https://evil.example.net/' } });
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.json()).toEqual({ message: expect.any(String), status: 403 });
    const token = await product.userToken('reader-in-url');
    for (const query of [`access_token=${token}`, `authorization=${encodeURIComponent(`Bearer ${token}`)}`]) {
      expect((await fetch(`${url}/1/indexes/products?${query}`)).status).toBe(401);
    }
    expect((await fetch(`${url}/products?x-algolia-api-key=${key}&x-algolia-application-id=${APP_ID}`, { headers: { referer: 'https://shop.example.com/' } })).status).toBe(401);
    // getObject takes the key in the URL too; writes never do, whatever the key may do.
    const getInUrl = await fetch(`${url}/1/indexes/products/${lampId}?x-algolia-api-key=${key}&x-algolia-application-id=${APP_ID}`, { headers: { referer: 'https://shop.example.com/' } });
    expect(await getInUrl.json()).toMatchObject({ objectID: lampId, name: 'Desk Lamp' });
    const writeKey = `x-algolia-api-key=${await newKey({ acl: ['addObject', 'deleteObject'] })}&x-algolia-application-id=${APP_ID}`;
    const added = await fetch(`${url}/1/indexes/products?${writeKey}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'Sneaked in', price: 1, currency: 'EUR' }) });
    expect(added.status).toBe(401);
    expect((await fetch(`${url}/1/indexes/products/${lampId}?${writeKey}`, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${url}/1/indexes/products/batch?${writeKey}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"requests":[]}' })).status).toBe(401);
    expect(await names(await newKey({ acl: ['search'] }), { query: 'Sneaked' })).toEqual([]);
    expect(JSON.stringify(product.logs)).not.toContain(key);
    expect(JSON.stringify(usage.events)).not.toContain(key);
  });

  it('answers CORS on the search routes, the preflight of the header form included, and none on writes', async () => {
    const origin = 'https://shop.example.com';
    const preflight = await fetch(`${url}/1/indexes/products/query`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-algolia-api-key,x-algolia-application-id,content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-algolia-api-key');
    const multi = await fetch(`${url}/1/indexes/*/queries`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(multi.status).toBe(204);
    const key = await newKey({ acl: ['search'] });
    const simple = await fetch(`${url}/1/indexes/*/queries?x-algolia-api-key=${key}&x-algolia-application-id=${APP_ID}`, { method: 'POST', headers: { origin, 'content-type': 'text/plain' }, body: JSON.stringify({ requests: [{ indexName: 'products' }] }) });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBe('*');
    for (const [method, path] of [['POST', '/1/indexes/products'], ['POST', '/1/indexes/products/batch'], ['PUT', `/1/indexes/products/${lampId}`], ['DELETE', `/1/indexes/products/${lampId}`]]) {
      const refused = await fetch(`${url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method } });
      expect({ path, method, allowOrigin: refused.headers.get('access-control-allow-origin') }).toEqual({ path, method, allowOrigin: null });
    }
    // A read's preflight on a write path allows that read only, so no cached answer covers a write.
    const readOfBatch = await fetch(`${url}/1/indexes/products/batch`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
    expect(readOfBatch.headers.get('access-control-allow-methods')).toBe('GET');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
  });

  it('accepts bearer tokens on the same routes, so a client can move from a key to a token', async () => {
    const reader = algoliaClient(url, 'unused', await product.userToken('reader-2', 'product:read'));
    expect(await names('unused', {}).catch((error: { status: number }) => error.status)).toBe(403);
    expect(namesOf((await reader.searchSingleIndex<{ name: string }>({ indexName: 'products', searchParams: { hitsPerPage: 50 } })).hits)).toEqual(ALL_NAMES);
    expect(await status(reader.saveObject({ indexName: 'products', body: { name: 'x', price: 1, currency: 'EUR' } }))).toBe(403);
  });
});
