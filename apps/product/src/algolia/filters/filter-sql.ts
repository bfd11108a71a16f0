import { facetableAttribute, FACETABLE_ATTRIBUTES } from './catalog-attributes.js';
import { FilterError, type FilterNode } from './filter-node.js';
import { isNumberText } from './filter-parser.js';

export interface SqlCondition {
  sql: string;
  parameters: Record<string, unknown>;
}

const SQL_OPERATORS = { '<': '<', '<=': '<=', '=': '=', '!=': '<>', '>=': '>=', '>': '>' } as const;

/**
 * A filter as an SQL condition on the alias `product`, every value a bound parameter. The same
 * SQL runs on SQLite and PostgreSQL: text compares through LOWER() on both sides (facet values
 * match case-insensitively, as in Algolia), numbers through a cast to DOUBLE PRECISION. A record
 * without the attribute matches no comparison, so `NOT brand:Acme` keeps records without a brand.
 */
export function filterSql(node: FilterNode, prefix = 'filter'): SqlCondition {
  const parameters: Record<string, unknown> = {};
  let count = 0;
  const bind = (value: unknown) => {
    const name = `${prefix}${count++}`;
    parameters[name] = value;
    return `:${name}`;
  };
  const number = (value: number) => `CAST(${bind(String(value))} AS DOUBLE PRECISION)`;

  const compile = (current: FilterNode): string => {
    switch (current.kind) {
      case 'and':
      case 'or':
        return `(${current.operands.map(compile).join(current.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${compile(current.operand)})`;
      case 'nothing':
        return '(1 = 0)';
      case 'facet': {
        const attribute = attributeOf(current.attribute);
        if (attribute.type === 'text') return `(${attribute.column} IS NOT NULL AND LOWER(${attribute.column}) = LOWER(${bind(current.value)}))`;
        if (!isNumberText(current.value)) throw new FilterError(`filters: ${current.attribute} is numeric; "${current.value}" is not a number`);
        return `(${attribute.column} = ${number(Number(current.value))})`;
      }
      case 'numeric':
        return `(${numericColumn(current.attribute)} ${SQL_OPERATORS[current.operator]} ${number(current.value)})`;
      case 'range':
        return `(${numericColumn(current.attribute)} BETWEEN ${number(current.from)} AND ${number(current.to)})`;
    }
  };
  return { sql: compile(node), parameters };
}

function attributeOf(name: string) {
  const attribute = facetableAttribute(name);
  if (!attribute) throw new FilterError(`filters: unknown attribute "${name}"; the products index filters on ${Object.keys(FACETABLE_ATTRIBUTES).join(', ')}`);
  return attribute;
}

function numericColumn(name: string): string {
  const attribute = attributeOf(name);
  if (attribute.type !== 'number') throw new FilterError(`filters: ${name} is not numeric; compare it with "${name}:value"`);
  return attribute.column;
}
