import { Body, Controller, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptApiKeyInQuery, AllowApiKey, CurrentPrincipal, Scopes, type Principal } from '@sso/auth';
import { AlgoliaErrorFilter } from './algolia-error.filter.js';
import { badRequest, indexNotFound } from './algolia-errors.js';
import { CatalogSearchService } from './catalog-search.service.js';
import { forcedParamsOf, maxHitsOf, requireIndexAllowed, requireProductsIndex } from './key-access.js';
import { echoedParams, objectBody, searchParamsOfBody, searchParamsOfQuery } from './request-params.js';
import { searchRequestOf, type RawParams, type SearchRequest } from './search-params.js';
import { searchResponseOf } from './search-response.js';

/** Queries of one multi-query request at most (instantsearch sends one per disjunctive facet, plus one). */
const MAX_QUERIES = 50;

/**
 * Algolia's search routes on the index `products` (product:read, or a key with `search`; the
 * key may come in the query string, as the browser clients send it). A key's forced parameters
 * and `maxHitsPerQuery` apply to every query.
 */
@ApiTags('algolia')
@ApiBearerAuth()
@Controller('1/indexes')
@UseFilters(AlgoliaErrorFilter)
@AcceptApiKeyInQuery()
export class AlgoliaSearchController {
  constructor(private readonly catalog: CatalogSearchService) {}

  @Post(':index/query')
  @HttpCode(200)
  @Scopes('product:read')
  @AllowApiKey('search')
  @ApiOperation({ summary: 'Algolia searchSingleIndex: search parameters as JSON fields or a URL-encoded `params` string' })
  query(@Param('index') index: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    requireProductsIndex(index);
    const params = searchParamsOfBody(objectBody(body ?? {}, 'search parameters'));
    return this.run(params, this.prepare(params, who));
  }

  @Get(':index')
  @Scopes('product:read')
  @AllowApiKey('search')
  @ApiOperation({ summary: 'Algolia search, GET form: search parameters in the query string' })
  queryByGet(@Param('index') index: string, @Query() query: Record<string, unknown>, @CurrentPrincipal() who: Principal) {
    requireProductsIndex(index);
    const params = searchParamsOfQuery(query);
    return this.run(params, this.prepare(params, who));
  }

  @Post(':index/queries')
  @HttpCode(200)
  @Scopes('product:read')
  @AllowApiKey('search')
  @ApiOperation({ summary: 'Algolia multi-query (`/1/indexes/*/queries`): `{ requests: [{ indexName, ...params }] }`; every index must exist and be allowed' })
  async queries(@Param('index') index: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    if (index !== '*') throw indexNotFound();
    const requests = requestsOf(objectBody(body, 'a multi-query'));
    const prepared = requests.map((entry) => {
      const indexName = entry.indexName;
      if (typeof indexName !== 'string') throw badRequest('Each request needs an indexName');
      if (entry.type !== undefined && entry.type !== 'default') throw badRequest(`Request type ${JSON.stringify(entry.type)} is not supported: only searches for hits`);
      requireIndexAllowed(who, indexName);
      requireProductsIndex(indexName);
      const params = searchParamsOfBody(entry, ['indexName', 'type']);
      return { indexName, params, request: this.prepare(params, who) };
    });
    const results = [];
    for (const { indexName, params, request } of prepared) results.push({ ...(await this.run(params, request)), index: indexName });
    return { results };
  }

  private prepare(params: RawParams, who: Principal): SearchRequest {
    return searchRequestOf(params, forcedParamsOf(who), maxHitsOf(who));
  }

  private async run(params: RawParams, request: SearchRequest) {
    const started = performance.now();
    const result = await this.catalog.search(request);
    return searchResponseOf(request, result, echoedParams(params), Math.round(performance.now() - started));
  }
}

function requestsOf(body: Record<string, unknown>): Record<string, unknown>[] {
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw badRequest('requests must be a non-empty list of queries');
  if (requests.length > MAX_QUERIES) throw badRequest(`requests holds more than ${MAX_QUERIES} queries`);
  return requests.map((entry) => objectBody(entry, 'each query of requests'));
}
