import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository, SelectQueryBuilder } from 'typeorm';
import { containsPattern } from '../products/like-pattern.js';
import { Product } from '../products/product.entity.js';
import { FACETABLE_ATTRIBUTES, SEARCHABLE_ATTRIBUTES } from './filters/catalog-attributes.js';
import { allOf, type FilterNode } from './filters/filter-node.js';
import { filterSql, type SqlCondition } from './filters/filter-sql.js';
import type { SearchRequest } from './search-params.js';

/** Hits beyond this rank are never returned, as with Algolia's default `paginationLimitedTo`. */
export const PAGINATION_LIMIT = 1_000;

export interface FacetStats {
  min: number;
  max: number;
  avg: number;
  sum: number;
}

export interface SearchResult {
  nbHits: number;
  products: Product[];
  facets: Record<string, Record<string, number>>;
  facetsStats: Record<string, FacetStats>;
}

/**
 * Runs searches in the database: the query, the filters and the facet counts are SQL (a count,
 * one page of rows, one GROUP BY per facet), so a search never loads the catalog into memory.
 * Hits come in name order, as on `/products`.
 */
@Injectable()
export class CatalogSearchService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}

  async search(request: SearchRequest): Promise<SearchResult> {
    const condition = conditionOf(request.query, request.searchableAttributes, request.filters);
    const matching = () => this.products.createQueryBuilder('product').where(condition.sql, condition.parameters);
    const offset = request.page * request.hitsPerPage;
    const take = Math.max(0, Math.min(request.hitsPerPage, PAGINATION_LIMIT - offset));
    const [nbHits, products] = await Promise.all([
      matching().getCount(),
      take > 0 ? matching().orderBy('product.name', 'ASC').addOrderBy('product.id', 'ASC').offset(offset).limit(take).getMany() : Promise.resolve([]),
    ]);
    const facets: SearchResult['facets'] = {};
    const facetsStats: SearchResult['facetsStats'] = {};
    for (const attribute of request.facets) {
      facets[attribute] = await this.facetCounts(matching(), attribute, request.maxValuesPerFacet);
      if (FACETABLE_ATTRIBUTES[attribute].type === 'number') facetsStats[attribute] = await this.facetStats(matching(), attribute);
    }
    return { nbHits, products, facets, facetsStats };
  }

  /** The product `id` when it satisfies `filters` (a key's forced filters): a key reads only what it could find. */
  findOne(id: string, filters: FilterNode[]): Promise<Product | null> {
    const condition = conditionOf('', [], filters);
    return this.products.createQueryBuilder('product').where(condition.sql, condition.parameters).andWhere('product.id = :objectId', { objectId: id }).getOne();
  }

  private async facetCounts(matching: SelectQueryBuilder<Product>, attribute: string, limit: number): Promise<Record<string, number>> {
    const column = FACETABLE_ATTRIBUTES[attribute].column;
    const rows = await matching
      .select(column, 'value')
      .addSelect('COUNT(*)', 'hits')
      .andWhere(`${column} IS NOT NULL`)
      .groupBy(column)
      .orderBy('hits', 'DESC')
      .addOrderBy(column, 'ASC')
      .limit(limit)
      .getRawMany<{ value: string | number; hits: string | number }>();
    return Object.fromEntries(rows.map((row) => [String(row.value), Number(row.hits)]));
  }

  private async facetStats(matching: SelectQueryBuilder<Product>, attribute: string): Promise<FacetStats> {
    const column = FACETABLE_ATTRIBUTES[attribute].column;
    const row = await matching
      .select(`MIN(${column})`, 'min')
      .addSelect(`MAX(${column})`, 'max')
      .addSelect(`AVG(${column})`, 'avg')
      .addSelect(`SUM(${column})`, 'sum')
      .getRawOne<Record<keyof FacetStats, string | number | null>>();
    return { min: Number(row?.min ?? 0), max: Number(row?.max ?? 0), avg: Number(row?.avg ?? 0), sum: Number(row?.sum ?? 0) };
  }
}

/**
 * The WHERE of a search: the query as a case-insensitive substring of a searchable attribute
 * (LOWER() … LIKE, as on `/products`), ANDed with every filter. A query restricted to no
 * searchable attribute matches nothing.
 */
function conditionOf(query: string, searchable: readonly string[], filters: FilterNode[]): SqlCondition {
  const parts: string[] = [];
  const parameters: Record<string, unknown> = {};
  if (query !== '') {
    const columns = searchable.map((name) => SEARCHABLE_ATTRIBUTES[name]);
    parts.push(columns.length === 0 ? '(1 = 0)' : `(${columns.map((column) => `LOWER(${column}) LIKE :query ESCAPE '\\'`).join(' OR ')})`);
    parameters.query = containsPattern(query);
  }
  const filter = allOf(filters);
  if (filter) {
    const compiled = filterSql(filter);
    parts.push(compiled.sql);
    Object.assign(parameters, compiled.parameters);
  }
  return { sql: parts.length === 0 ? '1 = 1' : parts.join(' AND '), parameters };
}
