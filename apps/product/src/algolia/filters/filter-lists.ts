import { FilterError, type FilterNode } from './filter-node.js';
import { parseFilters } from './filter-parser.js';

type Nested = string | Nested[];

/**
 * `facetFilters`: `"brand:Acme"`, or a list whose entries are ANDed and whose inner lists are
 * ORed (`[["brand:Acme", "brand:Zenith"], "currency:EUR"]`); a leading `-` negates an entry
 * (`\-` keeps a literal dash). In a URL-encoded `params` string the list is JSON.
 */
export function facetFiltersNode(raw: unknown): FilterNode | undefined {
  return listNode(raw, 'facetFilters', facetEntry);
}

/** `numericFilters`: `"price>=10"`, `"price:10 TO 20"`, in lists as for `facetFilters`. */
export function numericFiltersNode(raw: unknown): FilterNode | undefined {
  return listNode(raw, 'numericFilters', (entry) => parseFilters(entry));
}

/**
 * `tagFilters`: the catalog's records carry no `_tags`, so a tag matches no record and a
 * negated tag (`-promo`) matches every record, as Algolia would answer on such an index.
 */
export function tagFiltersNode(raw: unknown): FilterNode | undefined {
  const node = listNode(raw, 'tagFilters', (entry) => (entry.startsWith('-') ? { kind: 'not', operand: { kind: 'nothing' } } : { kind: 'nothing' }));
  return node;
}

function listNode(raw: unknown, name: string, entryNode: (entry: string) => FilterNode): FilterNode | undefined {
  const list = listOf(raw, name);
  const nodes = list.map((entry) => (typeof entry === 'string' ? entryNode(entry) : orOf(entry, name, entryNode)));
  return nodes.length === 0 ? undefined : nodes.length === 1 ? nodes[0] : { kind: 'and', operands: nodes };
}

function orOf(entries: Nested[], name: string, entryNode: (entry: string) => FilterNode): FilterNode {
  if (entries.length === 0) throw new FilterError(`${name}: an inner list is empty`);
  const nodes = entries.map((entry) => {
    if (typeof entry !== 'string') throw new FilterError(`${name}: lists nest two levels at most`);
    return entryNode(entry);
  });
  return nodes.length === 1 ? nodes[0] : { kind: 'or', operands: nodes };
}

function listOf(raw: unknown, name: string): Nested[] {
  if (raw === undefined || raw === null || raw === '') return [];
  let value = raw;
  if (typeof raw === 'string') {
    if (!raw.trimStart().startsWith('[')) return [raw];
    try {
      value = JSON.parse(raw);
    } catch {
      throw new FilterError(`${name}: not a valid JSON list`);
    }
  }
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' || (Array.isArray(entry) && entry.every((inner) => typeof inner === 'string')))) {
    throw new FilterError(`${name}: must be a string or a list of strings and lists of strings`);
  }
  return value as Nested[];
}

function facetEntry(entry: string): FilterNode {
  const negated = entry.startsWith('-');
  const text = negated ? entry.slice(1) : entry.startsWith('\\-') ? entry.slice(1) : entry;
  const colon = text.indexOf(':');
  if (colon <= 0) throw new FilterError(`facetFilters: "${entry}" is not "attribute:value"`);
  const node: FilterNode = { kind: 'facet', attribute: text.slice(0, colon).trim(), value: text.slice(colon + 1) };
  return negated ? { kind: 'not', operand: node } : node;
}
