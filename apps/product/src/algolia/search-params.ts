import { AlgoliaException, badRequest } from './algolia-errors.js';
import { FACETABLE_ATTRIBUTES, facetableAttribute, SEARCHABLE_ATTRIBUTES } from './filters/catalog-attributes.js';
import { FilterError, type FilterNode } from './filters/filter-node.js';
import { facetFiltersNode, numericFiltersNode, tagFiltersNode } from './filters/filter-lists.js';
import { parseFilters } from './filters/filter-parser.js';
import { filterSql } from './filters/filter-sql.js';
import { RECORD_ATTRIBUTES } from './records.js';

/** Search parameters as they arrive: decoded from a `params` string or a query string (text), or sent as JSON. */
export type RawParams = Record<string, unknown>;

/** A search, validated and normalised. */
export interface SearchRequest {
  query: string;
  page: number;
  hitsPerPage: number;
  /** Every filter the search must satisfy (the request's and those its key forces), ANDed. */
  filters: FilterNode[];
  /** Facetable attributes to count. */
  facets: string[];
  maxValuesPerFacet: number;
  /** Record attributes to return; `objectID` always comes. */
  attributesToRetrieve: readonly string[];
  attributesToHighlight: readonly string[];
  highlightPreTag: string;
  highlightPostTag: string;
  /** Searchable attributes the query looks in. */
  searchableAttributes: readonly string[];
}

export const DEFAULT_HITS_PER_PAGE = 20;
export const MAX_HITS_PER_PAGE = 1_000;
const FILTER_PARAMETERS = ['filters', 'facetFilters', 'numericFilters', 'tagFilters'] as const;
/** Restrictions this index cannot apply (its records have no geolocation): a key forcing one is refused, never widened. */
const UNAPPLIABLE_RESTRICTIONS = ['aroundLatLng', 'aroundLatLngViaIP', 'aroundRadius', 'insideBoundingBox', 'insidePolygon'];

/** The filters a set of parameters states, each one a node. */
export function filtersOf(raw: RawParams): FilterNode[] {
  try {
    const filters = raw.filters === undefined || raw.filters === '' ? undefined : parseFilters(textOf(raw.filters, 'filters', 4_096));
    const nodes = [filters, facetFiltersNode(raw.facetFilters), numericFiltersNode(raw.numericFilters), tagFiltersNode(raw.tagFilters)].filter((node): node is FilterNode => node !== undefined);
    // Compiling checks every attribute and value, so that a bad one is a 400 before any query runs.
    for (const node of nodes) filterSql(node);
    return nodes;
  } catch (error) {
    if (error instanceof FilterError) throw badRequest(error.message);
    throw error;
  }
}

/**
 * The search that `requested` asks for, under the parameters its API key forces: forced filters
 * are ANDed with the request's, any other forced parameter replaces the request's, and
 * `maxHitsPerQuery` (0: none) caps `hitsPerPage`.
 */
export function searchRequestOf(requested: RawParams, forced: readonly RawParams[] = [], maxHitsPerQuery = 0): SearchRequest {
  const effective: RawParams = { ...requested };
  for (const parameters of forced) {
    if (UNAPPLIABLE_RESTRICTIONS.some((name) => name in parameters)) throw new AlgoliaException(403, 'The API key forces search parameters this index cannot apply');
    for (const [name, value] of Object.entries(parameters)) {
      if (!(FILTER_PARAMETERS as readonly string[]).includes(name)) effective[name] = value;
    }
  }
  const filters = [requested, ...forced].flatMap(filtersOf);
  const hitsPerPage = integerOf(effective.hitsPerPage, 'hitsPerPage', 0, MAX_HITS_PER_PAGE, DEFAULT_HITS_PER_PAGE);
  return {
    query: textOf(effective.query ?? '', 'query', 512),
    page: integerOf(effective.page, 'page', 0, 2 ** 31 - 1, 0),
    hitsPerPage: maxHitsPerQuery > 0 ? Math.min(hitsPerPage, maxHitsPerQuery) : hitsPerPage,
    filters,
    facets: facetsOf(effective.facets),
    maxValuesPerFacet: integerOf(effective.maxValuesPerFacet, 'maxValuesPerFacet', 1, 1_000, 100),
    attributesToRetrieve: attributeSelection(effective.attributesToRetrieve, 'attributesToRetrieve', RECORD_ATTRIBUTES),
    attributesToHighlight: attributeSelection(effective.attributesToHighlight, 'attributesToHighlight', Object.keys(SEARCHABLE_ATTRIBUTES)),
    highlightPreTag: textOf(effective.highlightPreTag ?? '<em>', 'highlightPreTag', 100),
    highlightPostTag: textOf(effective.highlightPostTag ?? '</em>', 'highlightPostTag', 100),
    searchableAttributes: attributeSelection(effective.restrictSearchableAttributes, 'restrictSearchableAttributes', Object.keys(SEARCHABLE_ATTRIBUTES)),
  };
}

/** A list parameter: a JSON array, or in text a JSON array or comma-separated names. */
export function listOf(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    if (!raw.trimStart().startsWith('[')) return raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    try {
      value = JSON.parse(raw);
    } catch {
      throw badRequest(`${name} must be a list of strings`);
    }
  }
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) throw badRequest(`${name} must be a list of strings`);
  return value as string[];
}

function facetsOf(raw: unknown): string[] {
  const names = listOf(raw, 'facets') ?? [];
  // As in Algolia, an attribute that is not facetable is not counted, without an error.
  return names.includes('*') ? Object.keys(FACETABLE_ATTRIBUTES) : [...new Set(names.filter((name) => facetableAttribute(name) !== undefined))];
}

/** `*` (or nothing sent) selects every known attribute; unknown names are ignored, as Algolia does. */
function attributeSelection(raw: unknown, name: string, known: readonly string[]): readonly string[] {
  const names = listOf(raw, name);
  if (names === undefined || names.includes('*')) return known;
  return known.filter((attribute) => names.includes(attribute));
}

export function integerOf(raw: unknown, name: string, min: number, max: number, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) throw badRequest(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function textOf(raw: unknown, name: string, maxLength: number): string {
  if (typeof raw !== 'string') throw badRequest(`${name} must be a string`);
  if (raw.length > maxLength) throw badRequest(`${name} is longer than ${maxLength} characters`);
  return raw;
}
