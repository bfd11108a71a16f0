import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeyStore } from '@sso/auth';
import { apiKeyHash, mintApiKey } from '@sso/contracts';
import { startServiceHarness, type ServiceHarness } from '@sso/service-testing';
import { ApiKeyWriter, waitFor } from '@sso/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { productService } from '../src/service.js';
import type { StorefrontConfig } from '../src/storefront/storefront.controller.js';
import { algoliaClient, APP_ID, CATALOG } from './algolia-client.js';

const ENCRYPTION_SECRET = 'storefront-test-key-encryption-secret';
/** Debian's chromium package; its own download cannot work offline. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PRODUCT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = `${PRODUCT_ROOT}dist/public/storefront/`;
/** Screenshots kept by CI as artifacts. */
const OUTPUT = `${PRODUCT_ROOT}test-output/`;

const HIT = '#hits article.product';
/** Beside the catalog, enough products for three pages of eight. */
const GADGETS = Array.from({ length: 10 }, (_, index) => ({ name: `Gadget ${String(index + 1).padStart(2, '0')}`, description: 'Small and useful', price: 990, currency: 'EUR', brand: 'Gizmo', category: 'Gadgets' }));

describe('the storefront in headless Chromium', () => {
  const searchKey = mintApiKey();
  let product: ServiceHarness;
  let writer: ApiKeyWriter;
  let indexerKey: string;
  let browser: Browser;
  let foreignSite: Server;

  /** Every request the page sends to the Algolia routes, and product's answers to them. */
  const openStorefront = async (url: string) => {
    const page = await browser.newPage();
    const searches: { url: URL; status: Promise<number | undefined> }[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => {
      const sent = new URL(request.url());
      if (sent.pathname.startsWith('/1/indexes/')) searches.push({ url: sent, status: request.response().then((response) => response?.status()) });
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(url);
    return { page, searches, consoleErrors };
  };
  const pageConfigOf = (html: string) => JSON.parse(/<script type="application\/json" id="storefront-config">(.*?)<\/script>/.exec(html)![1]) as StorefrontConfig;
  const hitNames = (page: Page) => page.locator(`${HIT} h2`).allTextContents();
  /** Waits until `read` gives `expected` (the page renders asynchronously), then asserts it, so a failure shows the difference. */
  const settlesTo = async <T>(read: () => Promise<T>, expected: T) => {
    await waitFor(async () => isDeepStrictEqual(await read(), expected), JSON.stringify(expected)).catch(() => undefined);
    expect(await read()).toEqual(expected);
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
    const built = spawnSync(process.execPath, ['storefront/build.mjs'], { cwd: PRODUCT_ROOT, encoding: 'utf8' });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    product = await startServiceHarness(productService, {
      audience: ['product'],
      scope: 'product:read',
      env: { API_KEYS_ENCRYPTION_SECRET: ENCRYPTION_SECRET, STOREFRONT_SEARCH_KEY: searchKey },
    });
    writer = await new ApiKeyWriter(product.testEnv.env.REDIS_URL, product.testEnv.namespace, ENCRYPTION_SECRET).connect();
    // The storefront's key, as `npm start` makes it: search only, on products, from product's own pages.
    await writer.create({ acl: ['search'], indexes: ['products'], referers: [`${product.url}/storefront*`] }, searchKey);
    indexerKey = (await writer.create({ acl: ['addObject'], indexes: ['products'] })).key;
    const store = product.app.get(ApiKeyStore);
    await waitFor(async () => (await store.find(apiKeyHash(searchKey))) !== undefined && (await store.find(apiKeyHash(indexerKey))) !== undefined, 'the keys to arrive');
    await algoliaClient(product.url, indexerKey).saveObjects({ indexName: 'products', objects: [...CATALOG, ...GADGETS], waitForTasks: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    foreignSite = await serveForeignCopy(product.url);
    mkdirSync(OUTPUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((closed) => (foreignSite ? foreignSite.close(closed) : closed(undefined)));
    await writer?.cleanUp();
    await writer?.close();
    await product?.close();
  });

  it('pages, searches as you type with the search-only key, highlights matches, and narrows by a facet', async () => {
    const { page, searches, consoleErrors } = await openStorefront(`${product.url}/storefront/`);
    await page.locator(HIT).first().waitFor();
    expect(await page.locator(HIT).count()).toBe(8);
    expect(await page.locator('.ais-Pagination-item--page').allTextContents()).toEqual(['1', '2', '3']);
    await page.locator('.ais-Pagination-item--page', { hasText: '3' }).click();
    await settlesTo(() => hitNames(page), ['Wool Sweater']);

    await page.locator('.ais-SearchBox-input').fill('lamp');
    await settlesTo(() => hitNames(page), ['Desk Lamp', 'Floor Lamp', 'Lamp Shade']);
    expect(await page.locator(`${HIT} h2 mark`).allTextContents()).toEqual(['Lamp', 'Lamp', 'Lamp']);
    expect(await page.locator(`${HIT} p mark`).allTextContents()).toEqual(['lamp']);

    expect(await page.locator('#brand .ais-RefinementList-labelText').allTextContents()).toEqual(['Acme', 'Zenith']);
    expect(await page.locator('#brand .ais-RefinementList-count').allTextContents()).toEqual(['2', '1']);
    await page.locator('#brand input[value="Zenith"]').check();
    await settlesTo(() => hitNames(page), ['Lamp Shade']);
    await page.screenshot({ path: `${OUTPUT}storefront.png`, fullPage: true });

    // Every search went to the Algolia routes with the application id and the search-only key in
    // the URL (no preflight, no token), and product answered each.
    expect(searches.length).toBeGreaterThanOrEqual(3);
    for (const search of searches) {
      expect(search.url.searchParams.get('x-algolia-api-key')).toBe(searchKey);
      expect(search.url.searchParams.get('x-algolia-application-id')).toBe(APP_ID);
      expect(await search.status).toBe(200);
    }
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('gives the page the application id and the search-only key, and no other key', async () => {
    const response = await fetch(`${product.url}/storefront/`);
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await response.text();
    expect(pageConfigOf(html)).toEqual({ applicationId: APP_ID, indexName: 'products', searchKey });
    const script = await (await fetch(`${product.url}/storefront/storefront.js`)).text();
    for (const text of [html, script]) {
      expect(text).not.toContain(indexerKey);
      expect(text.match(/ak_[A-Za-z0-9]{38}/g) ?? []).toEqual(text === html ? [searchKey] : []);
    }
  });

  it('gets no results when the same page is served from another site: the key’s referers refuse it', async () => {
    const foreign = `http://127.0.0.1:${(foreignSite.address() as AddressInfo).port}/`;
    const { page, searches } = await openStorefront(foreign);
    await waitFor(() => searches.length > 0, 'the page to search');
    expect(await Promise.all(searches.map((search) => search.status))).toEqual(searches.map(() => 403));
    expect(await page.locator(HIT).count()).toBe(0);
    expect(searches[0].url.origin).toBe(new URL(product.url).origin);
    expect(searches[0].url.searchParams.get('x-algolia-api-key')).toBe(searchKey);
    await page.close();
  });

  it('withholds the key from the page once it may do more than search', async () => {
    await writer.create({ acl: ['search', 'addObject'], indexes: ['products'] }, searchKey);
    const store = product.app.get(ApiKeyStore);
    await waitFor(async () => (await store.find(apiKeyHash(searchKey)))?.acl.includes('addObject') === true, 'the change to arrive');
    const html = await (await fetch(`${product.url}/storefront/`)).text();
    expect(pageConfigOf(html).searchKey).toBeNull();
    expect(html).not.toContain(searchKey);
    expect(product.logs.map((line) => line.msg)).toContainEqual(expect.stringContaining('STOREFRONT_SEARCH_KEY is not put in the page: the key may also addObject'));
  });

  /** A copy of the storefront on another origin, pointed at product with the same key. */
  function serveForeignCopy(catalogUrl: string): Promise<Server> {
    const config = { applicationId: APP_ID, indexName: 'products', searchKey, catalogUrl };
    const files: Record<string, [string, string]> = {
      '/': ['text/html', readFileSync(`${BUILT}index.html`, 'utf8').replace('{{config}}', JSON.stringify(config))],
      '/storefront/storefront.js': ['text/javascript', readFileSync(`${BUILT}storefront.js`, 'utf8')],
      '/storefront/storefront.css': ['text/css', readFileSync(`${BUILT}storefront.css`, 'utf8')],
    };
    const server = createServer((request, response) => {
      const file = files[new URL(request.url ?? '/', 'http://x').pathname];
      response.writeHead(file ? 200 : 404, { 'content-type': file?.[0] ?? 'text/plain' }).end(file?.[1] ?? 'not found');
    });
    return new Promise((listening) => server.listen(0, '127.0.0.1', () => listening(server)));
  }
});
