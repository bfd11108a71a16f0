import type { ApiKeyRecord } from '@sso/contracts';

/** What a key handed to every visitor's browser may do: search the catalog, nothing more. */
const BROWSER_ACL = new Set(['search']);

/**
 * Why a configured key must not be put in a page, or undefined when it may: it must be a live
 * key whose ACL holds `search` and nothing else, so an admin or write key never reaches a browser.
 * Times are Unix seconds, as in the key's record.
 */
export function unfitForBrowsers(record: ApiKeyRecord | undefined, nowSeconds = Math.floor(Date.now() / 1000)): string | undefined {
  if (!record || record.deletedAt !== null) return 'the key does not exist';
  if (record.expiresAt !== null && record.expiresAt <= nowSeconds) return 'the key has expired';
  const extra = record.acl.filter((acl) => !BROWSER_ACL.has(acl));
  if (extra.length > 0) return `the key may also ${extra.join(', ')}: only a search-only key goes to browsers`;
  if (!record.acl.includes('search')) return 'the key cannot search';
  return undefined;
}
