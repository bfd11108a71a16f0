import { AuthRejection } from '../auth-rejection.js';
import type { Principal } from '../principal.js';

/** What the guard hands an API-key verifier for a route marked `@AllowApiKey(...acl)`. */
export interface ApiKeyCheck {
  /** `x-algolia-api-key` (a header, or a query parameter where the route accepts one). */
  key: string;
  /** `x-algolia-application-id`, when sent beside the key. */
  applicationId?: string;
  /** Every entry the route requires. */
  acl: readonly string[];
  /** For restrictions on referer, client IP and index. */
  request: { headers: Record<string, string | string[] | undefined>; ip?: string; path?: string };
}

/**
 * The seam for legacy API keys: resolve the key to a principal of kind 'api-key' (with its
 * ACL as `scopes`), or throw an AuthRejection('api_key_refused') or an HttpException (e.g.
 * 429 for a key over its rate). The guard answers 403 for a refusal, as Algolia does.
 */
export interface ApiKeyVerifier {
  verify(check: ApiKeyCheck): Promise<Principal>;
}

/** Until a service configures a verifier, every key is refused. */
export const refuseAllApiKeys: ApiKeyVerifier = {
  verify: async () => {
    throw new AuthRejection('api_key_refused', 'API keys are not accepted by this service');
  },
};

/** A header sent once; undefined when absent or repeated. */
export function headerOf(headers: ApiKeyCheck['request']['headers'], name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}
