import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ApiKeysUnavailableError, apiKeyClaimsOf, type ApiKeyClaims, ApiKeyStore, AuthRejection, createApiKeyStore, StoredApiKeyVerifier } from '@sso/auth';
import { SERVICE_CONFIG } from '@sso/platform';
import type { Request } from 'express';
import type { AuthConfig } from '../config.js';
import { OAuthError } from '../tokens/oauth-error.js';
import { scopesOfKey } from './key-scopes.js';

/** What an exchanged key stands for: the new token's subject, scopes and latest expiry. */
export interface ApiKeySubject {
  keyId: string;
  scopes: string[];
  notAfter?: number;
}

/**
 * Checks an API key presented at the token endpoint exactly as every guard does: against the
 * key service's projection in Redis, held in memory by the guard library's ApiKeyStore. A key
 * whose restrictions an access token cannot carry is refused: exchanging it would widen it.
 */
@Injectable()
export class ApiKeySubjects implements OnApplicationBootstrap, OnApplicationShutdown {
  /** The key projection, held in memory (public for readiness checks and tests). */
  readonly store: ApiKeyStore;
  private readonly verifier: StoredApiKeyVerifier;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: AuthConfig) {
    this.store = createApiKeyStore({ redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE, service: config.service, encryptionSecret: config.API_KEYS_ENCRYPTION_SECRET });
    // The exchange acts on no index: index ACLs become product scopes only where the key allows the catalog.
    // Keys with a rate limit are refused here, so trying one must not use up its quota.
    this.verifier = new StoredApiKeyVerifier(this.store, { applicationId: config.API_KEYS_APP_ID, countsRequests: false });
  }

  onApplicationBootstrap(): void {
    this.store.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }

  async resolve(key: string, request: Request): Promise<ApiKeySubject> {
    let claims: ApiKeyClaims | undefined;
    try {
      claims = apiKeyClaimsOf(await this.verifier.verify({ key, applicationId: this.config.API_KEYS_APP_ID, acl: [], request }));
    } catch (error) {
      if (error instanceof AuthRejection) throw new OAuthError('invalid_grant', 'subject_token: the API key is not valid');
      if (error instanceof ApiKeysUnavailableError) throw new OAuthError('temporarily_unavailable', 'API keys cannot be checked right now');
      throw error;
    }
    if (!claims) throw new OAuthError('invalid_grant', 'subject_token: the API key is not valid');
    const inexpressible = untranslatableRestrictions(claims);
    if (inexpressible.length > 0) {
      throw new OAuthError('invalid_grant', `subject_token: the API key is restricted by ${inexpressible.join(', ')}, which an access token cannot carry; keep using the key`);
    }
    return { keyId: claims.keyId, scopes: scopesOfKey(claims), notAfter: claims.expiresAt ?? undefined };
  }
}

function untranslatableRestrictions(claims: ApiKeyClaims): string[] {
  return [
    claims.referers.length > 0 && 'referers',
    claims.maxQueriesPerIPPerHour > 0 && 'maxQueriesPerIPPerHour',
    claims.maxHitsPerQuery > 0 && 'maxHitsPerQuery',
    claims.restrictSources !== undefined && 'restrictSources',
    claims.forcedSearchParameters.length > 0 && 'search parameters',
  ].filter((name): name is string => typeof name === 'string');
}
