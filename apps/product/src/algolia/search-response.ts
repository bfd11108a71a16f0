import type { Product } from '../products/product.entity.js';
import { PAGINATION_LIMIT, type SearchResult } from './catalog-search.service.js';
import { highlight, type HighlightResult } from './highlight.js';
import { recordOf } from './records.js';
import type { SearchRequest } from './search-params.js';

/** A search answer in Algolia's shape (the fields its clients and instantsearch read). */
export function searchResponseOf(request: SearchRequest, result: SearchResult, params: string, processingTimeMS: number) {
  const reachable = Math.min(result.nbHits, PAGINATION_LIMIT);
  return {
    hits: result.products.map((product) => hitOf(product, request)),
    nbHits: result.nbHits,
    page: request.page,
    nbPages: request.hitsPerPage === 0 ? 0 : Math.ceil(reachable / request.hitsPerPage),
    hitsPerPage: request.hitsPerPage,
    exhaustiveNbHits: true,
    exhaustiveTypo: true,
    exhaustive: { nbHits: true, typo: true, ...(request.facets.length > 0 ? { facetsCount: true } : {}) },
    ...(request.facets.length > 0 ? { facets: result.facets, exhaustiveFacetsCount: true } : {}),
    ...(Object.keys(result.facetsStats).length > 0 ? { facets_stats: result.facetsStats } : {}),
    query: request.query,
    params,
    processingTimeMS,
  };
}

function hitOf(product: Product, request: SearchRequest) {
  const record = recordOf(product, request.attributesToRetrieve);
  const highlighted: Record<string, HighlightResult> = {};
  for (const attribute of request.attributesToHighlight) {
    const value = (record as Record<string, unknown>)[attribute];
    if (typeof value === 'string') highlighted[attribute] = highlight(value, request.query, { preTag: request.highlightPreTag, postTag: request.highlightPostTag });
  }
  return Object.keys(highlighted).length > 0 ? { ...record, _highlightResult: highlighted } : record;
}
