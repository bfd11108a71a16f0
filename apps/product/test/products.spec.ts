import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceHarness, type DatabaseKind, type ServiceHarness, type UsageStandIn } from '@sso/service-testing';
import { claimsOf, expectPagedCollection, waitFor } from '@sso/testing';
import { productService } from '../src/service.js';

/** Product's own client, as the usage events it reports must show; the outbox delivers fast. */
const PRODUCT_CLIENT = { AUTH_CLIENT_ID: 'product-client', AUTH_CLIENT_SECRET: 'product-client-secret', OUTBOX_INTERVAL_MS: '50' };

interface ProductView {
  id: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
}

describe.each<DatabaseKind>(['SQLite', 'PostgreSQL'])('the product catalog on %s', (database) => {
  let product: ServiceHarness;
  let usage: UsageStandIn;
  let url: string;
  let writer: string;
  let reader: string;

  const call = (method: string, path: string, bearer?: string, body?: unknown) =>
    fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const create = async (name: string, description = '', price = 100) => (await (await call('POST', '/products', writer, { name, description, price, currency: 'EUR' })).json()) as ProductView;
  const names = async (path: string) => ((await (await call('GET', path, reader)).json()) as { items: ProductView[] }).items.map((product) => product.name);

  beforeAll(async () => {
    product = await startServiceHarness(productService, { database, audience: ['product'], scope: 'product:read', peers: { auth: {}, usage: {} }, env: PRODUCT_CLIENT });
    ({ url, usage } = product as Required<ServiceHarness>);
    writer = await product.userToken('editor-1', 'product:read product:write');
    reader = await product.userToken('reader-1');
  });
  afterAll(async () => {
    await product?.close();
  });

  it('creates, reads, replaces and deletes products', async () => {
    const created = await call('POST', '/products', writer, { name: 'Desk lamp', description: 'Warm light', price: 4_999, currency: 'EUR' });
    expect(created.status).toBe(201);
    const lamp = (await created.json()) as ProductView;
    expect(lamp).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Desk lamp', description: 'Warm light', price: 4_999, currency: 'EUR', createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(await (await call('GET', `/products/${lamp.id}`, reader)).json()).toEqual(lamp);

    const replaced = await call('PUT', `/products/${lamp.id}`, writer, { name: 'Desk lamp XL', price: 5_999, currency: 'USD' });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ id: lamp.id, name: 'Desk lamp XL', description: '', price: 5_999, currency: 'USD', createdAt: lamp.createdAt });

    expect((await call('DELETE', `/products/${lamp.id}`, writer)).status).toBe(204);
    const gone = await call('GET', `/products/${lamp.id}`, reader);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'product_not_found', requestId: expect.any(String) });
    expect((await call('DELETE', `/products/${lamp.id}`, writer)).status).toBe(404);
    expect((await call('PUT', `/products/${lamp.id}`, writer, { name: 'x', price: 1, currency: 'EUR' })).status).toBe(404);
  });

  it('searches name and description case-insensitively, taking % and _ literally, and pages', async () => {
    await create('Organic Cotton Shirt', 'Soft and breathable');
    await create('100% Wool Sweater', 'Warm');
    await create('1000 Thread Sheets', 'COTTON blend');
    await create('Snake_case Mug', 'for programmers');
    await create('Snakes Poster', 'wall art');
    expect(await names('/products?query=cotton')).toEqual(['1000 Thread Sheets', 'Organic Cotton Shirt']);
    expect(await names('/products?query=100%25')).toEqual(['100% Wool Sweater']);
    expect(await names('/products?query=e_c')).toEqual(['Snake_case Mug']);
    expect(await names('/products?query=%5C')).toEqual([]);
    expect(await names('/products?query=WARM')).toEqual(['100% Wool Sweater']);

    const first = (await (await call('GET', '/products?limit=2', reader)).json()) as { items: ProductView[]; total: number; offset: number; limit: number };
    expect(first).toMatchObject({ total: 5, offset: 0, limit: 2 });
    // Pages are disjoint and cover the catalog (ordered by name, so by the database's collation).
    const pages = [first.items.map((product) => product.name), await names('/products?limit=2&page=1'), await names('/products?limit=2&page=2')];
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual(['100% Wool Sweater', '1000 Thread Sheets', 'Organic Cotton Shirt', 'Snake_case Mug', 'Snakes Poster']);
    expect(await names('/products?limit=2&page=9')).toEqual([]);
    // The contract's zero-based page is offset = page × limit.
    expect(await (await call('GET', '/products?limit=2&page=2', reader)).json()).toMatchObject({ offset: 4, limit: 2, total: 5 });
    expect(await names('/products?limit=2&offset=2')).toEqual(pages[1]);
    await expectPagedCollection(url, '/products', { authorization: `Bearer ${reader}` });
  });

  it('asks for a token (401) and for product:read or product:write (403)', async () => {
    const anonymous = await call('GET', '/products');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const refused = await call('POST', '/products', reader, { name: 'x', price: 1, currency: 'EUR' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="product:write"');
    expect(await refused.json()).toMatchObject({ statusCode: 403, code: 'insufficient_scope' });
    const key = await fetch(`${url}/products`, { headers: { 'x-algolia-api-key': 'some-key', 'x-algolia-application-id': 'SSODEMO' } });
    expect(key.status).toBe(403);
    expect(await key.json()).toMatchObject({ code: 'api_key_refused' });
  });

  it("reports every answered request, whatever its status, to usage-tracking with product's own token", async () => {
    const before = usage.events.length;
    const probe = await product.userToken('probe-user');
    expect((await call('GET', '/products', probe)).status).toBe(200);
    expect((await call('GET', '/products/00000000-0000-4000-8000-000000000000', probe)).status).toBe(404);
    expect((await call('POST', '/products', probe, {})).status).toBe(403);
    expect((await call('GET', '/products?bogus=1', probe)).status).toBe(400);
    expect((await call('GET', '/health/live')).status).toBe(200);
    await waitFor(() => usage.events.filter((event) => event.subject === 'probe-user').length === 4, 'the probe user’s four events');
    expect(usage.events.filter((event) => event.subject === 'probe-user')).toEqual(
      Array.from({ length: 4 }, () => ({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), subject: 'probe-user', service: 'product', metric: 'requests', quantity: 1, occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })),
    );
    await waitFor(() => usage.events.some((event) => event.subject === 'anonymous'), 'an anonymous event for the 401s');
    expect(usage.events.length).toBeGreaterThan(before);
    const post = usage.requests.find((request) => request.url === '/usage/events');
    expect(claimsOf((post?.authorization ?? '').replace(/^Bearer /, ''))).toMatchObject({ sub: 'product-client', client_id: 'product-client' });
    expect(new Set(usage.events.map((event) => event.id)).size).toBe(usage.events.length);
    const { dataSource } = product;
    await waitFor(async () => Number((await dataSource.query('SELECT COUNT(*) AS n FROM outbox WHERE "deliveredAt" IS NULL'))[0].n) === 0, 'an empty backlog');
  });
});
