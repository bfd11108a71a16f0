import { describe, expect, it } from '@jest/globals';
import { facetFiltersNode, numericFiltersNode, tagFiltersNode } from './filter-lists.js';
import { FilterError } from './filter-node.js';
import { parseFilters } from './filter-parser.js';
import { filterSql } from './filter-sql.js';

describe('filterSql', () => {
  it('binds every value, and compares text case-insensitively, records without the attribute matching nothing', () => {
    expect(filterSql(parseFilters('brand:"Acme Co" AND NOT price:10 TO 20 OR price != 3'))).toEqual({
      sql: '(((product.brand IS NOT NULL AND LOWER(product.brand) = LOWER(:filter0)) AND (NOT (product.price BETWEEN CAST(:filter1 AS DOUBLE PRECISION) AND CAST(:filter2 AS DOUBLE PRECISION)))) OR (product.price <> CAST(:filter3 AS DOUBLE PRECISION)))',
      parameters: { filter0: 'Acme Co', filter1: '10', filter2: '20', filter3: '3' },
    });
  });

  it('compares a facet value of a numeric attribute as a number', () => {
    expect(filterSql(parseFilters('price:12.5'))).toEqual({ sql: '(product.price = CAST(:filter0 AS DOUBLE PRECISION))', parameters: { filter0: '12.5' } });
  });

  it.each([
    ['color:red', 'filters: unknown attribute "color"; the products index filters on brand, category, currency, price'],
    ['name:Lamp', 'filters: unknown attribute "name"; the products index filters on brand, category, currency, price'],
    ['brand > 3', 'filters: brand is not numeric; compare it with "brand:value"'],
    ['price:cheap', 'filters: price is numeric; "cheap" is not a number'],
    ['__proto__:x', 'filters: unknown attribute "__proto__"; the products index filters on brand, category, currency, price'],
  ])('refuses %j', (source, message) => {
    expect(() => filterSql(parseFilters(source))).toThrow(new FilterError(message));
  });
});

describe('facetFilters, numericFilters and tagFilters', () => {
  it('ANDs the entries of a list and ORs inner lists; a dash negates', () => {
    expect(facetFiltersNode([['brand:Acme', 'brand:Zenith'], '-currency:EUR'])).toEqual({
      kind: 'and',
      operands: [
        { kind: 'or', operands: [{ kind: 'facet', attribute: 'brand', value: 'Acme' }, { kind: 'facet', attribute: 'brand', value: 'Zenith' }] },
        { kind: 'not', operand: { kind: 'facet', attribute: 'currency', value: 'EUR' } },
      ],
    });
    expect(facetFiltersNode('brand:Acme:Pro')).toEqual({ kind: 'facet', attribute: 'brand', value: 'Acme:Pro' });
    expect(facetFiltersNode('["category:\\\\-5"]')).toEqual({ kind: 'facet', attribute: 'category', value: '\\-5' });
    expect(facetFiltersNode('\\-brand:x')).toEqual({ kind: 'facet', attribute: '-brand', value: 'x' });
    expect(facetFiltersNode(undefined)).toBeUndefined();
    expect(facetFiltersNode([])).toBeUndefined();
  });

  it('parses numeric filters with the filter syntax', () => {
    expect(numericFiltersNode('["price>=10", ["price:1 TO 2", "price=5"]]')).toEqual({
      kind: 'and',
      operands: [
        { kind: 'numeric', attribute: 'price', operator: '>=', value: 10 },
        { kind: 'or', operands: [{ kind: 'range', attribute: 'price', from: 1, to: 2 }, { kind: 'numeric', attribute: 'price', operator: '=', value: 5 }] },
      ],
    });
  });

  it('matches no record for a tag, and every record for a negated one', () => {
    expect(tagFiltersNode(['promo'])).toEqual({ kind: 'nothing' });
    expect(tagFiltersNode('-promo')).toEqual({ kind: 'not', operand: { kind: 'nothing' } });
  });

  it.each([
    [facetFiltersNode, '[oops', 'facetFilters: not a valid JSON list'],
    [facetFiltersNode, [[['a:1']]], 'facetFilters: must be a string or a list of strings and lists of strings'],
    [facetFiltersNode, [[]], 'facetFilters: an inner list is empty'],
    [facetFiltersNode, ['brand'], 'facetFilters: "brand" is not "attribute:value"'],
    [facetFiltersNode, 42, 'facetFilters: must be a string or a list of strings and lists of strings'],
    [numericFiltersNode, ['price >'], 'filters: expected a number at the end'],
  ])('refuses malformed lists (%#)', (parse, raw, message) => {
    expect(() => parse(raw)).toThrow(new FilterError(message));
  });
});
