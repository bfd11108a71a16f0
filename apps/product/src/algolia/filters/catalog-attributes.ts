/** How the catalog's attributes are stored: the record attribute, its column, and whether it compares as text or number. */
export interface CatalogAttribute {
  column: string;
  type: 'text' | 'number';
}

/** Attributes a filter may name and `facets` may count (Algolia's `attributesForFaceting`). */
export const FACETABLE_ATTRIBUTES: Readonly<Record<string, CatalogAttribute>> = {
  brand: { column: 'product.brand', type: 'text' },
  category: { column: 'product.category', type: 'text' },
  currency: { column: 'product.currency', type: 'text' },
  price: { column: 'product.price', type: 'number' },
};

/** Attributes the query searches (Algolia's `searchableAttributes`), in this order. */
export const SEARCHABLE_ATTRIBUTES: Readonly<Record<string, string>> = {
  name: 'product.name',
  description: 'product.description',
};

export function facetableAttribute(name: string): CatalogAttribute | undefined {
  return Object.hasOwn(FACETABLE_ATTRIBUTES, name) ? FACETABLE_ATTRIBUTES[name] : undefined;
}
