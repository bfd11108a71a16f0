import { indexAllowed, type ApiKeyClaims } from '@sso/auth';
import { ACL_SCOPES, INDEX_ACLS, PRODUCTS_INDEX } from '@sso/contracts';

/**
 * The scopes of a token exchanged for a key (ACL_SCOPES of @sso/contracts): each rule whose ACL
 * entries the key holds, and rules of index ACLs only where each of the key's index lists
 * allows the catalog.
 */
export function scopesOfKey({ acl, indexes }: Pick<ApiKeyClaims, 'acl' | 'indexes'>): string[] {
  const catalogAllowed = indexes.every((list) => indexAllowed(list, PRODUCTS_INDEX));
  return ACL_SCOPES.filter((rule) => rule.acl.every((entry) => acl.includes(entry)) && (catalogAllowed || !rule.acl.some((entry) => INDEX_ACLS.includes(entry)))).map((rule) => rule.scope);
}
