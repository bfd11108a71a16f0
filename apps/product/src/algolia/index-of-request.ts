import { PRODUCTS_INDEX } from '@sso/contracts';

const ALGOLIA_INDEX_PATH = /^\/1\/indexes\/([^/]+)/;

/**
 * The index a request acts on, for keys restricted by `indexes` or `restrictIndices`: the one
 * an Algolia path names, `products` for `/products` and for a multi-query (`*`), whose indexes
 * the route checks one by one. Undefined for a name that does not decode, so such a key is refused.
 */
export function indexOfRequest(request: { path?: string }): string | undefined {
  const match = ALGOLIA_INDEX_PATH.exec(request.path ?? '');
  if (!match || match[1] === '*') return PRODUCTS_INDEX;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}
