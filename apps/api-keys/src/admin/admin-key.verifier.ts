import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthRejection, type ApiKeyCheck, type ApiKeyVerifier, type Principal } from '@sso/auth';

/** Algolia's answer to a wrong application id or key; the guard sends it with 403 api_key_refused. */
export const ADMIN_KEY_REFUSED = 'Invalid Application-ID or API key';

export const ADMIN_PRINCIPAL: Principal = Object.freeze({ kind: 'api-key', subject: 'admin', scopes: ['api-keys:admin'], claims: Object.freeze({}) });

/**
 * The key API's `x-algolia-api-key` check: only the application's admin key, sent with the
 * right `x-algolia-application-id`, is accepted. Managed keys cannot manage keys (as at
 * Algolia), so they are refused like any wrong key. The key is compared as SHA-256 digests
 * in constant time: equal lengths, and no early exit that would time a guess.
 */
export class AdminKeyVerifier implements ApiKeyVerifier {
  private readonly adminDigest: Buffer;

  constructor(
    adminKey: string,
    private readonly applicationId: string,
  ) {
    this.adminDigest = digest(adminKey);
  }

  async verify({ key, applicationId }: ApiKeyCheck): Promise<Principal> {
    const keyMatches = timingSafeEqual(digest(key), this.adminDigest);
    if (!keyMatches || applicationId !== this.applicationId) throw new AuthRejection('api_key_refused', ADMIN_KEY_REFUSED);
    return ADMIN_PRINCIPAL;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
