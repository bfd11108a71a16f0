import { algoliasearch, type Algoliasearch } from 'algoliasearch';
import { liteClient, type LiteClient } from 'algoliasearch/lite';

export const APP_ID = 'SSODEMO';

/** The harness's host as algoliasearch takes custom hosts: plain HTTP on 127.0.0.1 and a port. */
export function hostsOf(url: string) {
  const { hostname, port } = new URL(url);
  return [{ url: hostname, port: Number(port), accept: 'readWrite' as const, protocol: 'http' as const }];
}

/** The full client, unmodified, with its credentials in headers (as on a server); `bearer` adds an Authorization header instead of a real key. */
export function algoliaClient(url: string, apiKey: string, bearer?: string): Algoliasearch {
  return algoliasearch(APP_ID, apiKey, { hosts: hostsOf(url), ...(bearer ? { baseHeaders: { authorization: `Bearer ${bearer}` } } : {}) });
}

/** The lite client as a browser runs it: credentials in the query string. */
export function browserLiteClient(url: string, apiKey: string): LiteClient {
  return liteClient(APP_ID, apiKey, { hosts: hostsOf(url), authMode: 'WithinQueryParameters' });
}

/** The catalog the search tests query (prices in cents). */
export const CATALOG = [
  { name: 'Desk Lamp', description: 'Warm light for the desk', price: 4_999, currency: 'EUR', brand: 'Acme', category: 'Lighting' },
  { name: 'Floor Lamp', description: 'Tall lamp with a dimmer', price: 12_999, currency: 'EUR', brand: 'Acme', category: 'Lighting' },
  { name: 'Lamp Shade', description: 'Linen shade', price: 1_999, currency: 'EUR', brand: 'Zenith', category: 'Lighting' },
  { name: 'Organic Cotton Shirt', description: 'Soft cotton', price: 2_500, currency: 'USD', brand: 'Zenith', category: 'Clothing' },
  { name: 'Wool Sweater', description: '100% wool, warm', price: 8_900, currency: 'EUR', brand: 'Acme Co', category: 'Clothing' },
  { name: 'Snake_case Mug', description: 'For programmers', price: 1_200, currency: 'EUR', category: 'Kitchen' },
  { name: 'Teapot', description: 'Ceramic', price: 3_000, currency: 'GBP' },
];

export const namesOf = (hits: ReadonlyArray<{ name?: unknown }>) => hits.map((hit) => hit.name);
