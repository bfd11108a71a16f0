import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceHarness, type DatabaseKind, type ServiceHarness } from '@sso/service-testing';
import type { Algoliasearch, SearchResponse } from 'algoliasearch';
import { productService } from '../src/service.js';
import { algoliaClient, CATALOG, namesOf } from './algolia-client.js';

type Hit = { objectID: string; name?: string; _highlightResult?: Record<string, { value: string; matchLevel: string }> };

describe.each<DatabaseKind>(['SQLite', 'PostgreSQL'])("Algolia's search protocol on %s", (database) => {
  let product: ServiceHarness;
  let reader: Algoliasearch;
  let readerToken: string;

  const search = async (searchParams: Record<string, unknown>) => (await reader.searchSingleIndex<Hit>({ indexName: 'products', searchParams })) as SearchResponse<Hit>;
  const names = async (searchParams: Record<string, unknown>) => namesOf((await search({ hitsPerPage: 50, ...searchParams })).hits);

  beforeAll(async () => {
    product = await startServiceHarness(productService, { database, audience: ['product'], scope: 'product:read' });
    const editor = algoliaClient(product.url, 'unused', await product.userToken('editor-1', 'product:read product:write'));
    const { taskID } = await editor.batch({ indexName: 'products', batchWriteParams: { requests: CATALOG.map((body) => ({ action: 'addObject', body })) } });
    await editor.waitForTask({ indexName: 'products', taskID });
    readerToken = await product.userToken('reader-1');
    reader = algoliaClient(product.url, 'unused', readerToken);
  });
  afterAll(async () => {
    await product?.close();
  });

  it('searches name and description case-insensitively, in name order, with highlighting', async () => {
    const answer = await search({ query: 'LAMP' });
    expect(answer).toMatchObject({ nbHits: 3, page: 0, nbPages: 1, hitsPerPage: 20, query: 'LAMP', exhaustiveNbHits: true, processingTimeMS: expect.any(Number), params: 'query=LAMP' });
    expect(namesOf(answer.hits)).toEqual(['Desk Lamp', 'Floor Lamp', 'Lamp Shade']);
    expect(answer.hits[1]._highlightResult).toEqual({
      name: { value: 'Floor <em>Lamp</em>', matchLevel: 'full', matchedWords: ['LAMP'], fullyHighlighted: false },
      description: { value: 'Tall <em>lamp</em> with a dimmer', matchLevel: 'full', matchedWords: ['LAMP'], fullyHighlighted: false },
    });
    expect(answer.hits[0]).toMatchObject({ objectID: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Desk Lamp', price: 4_999, currency: 'EUR', brand: 'Acme', category: 'Lighting' });
    const tagged = await search({ query: 'cotton', highlightPreTag: '__ais-highlight__', highlightPostTag: '__/ais-highlight__' });
    expect(tagged.hits[0]._highlightResult?.name.value).toBe('Organic __ais-highlight__Cotton__/ais-highlight__ Shirt');
    expect(tagged.hits[0]._highlightResult?.description).toMatchObject({ value: 'Soft __ais-highlight__cotton__/ais-highlight__', matchLevel: 'full' });
  });

  it('pages with page and hitsPerPage, and answers counts only for hitsPerPage 0', async () => {
    expect(await search({ query: 'lamp', hitsPerPage: 2, page: 1 })).toMatchObject({ nbHits: 3, nbPages: 2, page: 1, hitsPerPage: 2, hits: [{ name: 'Lamp Shade' }] });
    expect(await search({ query: 'lamp', hitsPerPage: 0 })).toMatchObject({ nbHits: 3, nbPages: 0, hits: [] });
    expect((await search({ query: 'lamp', page: 7 })).hits).toEqual([]);
  });

  it('filters with comparisons, ranges, facet values, AND, OR, NOT and parentheses', async () => {
    expect(await names({ filters: 'price > 5000' })).toEqual(['Floor Lamp', 'Wool Sweater']);
    expect(await names({ filters: 'price:1200 TO 2500' })).toEqual(['Lamp Shade', 'Organic Cotton Shirt', 'Snake_case Mug']);
    expect(await names({ filters: 'price = 3000 OR price <= 1200' })).toEqual(['Snake_case Mug', 'Teapot']);
    expect(await names({ filters: 'currency:EUR AND NOT brand:Acme' })).toEqual(['Lamp Shade', 'Snake_case Mug', 'Wool Sweater']);
    expect(await names({ filters: 'brand:"Acme Co" OR category:Kitchen' })).toEqual(['Snake_case Mug', 'Wool Sweater']);
    expect(await names({ filters: '(brand:acme OR brand:ZENITH) AND price < 2600' })).toEqual(['Lamp Shade', 'Organic Cotton Shirt']);
    expect(await names({ query: 'lamp', filters: 'NOT (price != 1999)' })).toEqual(['Lamp Shade']);
    expect(await names({ filters: 'price:12999' })).toEqual(['Floor Lamp']);
  });

  it("takes instantsearch's facetFilters, numericFilters and tagFilters, and a URL-encoded params string", async () => {
    expect(await names({ facetFilters: [['brand:Acme', 'brand:Zenith'], 'category:Lighting'] })).toEqual(['Desk Lamp', 'Floor Lamp', 'Lamp Shade']);
    expect(await names({ facetFilters: ['-category:Lighting', 'currency:EUR'] })).toEqual(['Snake_case Mug', 'Wool Sweater']);
    expect(await names({ numericFilters: ['price>=4999', 'price<10000'] })).toEqual(['Desk Lamp', 'Wool Sweater']);
    expect(await names({ tagFilters: ['promo'] })).toEqual([]);
    const params = new URLSearchParams({ query: 'lamp', facetFilters: JSON.stringify([['brand:Zenith']]), hitsPerPage: '5' }).toString();
    expect(await search({ params } as Record<string, unknown>)).toMatchObject({ nbHits: 1, hitsPerPage: 5, hits: [{ name: 'Lamp Shade' }] });
  });

  it('counts facets in the matching records, numeric ones with their stats', async () => {
    const answer = await search({ query: 'lamp', facets: ['*'] });
    expect(answer.facets).toEqual({ brand: { Acme: 2, Zenith: 1 }, category: { Lighting: 3 }, currency: { EUR: 3 }, price: { '1999': 1, '4999': 1, '12999': 1 } });
    expect(answer.facets_stats).toEqual({ price: { min: 1_999, max: 12_999, avg: expect.closeTo(6_665.67, 1), sum: 19_997 } });
    expect(answer.exhaustiveFacetsCount).toBe(true);
    const some = await search({ facets: ['category', 'name', 'nonsense'], maxValuesPerFacet: 2, filters: 'currency:EUR' });
    expect(some.facets).toEqual({ category: { Lighting: 3, Clothing: 1 } });
    expect((await search({ query: 'teapot' })).facets).toBeUndefined();
  });

  it('returns only the attributes asked for, objectID always', async () => {
    const answer = await search({ query: 'mug', attributesToRetrieve: ['name', 'unknown'] });
    expect(answer.hits).toEqual([{ objectID: expect.any(String), name: 'Snake_case Mug', _highlightResult: { name: { value: 'Snake_case <em>Mug</em>', matchLevel: 'full', matchedWords: ['mug'], fullyHighlighted: false } } }]);
    const bare = await search({ query: 'mug', attributesToRetrieve: ['price'], attributesToHighlight: [] });
    expect(bare.hits).toEqual([{ objectID: expect.any(String), price: 1_200 }]);
  });

  it('answers multi-queries, in the order asked, each with its index', async () => {
    const { results } = await reader.search<Hit>({
      requests: [
        { indexName: 'products', query: 'lamp', hitsPerPage: 1 },
        { indexName: 'products', params: 'query=cotton&facets=%5B%22brand%22%5D' } as { indexName: string },
      ],
    });
    expect(results).toEqual([
      expect.objectContaining({ index: 'products', nbHits: 3, hits: [expect.objectContaining({ name: 'Desk Lamp' })] }),
      expect.objectContaining({ index: 'products', nbHits: 1, facets: { brand: { Zenith: 1 } } }),
    ]);
  });

  it('answers the GET form, ignoring the parameters it does not know', async () => {
    const response = await product.request('GET', '/1/indexes/products?query=lamp&hitsPerPage=1&getRankingInfo=1&x-algolia-agent=test', readerToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ nbHits: 3, hitsPerPage: 1, params: 'query=lamp&hitsPerPage=1&getRankingInfo=1' });
    expect(await search({ query: 'lamp', analytics: false, clickAnalytics: true, enableRules: false })).toMatchObject({ nbHits: 3 });
  });

  it("refuses malformed parameters with a 400 in Algolia's shape, and an unknown index with a 404", async () => {
    for (const searchParams of [{ filters: 'price >' }, { filters: 'color:red' }, { filters: 'brand > 3' }, { filters: 'price:cheap' }, { hitsPerPage: 5_000 }, { page: -1 }, { query: 42 }, { facetFilters: '[oops' }, { params: 7 }]) {
      const response = await product.request('POST', '/1/indexes/products/query', readerToken, searchParams);
      expect({ searchParams, status: response.status }).toEqual({ searchParams, status: 400 });
      expect(await response.json()).toEqual({ message: expect.any(String), status: 400 });
    }
    expect(await (await product.request('POST', '/1/indexes/products/query', readerToken, { filters: 'price > 10 AND (brand:Acme' })).json()).toEqual({ message: 'filters: expected ")" at the end', status: 400 });
    await expect(reader.searchSingleIndex({ indexName: 'movies', searchParams: {} })).rejects.toMatchObject({ status: 404, message: 'Index does not exist' });
    await expect(reader.search({ requests: [{ indexName: 'products' }, { indexName: 'movies' }] })).rejects.toMatchObject({ status: 404 });
    const notJson = await product.request('POST', '/1/indexes/products/query', readerToken, '{"query":', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ message: 'The body is not valid JSON', status: 400 });
  });
});
