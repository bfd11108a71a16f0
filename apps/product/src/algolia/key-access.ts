import { apiKeyClaimsOf, indexAllowed, type Principal } from '@sso/auth';
import { PRODUCTS_INDEX } from '@sso/contracts';
import { aclMissing, indexNotAllowed, indexNotFound } from './algolia-errors.js';
import type { RawParams } from './search-params.js';

/** The one index of this service; any other name is Algolia's 404. */
export function requireProductsIndex(index: string): void {
  if (index !== PRODUCTS_INDEX) throw indexNotFound();
}

/**
 * For an index named in a body (a multi-query): a key's `indexes` and a secured key's
 * `restrictIndices` must each allow it (the guard checked the index of the path).
 */
export function requireIndexAllowed(principal: Principal, index: string): void {
  const claims = apiKeyClaimsOf(principal);
  if (claims && !claims.indexes.every((patterns) => indexAllowed(patterns, index))) throw indexNotAllowed();
}

/** An ACL entry a route needs beyond its own for part of a request (a batch that deletes needs `deleteObject`). */
export function requireAcl(principal: Principal, acl: string): void {
  const claims = apiKeyClaimsOf(principal);
  if (claims && !claims.acl.includes(acl)) throw aclMissing(acl);
}

/** The search parameters a key forces: its `queryParameters`, then a secured key's own; none for a token. */
export function forcedParamsOf(principal: Principal): RawParams[] {
  return apiKeyClaimsOf(principal)?.forcedSearchParameters ?? [];
}

/** A key's `maxHitsPerQuery` (0: no cap); tokens have none. */
export function maxHitsOf(principal: Principal): number {
  return apiKeyClaimsOf(principal)?.maxHitsPerQuery ?? 0;
}
