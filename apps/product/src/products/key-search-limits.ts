import { ForbiddenException } from '@nestjs/common';
import { apiKeyClaimsOf, type Principal } from '@sso/auth';

/** Search parameters that narrow which records a key may see: the catalog's REST routes cannot apply them. */
const FILTERING_PARAMETERS = ['filters', 'facetFilters', 'numericFilters', 'tagFilters', 'restrictSearchableAttributes'];

/**
 * A key that forces a filter is refused rather than ignored: ignoring it would show more than
 * the key may see.
 */
export function refuseUnappliedFilters(principal: Principal): void {
  const claims = apiKeyClaimsOf(principal);
  if (claims?.forcedSearchParameters.some((parameters) => FILTERING_PARAMETERS.some((name) => name in parameters))) {
    throw new ForbiddenException({ message: 'the API key forces search filters this route cannot apply', code: 'api_key_refused', error: 'Forbidden' });
  }
}

/** The page size of a catalog read: capped for an API key by `maxHitsPerQuery` and a forced `hitsPerPage`. */
export function pageLimitFor(principal: Principal, requested: number): number {
  refuseUnappliedFilters(principal);
  const claims = apiKeyClaimsOf(principal);
  if (!claims) return requested;
  const caps = [claims.maxHitsPerQuery, ...claims.forcedSearchParameters.map((parameters) => Number(parameters.hitsPerPage))].filter((cap) => Number.isInteger(cap) && cap > 0);
  return Math.min(requested, ...caps);
}
