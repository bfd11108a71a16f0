import { describe, expect, it } from '@jest/globals';
import { FilterError, type FilterNode } from './filter-node.js';
import { parseFilters } from './filter-parser.js';

const facet = (attribute: string, value: string): FilterNode => ({ kind: 'facet', attribute, value });

describe('parseFilters', () => {
  it.each<[string, FilterNode]>([
    ['price > 10', { kind: 'numeric', attribute: 'price', operator: '>', value: 10 }],
    ['price<=10.5', { kind: 'numeric', attribute: 'price', operator: '<=', value: 10.5 }],
    ['price != -3', { kind: 'numeric', attribute: 'price', operator: '!=', value: -3 }],
    ['price:10 TO 20', { kind: 'range', attribute: 'price', from: 10, to: 20 }],
    ['currency:EUR', facet('currency', 'EUR')],
    ['brand:"Acme Co"', facet('brand', 'Acme Co')],
    ["brand:'Say \\'hi\\''", facet('brand', "Say 'hi'")],
    ['"the brand":x', facet('the brand', 'x')],
    ['price:10', facet('price', '10')],
  ])('%s', (source, node) => {
    expect(parseFilters(source)).toEqual(node);
  });

  it('binds AND tighter than OR, and lets NOT and parentheses change it', () => {
    expect(parseFilters('a:1 OR b:2 AND c:3')).toEqual({ kind: 'or', operands: [facet('a', '1'), { kind: 'and', operands: [facet('b', '2'), facet('c', '3')] }] });
    expect(parseFilters('(a:1 OR b:2) AND NOT c:3')).toEqual({
      kind: 'and',
      operands: [{ kind: 'or', operands: [facet('a', '1'), facet('b', '2')] }, { kind: 'not', operand: facet('c', '3') }],
    });
    expect(parseFilters('NOT NOT (a:1)')).toEqual({ kind: 'not', operand: { kind: 'not', operand: facet('a', '1') } });
    expect(parseFilters('a:1 AND b:2 AND c:3')).toEqual({ kind: 'and', operands: [facet('a', '1'), facet('b', '2'), facet('c', '3')] });
  });

  it('takes keywords in upper case only, and quoted keywords as values', () => {
    expect(parseFilters('brand:"AND"')).toEqual(facet('brand', 'AND'));
    expect(() => parseFilters('a:1 and b:2')).toThrow(FilterError);
  });

  it.each([
    ['', 'filters: empty'],
    ['price >', 'filters: expected a number at the end'],
    ['price > cheap', 'filters: "cheap" is not a number (attribute price)'],
    ['price:1 TO', 'filters: expected a number at the end'],
    ['price:x TO 3', 'filters: "x" is not a number (attribute price)'],
    ['(a:1', 'filters: expected ")" at the end'],
    ['a:1)', 'filters: expected AND, OR or the end at position 4, found ")"'],
    ['a:1 b:2', 'filters: expected AND, OR or the end at position 5, found "b"'],
    ['a', 'filters: expected ":" or a comparison after "a" at the end'],
    ['a:1 AND', 'filters: expected an attribute at the end'],
    ['AND a:1', 'filters: expected an attribute at position 1, found "AND"'],
    ['brand:"open', 'filters: the string opened at position 7 is not closed'],
    ['price ! 3', 'filters: unexpected "!" at position 7'],
    ['price > 1e999', 'filters: "1e999" is not a number (attribute price)'],
  ])('refuses %j: %s', (source, message) => {
    expect(() => parseFilters(source)).toThrow(new FilterError(message));
  });

  it('refuses filters too long, too deep or too many', () => {
    expect(() => parseFilters(`a:${'x'.repeat(5_000)}`)).toThrow(/longer than 4096/);
    expect(() => parseFilters(`${'('.repeat(40)}a:1${')'.repeat(40)}`)).toThrow(/nested deeper than 32/);
    expect(() => parseFilters(Array.from({ length: 300 }, (_, index) => `a:${index}`).join(' OR '))).toThrow(/more than 256 comparisons/);
  });
});
