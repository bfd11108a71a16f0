import { indexAllowed, type ApiKeyClaims } from '@sso/auth';
import { ACL_SCOPES, INDEX_ACLS, PRODUCTS_INDEX, type ApiKeyAcl } from '@sso/contracts';

/**
 * The scopes of a token exchanged for a key (ACL_SCOPES of @sso/contracts): index ACLs give
 * product scopes only where each of the key's index lists allows the catalog.
 */
export function scopesOfKey({ acl, indexes }: Pick<ApiKeyClaims, 'acl' | 'indexes'>): string[] {
  const catalogAllowed = indexes.every((list) => indexAllowed(list, PRODUCTS_INDEX));
  const scopes = acl.flatMap((entry) => {
    const scope = ACL_SCOPES[entry as ApiKeyAcl];
    if (!scope || (INDEX_ACLS.includes(entry as ApiKeyAcl) && !catalogAllowed)) return [];
    return [scope];
  });
  return [...new Set(scopes)];
}
