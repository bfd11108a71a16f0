export type ComparisonOperator = '<' | '<=' | '=' | '!=' | '>=' | '>';

/** A parsed filter, before it meets the catalog's attributes: what `filters`, `facetFilters`, `numericFilters` and `tagFilters` say. */
export type FilterNode =
  | { kind: 'and'; operands: FilterNode[] }
  | { kind: 'or'; operands: FilterNode[] }
  | { kind: 'not'; operand: FilterNode }
  /** `attribute:value`: a facet value, or a number on a numeric attribute. */
  | { kind: 'facet'; attribute: string; value: string }
  | { kind: 'numeric'; attribute: string; operator: ComparisonOperator; value: number }
  /** `attribute:from TO to`, both ends included. */
  | { kind: 'range'; attribute: string; from: number; to: number }
  /** Matches no record (a tag filter: the catalog's records carry no `_tags`). */
  | { kind: 'nothing' };

/** Bad filter syntax or an attribute the catalog cannot filter on: a 400 for the caller. */
export class FilterError extends Error {}

export function allOf(nodes: FilterNode[]): FilterNode | undefined {
  return nodes.length === 0 ? undefined : nodes.length === 1 ? nodes[0] : { kind: 'and', operands: nodes };
}
