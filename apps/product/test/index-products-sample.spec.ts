import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeyStore } from '@sso/auth';
import { apiKeyHash } from '@sso/contracts';
import { startServiceHarness, type ServiceHarness } from '@sso/service-testing';
import { ApiKeyWriter, waitFor } from '@sso/testing';
import { productService } from '../src/service.js';
import { algoliaClient } from './algolia-client.js';

const ENCRYPTION_SECRET = 'product-test-key-encryption-secret';
const SCRIPT = fileURLToPath(new URL('../samples/index-products.mjs', import.meta.url));
const run = promisify(execFile);

describe('the back-office sample, samples/index-products.mjs', () => {
  let product: ServiceHarness;
  let writer: ApiKeyWriter;

  const newKey = async (acl: string[]) => {
    const { key } = await writer.create({ acl, indexes: ['products'] });
    await waitFor(async () => (await product.app.get(ApiKeyStore).find(apiKeyHash(key))) !== undefined, 'the key to arrive');
    return key;
  };
  const sample = (apiKey: string) => run(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH, PRODUCT_URL: product.url, ALGOLIA_API_KEY: apiKey, ALGOLIA_APP_ID: 'SSODEMO' } });

  beforeAll(async () => {
    product = await startServiceHarness(productService, { audience: ['product'], scope: 'product:read', env: { API_KEYS_ENCRYPTION_SECRET: ENCRYPTION_SECRET } });
    writer = await new ApiKeyWriter(product.testEnv.env.REDIS_URL, product.testEnv.namespace, ENCRYPTION_SECRET).connect();
    await waitFor(() => product.app.get(ApiKeyStore).mode === 'live', 'the key projection to load');
  });
  afterAll(async () => {
    await product?.close();
    await writer?.cleanUp();
    await writer?.close();
  });

  it('indexes its records with an addObject key and waits for them; running it again changes nothing', async () => {
    const key = await newKey(['addObject']);
    const { stdout } = await sample(key);
    expect(JSON.parse(stdout)).toMatchObject({ indexed: 4, indexName: 'products' });
    const search = algoliaClient(product.url, await newKey(['search']));
    const answer = await search.searchSingleIndex({ indexName: 'products', searchParams: { query: 'lamp', facets: ['brand'] } });
    expect(answer).toMatchObject({ nbHits: 2, facets: { brand: { Lumen: 2 } } });
    await sample(key);
    expect(await product.count('products')).toBe(4);
  });

  it('fails with a message, indexing nothing, with a key that may only search', async () => {
    const before = await product.count('products');
    await expect(sample(await newKey(['search']))).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('indexing failed: 403') });
    expect(await product.count('products')).toBe(before);
  });
});
