import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceHarness, type ServiceHarness, type UsageStandIn } from '@sso/service-testing';
import { waitFor } from '@sso/testing';
import type { Algoliasearch } from 'algoliasearch';
import { productService } from '../src/service.js';
import { algoliaClient } from './algolia-client.js';

const lamp = { name: 'Desk Lamp', description: 'Warm light', price: 4_999, currency: 'EUR', brand: 'Acme', category: 'Lighting' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe("Algolia's record protocol", () => {
  let product: ServiceHarness;
  let usage: UsageStandIn;
  let editor: Algoliasearch;
  let editorToken: string;
  let readerToken: string;

  beforeAll(async () => {
    product = await startServiceHarness(productService, {
      audience: ['product'],
      scope: 'product:read',
      peers: { auth: {}, usage: {} },
      env: { AUTH_CLIENT_ID: 'product-client', AUTH_CLIENT_SECRET: 'product-client-secret', OUTBOX_INTERVAL_MS: '50' },
    });
    usage = product.usage as UsageStandIn;
    editorToken = await product.userToken('editor-1', 'product:read product:write');
    readerToken = await product.userToken('reader-1');
    editor = algoliaClient(product.url, 'unused', editorToken);
  });
  afterAll(async () => {
    await product?.close();
  });

  it('adds a record with a new objectID, waits for its task, and serves it on both APIs', async () => {
    const saved = await editor.saveObject({ indexName: 'products', body: lamp });
    expect(saved).toEqual({ createdAt: expect.stringMatching(RFC3339), taskID: expect.any(Number), objectID: expect.stringMatching(UUID) });
    await expect(editor.waitForTask({ indexName: 'products', taskID: saved.taskID })).resolves.toEqual({ status: 'published' });
    const objectID = saved.objectID as string;
    expect(await editor.getObject({ indexName: 'products', objectID })).toEqual({ objectID, ...lamp, createdAt: saved.createdAt, updatedAt: saved.createdAt });
    expect(await editor.getObject({ indexName: 'products', objectID, attributesToRetrieve: ['name', 'price'] })).toEqual({ objectID, name: 'Desk Lamp', price: 4_999 });
    const rest = await product.request('GET', `/products/${objectID}`, readerToken);
    expect(await rest.json()).toEqual({ id: objectID, ...lamp, createdAt: saved.createdAt, updatedAt: saved.createdAt });
  });

  it('updates some attributes, replaces a record, and deletes it idempotently', async () => {
    const { objectID } = (await editor.saveObject({ indexName: 'products', body: lamp })) as { objectID: string };
    const partial = await editor.partialUpdateObject({ indexName: 'products', objectID, attributesToUpdate: { price: 3_999, brand: null } });
    expect(partial).toEqual({ objectID, taskID: expect.any(Number), updatedAt: expect.stringMatching(RFC3339) });
    await editor.waitForTask({ indexName: 'products', taskID: partial.taskID as number });
    const { brand: _brand, ...unbranded } = lamp;
    expect(await editor.getObject({ indexName: 'products', objectID })).toMatchObject({ ...unbranded, price: 3_999 });
    expect(await editor.getObject({ indexName: 'products', objectID })).not.toHaveProperty('brand');
    const replaced = await editor.addOrUpdateObject({ indexName: 'products', objectID, body: { name: 'Table Lamp', price: 2_000, currency: 'USD' } });
    expect(replaced).toEqual({ objectID, taskID: expect.any(Number), updatedAt: expect.stringMatching(RFC3339) });
    expect(await editor.getObject({ indexName: 'products', objectID })).toEqual({ objectID, name: 'Table Lamp', description: '', price: 2_000, currency: 'USD', createdAt: expect.any(String), updatedAt: replaced.updatedAt });
    const deleted = await editor.deleteObject({ indexName: 'products', objectID });
    expect(deleted).toEqual({ taskID: expect.any(Number), deletedAt: expect.stringMatching(RFC3339) });
    await expect(editor.getObject({ indexName: 'products', objectID })).rejects.toMatchObject({ status: 404, message: 'ObjectID does not exist' });
    expect((await product.request('GET', `/products/${objectID}`, readerToken)).status).toBe(404);
    await expect(editor.deleteObject({ indexName: 'products', objectID })).resolves.toMatchObject({ taskID: expect.any(Number) });
  });

  it('creates a record by partial update only when createIfNotExists allows it', async () => {
    const objectID = '3f1c2b7e-8d4a-4c1e-9b2f-6a5d4c3b2a10';
    await editor.partialUpdateObject({ indexName: 'products', objectID, attributesToUpdate: { price: 10 }, createIfNotExists: false });
    await expect(editor.getObject({ indexName: 'products', objectID })).rejects.toMatchObject({ status: 404 });
    await expect(editor.partialUpdateObject({ indexName: 'products', objectID, attributesToUpdate: { price: 10 } })).rejects.toMatchObject({ status: 400 });
    await editor.partialUpdateObject({ indexName: 'products', objectID, attributesToUpdate: { name: 'Kettle', price: 10, currency: 'EUR' } });
    expect(await editor.getObject({ indexName: 'products', objectID })).toMatchObject({ objectID, name: 'Kettle', price: 10 });
  });

  it('runs a batch in one transaction, and saveObjects with waitForTasks', async () => {
    const keep = '0d5f8a2c-1b3e-4f6a-8c9d-2e4f6a8b0c1d';
    const drop = '7a9b1c3d-5e7f-4a1b-9c3d-5e7f9a1b3c5d';
    await editor.saveObjects({ indexName: 'products', objects: [{ ...lamp, objectID: keep }, { ...lamp, objectID: drop, name: 'Doomed' }], waitForTasks: true });
    const answer = await editor.batch({
      indexName: 'products',
      batchWriteParams: {
        requests: [
          { action: 'addObject', body: { ...lamp, name: 'Generated' } },
          { action: 'updateObject', body: { ...lamp, objectID: keep, name: 'Kept lamp' } },
          { action: 'partialUpdateObjectNoCreate', body: { objectID: keep, price: 1 } },
          { action: 'deleteObject', body: { objectID: drop } },
        ],
      },
    });
    expect(answer).toEqual({ taskID: expect.any(Number), objectIDs: [expect.stringMatching(UUID), keep, keep, drop] });
    expect(await editor.getObject({ indexName: 'products', objectID: keep })).toMatchObject({ name: 'Kept lamp', price: 1 });
    await expect(editor.getObject({ indexName: 'products', objectID: drop })).rejects.toMatchObject({ status: 404 });
    const before = await product.count('products');
    const refused = await product.request('POST', '/1/indexes/products/batch', editorToken, {
      requests: [
        { action: 'addObject', body: { ...lamp, name: 'Never stored' } },
        { action: 'updateObject', body: { ...lamp, objectID: keep, price: -5 } },
      ],
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ message: 'requests[1]: price must be an integer from 0 to 1000000000000 (minor units)', status: 400 });
    const failsInside = await product.request('POST', '/1/indexes/products/batch', editorToken, {
      requests: [
        { action: 'addObject', body: { ...lamp, name: 'Never stored either' } },
        { action: 'partialUpdateObject', body: { objectID: '9b8a7c6d-5e4f-4a3b-8c1d-0e9f8a7b6c5d', price: 5 } },
      ],
    });
    expect(failsInside.status).toBe(400);
    for (const action of ['clear', 'delete', 'nonsense']) expect((await product.request('POST', '/1/indexes/products/batch', editorToken, { requests: [{ action }] })).status).toBe(400);
    expect(await product.count('products')).toBe(before);
  });

  it("refuses bad records with a 400 in Algolia's shape, changing nothing", async () => {
    const before = await product.count('products');
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/1/indexes/products', { name: '', price: 1.5, currency: 'euro', color: 'red' }, 'Unknown attribute color: records of products hold objectID, name, description, price, currency, brand, category'],
      ['POST', '/1/indexes/products', { name: '', price: 1.5, currency: 'euro' }, 'name must be a string of 1 to 200 characters; currency must be an ISO 4217 code such as EUR; price must be an integer from 0 to 1000000000000 (minor units)'],
      ['POST', '/1/indexes/products', { description: 'no name' }, 'A record of products needs name, price, currency'],
      ['POST', '/1/indexes/products', { ...lamp, objectID: 'sku-42' }, 'objectID must be a UUID (v4): object ids are the ids of /products'],
      ['PUT', '/1/indexes/products/sku-42', lamp, 'objectID must be a UUID (v4): object ids are the ids of /products'],
      ['POST', '/1/indexes/products', [lamp], 'The body must be a JSON object (a record)'],
      ['POST', '/1/indexes/products/3f1c2b7e-8d4a-4c1e-9b2f-6a5d4c3b2a10/partial?createIfNotExists=maybe', { price: 1 }, 'createIfNotExists must be true or false'],
      ['GET', '/1/indexes/products/task/soon', undefined, 'taskID must be a positive integer'],
    ];
    for (const [method, path, body, message] of cases) {
      const response = await product.request(method, path, editorToken, body);
      expect({ path, status: response.status, body: await response.json() }).toEqual({ path, status: 400, body: { message, status: 400 } });
    }
    await expect(editor.saveObject({ indexName: 'movies', body: lamp })).rejects.toMatchObject({ status: 404, message: 'Index does not exist' });
    expect(await product.count('products')).toBe(before);
  });

  it('needs product:write to write, product:read to read, and answers a missing token in Algolia’s shape', async () => {
    const reader = algoliaClient(product.url, 'unused', readerToken);
    await expect(reader.saveObject({ indexName: 'products', body: lamp })).rejects.toMatchObject({ status: 403 });
    await expect(reader.waitForTask({ indexName: 'products', taskID: 1 })).rejects.toMatchObject({ status: 403 });
    const anonymous = await product.request('POST', '/1/indexes/products/query', undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await anonymous.json()).toEqual({ message: expect.any(String), status: 401 });
  });

  it('reports every answered Algolia request to usage-tracking, as /products does', async () => {
    const probe = await product.userToken('algolia-probe');
    const client = algoliaClient(product.url, 'unused', probe);
    await client.searchSingleIndex({ indexName: 'products', searchParams: { query: 'lamp' } });
    await client.search({ requests: [{ indexName: 'products' }] });
    await expect(client.saveObject({ indexName: 'products', body: lamp })).rejects.toMatchObject({ status: 403 });
    await waitFor(() => usage.events.filter((event) => event.subject === 'algolia-probe').length === 3, 'three requests reported');
    expect(usage.events.find((event) => event.subject === 'algolia-probe')).toMatchObject({ service: 'product', metric: 'requests', quantity: 1 });
  });
});
