import { describe, expect, it } from '@jest/globals';
import { AlgoliaException } from './algolia-errors.js';
import { echoedParams, paramsOfQueryString, searchParamsOfBody, searchParamsOfQuery } from './request-params.js';
import { searchRequestOf } from './search-params.js';

describe('searchRequestOf', () => {
  it("takes Algolia's defaults", () => {
    expect(searchRequestOf({})).toEqual({
      query: '',
      page: 0,
      hitsPerPage: 20,
      filters: [],
      facets: [],
      maxValuesPerFacet: 100,
      attributesToRetrieve: ['name', 'description', 'price', 'currency', 'brand', 'category', 'createdAt', 'updatedAt'],
      attributesToHighlight: ['name', 'description'],
      highlightPreTag: '<em>',
      highlightPostTag: '</em>',
      searchableAttributes: ['name', 'description'],
    });
  });

  it('reads numbers and lists sent as text, as a params string or a query string sends them', () => {
    const request = searchRequestOf(paramsOfQueryString('page=2&hitsPerPage=5&facets=brand,currency&attributesToRetrieve=%5B%22name%22%5D&restrictSearchableAttributes=description'));
    expect(request).toMatchObject({ page: 2, hitsPerPage: 5, facets: ['brand', 'currency'], attributesToRetrieve: ['name'], searchableAttributes: ['description'] });
  });

  it("ANDs forced filters with the request's, lets other forced parameters win, and caps hitsPerPage", () => {
    const request = searchRequestOf({ filters: 'brand:A', hitsPerPage: 50, attributesToRetrieve: ['*'] }, [{ filters: 'price < 10', attributesToRetrieve: 'name' }, { facetFilters: 'currency:EUR', hitsPerPage: '30' }], 7);
    expect(request.filters).toEqual([
      { kind: 'facet', attribute: 'brand', value: 'A' },
      { kind: 'numeric', attribute: 'price', operator: '<', value: 10 },
      { kind: 'facet', attribute: 'currency', value: 'EUR' },
    ]);
    expect(request).toMatchObject({ hitsPerPage: 7, attributesToRetrieve: ['name'] });
  });

  it('refuses a key that forces a restriction the index cannot apply', () => {
    expect(() => searchRequestOf({}, [{ aroundLatLng: '1,2' }])).toThrow(new AlgoliaException(403, 'The API key forces search parameters this index cannot apply'));
  });

  it.each([
    [{ hitsPerPage: 1_001 }, 'hitsPerPage must be an integer from 0 to 1000'],
    [{ page: '1.5' }, 'page must be an integer from 0 to 2147483647'],
    [{ maxValuesPerFacet: 0 }, 'maxValuesPerFacet must be an integer from 1 to 1000'],
    [{ query: ['a'] }, 'query must be a string'],
    [{ query: 'x'.repeat(513) }, 'query is longer than 512 characters'],
    [{ facets: [1] }, 'facets must be a list of strings'],
    [{ filters: 'price >' }, 'filters: expected a number at the end'],
  ])('refuses %j with a 400', (raw, message) => {
    expect(() => searchRequestOf(raw)).toThrow(new AlgoliaException(400, message));
  });
});

describe('search parameters of a request', () => {
  it('lets JSON fields override a params string', () => {
    expect(searchParamsOfBody({ params: 'query=a&page=1', query: 'b' })).toEqual({ query: 'b', page: '1' });
    expect(searchParamsOfBody({ indexName: 'products', query: 'b' }, ['indexName'])).toEqual({ query: 'b' });
    expect(searchParamsOfBody({ params: { query: 'a', hitsPerPage: 2 }, page: 1 })).toEqual({ query: 'a', hitsPerPage: 2, page: 1 });
    expect(() => searchParamsOfBody({ params: 7 })).toThrow(new AlgoliaException(400, 'params must be a URL-encoded string or an object'));
  });

  it('keeps credentials and telemetry out of the parameters and of their echo', () => {
    const params = searchParamsOfQuery({ query: 'lamp', 'x-algolia-api-key': 'secret', 'X-Algolia-Application-Id': 'APP', 'x-algolia-agent': 'Algolia' });
    expect(params).toEqual({ query: 'lamp' });
    expect(echoedParams({ query: 'desk lamp', facets: ['brand'], 'x-algolia-api-key': 'secret' })).toBe('query=desk+lamp&facets=%5B%22brand%22%5D');
  });

  it('refuses a parameter given twice', () => {
    expect(() => paramsOfQueryString('page=1&page=2')).toThrow(new AlgoliaException(400, 'page is given twice'));
    expect(() => searchParamsOfQuery({ page: ['1', '2'] })).toThrow(new AlgoliaException(400, 'page is given twice'));
  });
});
