import type { Product } from '../products/product.entity.js';
import { badRequest } from './algolia-errors.js';

/**
 * A product as an Algolia record: `objectID` is the product's id; `name`, `description`,
 * `price` (integer minor units, as in `/products`), `currency`, and the facets `brand` and
 * `category` when the product has them; `createdAt` and `updatedAt` (RFC 3339) are read-only.
 */
export interface ProductRecord {
  objectID: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  brand?: string;
  category?: string;
  createdAt: string;
  updatedAt: string;
}

/** The attributes a record may return (`attributesToRetrieve`), `objectID` aside. */
export const RECORD_ATTRIBUTES = ['name', 'description', 'price', 'currency', 'brand', 'category', 'createdAt', 'updatedAt'] as const;

/** The writable attributes of a record; `null` removes an optional one. */
export interface RecordFields {
  name?: string;
  description?: string;
  price?: number;
  currency?: string;
  brand?: string | null;
  category?: string | null;
}

const READ_ONLY = new Set(['objectID', 'createdAt', 'updatedAt']);
const WRITABLE = ['name', 'description', 'price', 'currency', 'brand', 'category'];
// The ids of /products: an object id is a product id, so both APIs reach every product.
export const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function recordOf(product: Product, attributes: readonly string[] = RECORD_ATTRIBUTES): Partial<ProductRecord> & { objectID: string } {
  const whole: Record<string, unknown> = {
    name: product.name,
    description: product.description,
    price: product.price,
    currency: product.currency,
    ...(product.brand === null ? {} : { brand: product.brand }),
    ...(product.category === null ? {} : { category: product.category }),
    createdAt: new Date(product.createdAt).toISOString(),
    updatedAt: new Date(product.updatedAt).toISOString(),
  };
  return { objectID: product.id, ...Object.fromEntries(attributes.filter((name) => name in whole).map((name) => [name, whole[name]])) };
}

/** An object id as /products knows ids: a UUID (v4); anything else is a 400 naming the rule. */
export function checkedObjectId(value: unknown): string {
  if (typeof value !== 'string' || !OBJECT_ID.test(value)) throw badRequest('objectID must be a UUID (v4): object ids are the ids of /products');
  return value;
}

/**
 * The writable attributes of a record body, each checked as `/products` checks it; an unknown
 * attribute is a 400 (the catalog's records have a fixed shape), the read-only ones are ignored.
 */
export function recordFieldsOf(body: Record<string, unknown>): RecordFields {
  const unknown = Object.keys(body).filter((name) => !READ_ONLY.has(name) && !WRITABLE.includes(name));
  if (unknown.length > 0) throw badRequest(`Unknown attribute ${unknown.join(', ')}: records of products hold objectID, ${WRITABLE.join(', ')}`);
  const reasons: string[] = [];
  const fields: RecordFields = {};
  const text = (name: 'name' | 'description' | 'currency', valid: (value: string) => boolean, rule: string) => {
    if (!(name in body)) return;
    const value = body[name];
    if (typeof value === 'string' && valid(value)) fields[name] = value;
    else reasons.push(`${name} ${rule}`);
  };
  text('name', (value) => value.length >= 1 && value.length <= 200, 'must be a string of 1 to 200 characters');
  text('description', (value) => value.length <= 2_000, 'must be a string of at most 2000 characters');
  text('currency', (value) => /^[A-Z]{3}$/.test(value), 'must be an ISO 4217 code such as EUR');
  if ('price' in body) {
    const price = body.price;
    if (typeof price === 'number' && Number.isInteger(price) && price >= 0 && price <= 1_000_000_000_000) fields.price = price;
    else reasons.push('price must be an integer from 0 to 1000000000000 (minor units)');
  }
  for (const name of ['brand', 'category'] as const) {
    if (!(name in body)) continue;
    const value = body[name];
    if (value === null || (typeof value === 'string' && value.length >= 1 && value.length <= 100)) fields[name] = value;
    else reasons.push(`${name} must be a string of 1 to 100 characters, or null`);
  }
  if (reasons.length > 0) throw badRequest(reasons.join('; '));
  return fields;
}

/** The fields of a whole record (add, replace): name, price and currency are required. */
export function wholeRecordFieldsOf(body: Record<string, unknown>): Required<RecordFields> {
  const fields = recordFieldsOf(body);
  const missing = (['name', 'price', 'currency'] as const).filter((name) => fields[name] === undefined);
  if (missing.length > 0) throw badRequest(`A record of products needs ${missing.join(', ')}`);
  return { name: fields.name!, price: fields.price!, currency: fields.currency!, description: fields.description ?? '', brand: fields.brand ?? null, category: fields.category ?? null };
}
