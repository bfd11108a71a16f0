import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceHarness, type ServiceHarness } from '@sso/service-testing';
import { productService } from '../src/service.js';

describe('product refuses bad input', () => {
  let product: ServiceHarness;
  let bearer: string;
  let existing: string;

  const catalog = () => product.dataSource.query('SELECT id, name, description, price, currency FROM products ORDER BY id');

  beforeAll(async () => {
    product = await startServiceHarness(productService, { audience: ['product'], scope: 'product:read product:write', peers: { auth: {}, usage: {} } });
    bearer = await product.userToken('editor-1');
    const created = await product.request('POST', '/products', bearer, { name: 'Kettle', price: 2_500, currency: 'EUR' });
    existing = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await product?.close();
  });

  const valid = { name: 'Teapot', price: 1_500, currency: 'EUR' };
  const huge = JSON.stringify({ ...valid, description: 'x'.repeat(200_000) });
  it.each([
    ['POST', '/products', { ...valid, name: '' }, 400, /name must be longer than or equal to 1 characters/],
    ['POST', '/products', { ...valid, name: 'n'.repeat(201) }, 400, /name must be shorter than or equal to 200 characters/],
    ['POST', '/products', { ...valid, name: 42 }, 400, /name must be a string/],
    ['POST', '/products', { ...valid, price: '15.00' }, 400, /price must be an integer number/],
    ['POST', '/products', { ...valid, price: 12.5 }, 400, /price must be an integer number/],
    ['POST', '/products', { ...valid, price: -1 }, 400, /price must not be less than 0/],
    ['POST', '/products', { ...valid, currency: 'eur' }, 400, /currency must be an ISO 4217 code/],
    ['POST', '/products', { ...valid, description: 'd'.repeat(2_001) }, 400, /description must be shorter than or equal to 2000 characters/],
    ['POST', '/products', { ...valid, id: '00000000-0000-4000-8000-000000000000' }, 400, /property id should not exist/],
    ['POST', '/products', { name: 'Teapot' }, 400, /price must be an integer number/],
    ['POST', '/products', '[1, 2', 400, /JSON/],
    ['POST', '/products', huge, 413, /too large/i],
    ['PUT', '/products/not-a-uuid', valid, 400, /id must be a UUID/],
    ['PUT', '/products/:existing', { price: 1 }, 400, /name must be a string/],
    ['PUT', '/products/:existing', { ...valid, createdAt: '2020-01-01' }, 400, /property createdAt should not exist/],
    ['DELETE', '/products/123', undefined, 400, /id must be a UUID/],
    ['GET', '/products?limit=0', undefined, 400, /limit must not be less than 1/],
    ['GET', '/products?limit=201', undefined, 400, /limit must not be greater than 200/],
    ['GET', '/products?page=1&offset=10', undefined, 400, /page and offset cannot be used together/],
    ['GET', '/products?page=-1', undefined, 400, /page must not be less than 0/],
    ['GET', '/products?page=two', undefined, 400, /page must be an integer number/],
    ['GET', `/products?query=${'q'.repeat(201)}`, undefined, 400, /query must be shorter than or equal to 200 characters/],
    ['GET', '/products?query=a&query=b', undefined, 400, /query must be a string/],
    ['GET', '/products?cursor=3', undefined, 400, /property cursor should not exist/],
  ])('case %#: %s %s answers %i with the contract error body and changes nothing', async (method, path, body, status, reason) => {
    const before = await catalog();
    const response = await fetch(`${product.url}${path.replace(':existing', existing)}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'x-request-id': 'bad-input-1' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(response.status).toBe(status);
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ statusCode: status, error: expect.any(String), requestId: 'bad-input-1' });
    // Body-parser refusals (bad JSON, too large) come from the platform without a code.
    if (status === 400 && !reason.source.includes('JSON')) expect(answer.code).toBe('validation_failed');
    expect(JSON.stringify(answer.message)).toMatch(reason);
    expect(await catalog()).toEqual(before);
  });
});
