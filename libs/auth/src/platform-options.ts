import { SIGNING_ALGORITHMS } from '@sso/contracts';
import type { AuthModuleOptions } from './auth.options.js';

/** What authOptionsFor reads of a service's configuration (the platform's config has it all). */
export interface ServiceAuthConfig {
  service: string;
  AUTH_ISSUER: string;
  AUTH_INTERNAL_URL?: string;
  AUTH_JWKS_URI?: string;
  REDIS_URL: string;
  REDIS_NAMESPACE?: string;
}

/**
 * The options of a service built on @sso/platform, from its validated configuration: its name
 * is its audience; AUTH_ISSUER, AUTH_INTERNAL_URL, AUTH_JWKS_URI, REDIS_URL and REDIS_NAMESPACE as they are.
 * Every algorithm the issuer may be configured to sign is accepted: each published key is bound
 * to its own `alg`, so accepting the set lets no token pick another algorithm for a key.
 */
export function authOptionsFor(config: ServiceAuthConfig, extra: Partial<AuthModuleOptions> = {}): AuthModuleOptions {
  return {
    issuer: config.AUTH_ISSUER,
    authUrl: config.AUTH_INTERNAL_URL,
    jwksUri: config.AUTH_JWKS_URI,
    algorithms: [...SIGNING_ALGORITHMS],
    audience: config.service,
    redisUrl: config.REDIS_URL,
    namespace: config.REDIS_NAMESPACE,
    ...extra,
  };
}
